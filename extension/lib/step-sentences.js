// A user step as a sentence support can read ("Opened Sales › Orders",
// "Clicked 'Confirm' on S00042", "Edited 'Customer'"). A step carries labels
// the page shows (menu names, button texts, field labels, record names),
// never a value the user typed (E4): an edit names its field, nothing more.
// Texts come from the caller's message lookup (`chrome.i18n.getMessage` in the
// extension), so a sentence is in the user's language.
"use strict";
(function () {
  const MAX_LABEL = 80;
  const MENU_SEPARATOR = " › ";

  /** Whitespace collapsed, trimmed, cut at MAX_LABEL characters. */
  function cleanLabel(text) {
    const label = String(text === undefined || text === null ? "" : text).replace(/\s+/g, " ").trim();
    return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label;
  }

  /** A sentence about one label, read from `field` of the step; null when it is empty. */
  function labelled(key, field) {
    return (step) => {
      const label = cleanLabel(step[field]);
      return label ? [key, [label]] : null;
    };
  }

  // kind → (step) => [message key, substitutions], or null when the step lacks what it needs
  const SENTENCES = {
    menu: (step) => {
      const path = (step.path || []).map(cleanLabel).filter(Boolean);
      return path.length ? ["steps_opened_menu", [path.join(MENU_SEPARATOR)]] : null;
    },
    click: (step) => {
      const label = cleanLabel(step.label);
      const record = cleanLabel(step.record);
      if (!label) return null;
      return record ? ["steps_clicked_on_record", [label, record]] : ["steps_clicked", [label]];
    },
    edit: labelled("steps_edited_field", "field"), // the field's label, never the value (E4)
    record: (step) => (step.isNew ? ["steps_new_record", []] : labelled("steps_opened_record", "name")(step)),
    view: labelled("steps_switched_view", "label"),
    tab: labelled("steps_opened_tab", "label"),
    breadcrumb: labelled("steps_went_back", "label"),
    dialog: labelled("steps_dialog_opened", "title"),
    page: labelled("steps_opened_page", "name"), // a link, bookmark or reload: a step before any click
  };

  /**
   * One step → one sentence, or null when the step cannot be told (unknown
   * kind, no label, or no message for it). `translate(key, substitutions)`
   * returns the message ("" when unknown), like chrome.i18n.getMessage.
   */
  function toSentence(step, translate) {
    const build = step && SENTENCES[step.kind];
    const parts = build ? build(step) : null;
    if (!parts) return null;
    const sentence = translate(parts[0], parts[1]);
    return sentence ? sentence : null;
  }

  const api = { toSentence, cleanLabel, MENU_SEPARATOR, KINDS: Object.keys(SENTENCES) };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.OSR = globalThis.OSR || {}).stepSentences = api;
})();
