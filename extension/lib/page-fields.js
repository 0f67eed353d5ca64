// The notes every form field on the extension pages carries, added from one marker so that
// each field is wired alike and the markup keeps only what differs per field:
//   <div class="field" data-field="NAME"> <label for="NAME"> <input id="NAME"> [hints] </div>
// gets at its end, where the page asks, <p id="NAME-locked" class="locked-note">, then
//   <p id="NAME-error" class="field-error" aria-live="polite" data-field-error="NAME">,
// both named in the control's aria-describedby after the ids the markup names there (hints are
// read first). A note shows while it has text (lib/page.css): an empty one adds nothing to
// what a screen reader reads, where a `hidden` one would still be read. A `required`
// control's label gets the page's "required" marker. A wrapper with no control of its own (a
// fieldset of steps or check boxes) is described itself: its description is read on entering it.
"use strict";
(function () {
  /** Wire every `[data-field]` under `root`; `required`: the marker's text, `locked`: add locked notes. */
  function wireFields(root, { required = "", locked = false } = {}) {
    for (const wrapper of root.querySelectorAll("[data-field]")) wireField(wrapper, required, locked);
  }

  function wireField(wrapper, required, locked) {
    const name = wrapper.dataset.field;
    const control = wrapper.querySelector(`[id="${name}"]`) || wrapper;
    const error = paragraph(wrapper, `${name}-error`, "field-error");
    error.setAttribute("aria-live", "polite");
    error.dataset.fieldError = name;
    const notes = locked ? [paragraph(wrapper, `${name}-locked`, "locked-note"), error] : [error];
    wrapper.append(...notes);
    const describedBy = [control.getAttribute("aria-describedby"), ...notes.map((note) => note.id)];
    control.setAttribute("aria-describedby", describedBy.filter(Boolean).join(" "));
    const label = control.required && control.labels && control.labels[0];
    if (label && required) {
      const marker = wrapper.ownerDocument.createElement("span");
      marker.className = "required";
      marker.textContent = required;
      label.append(" ", marker);
    }
  }

  function paragraph(wrapper, id, className) {
    const element = wrapper.ownerDocument.createElement("p");
    element.id = id;
    element.className = className;
    return element;
  }

  const api = { wireFields };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.OSR = globalThis.OSR || {}).pageFields = api;
})();
