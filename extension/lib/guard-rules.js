// Learning mode's one decision (C2, L3, L4 b): does a click on this button
// change data in Odoo? Pure: content/production-guard.js describes the clicked
// element as a plain object and asks here, so the rules are tested as a table
// with `node --test` (guard-rules.test.js).
//
// A button description: {
//   tag: "button" | "a" | "input" | …,   type: the `type` attribute or null,
//   name: the `name` attribute or null,  label: visible text (or value / aria-label / title),
//   special: the `special` attribute or null ("cancel" closes a wizard),
//   dismisses: closes a dialog or toast (.btn-close, .close, data-(bs-)dismiss),
//   statButton: an Odoo smart button (.oe_stat_button),
//   inStatusbar: inside a form header (.o_statusbar_buttons) }
"use strict";
(function () {
  // Labels of buttons that change data, by their first word(s): en, fi, sv
  // (Odoo's own translations: Confirm Vahvista Bekräfta, Validate Vahvista/Hyväksy
  // Validera, Post Kirjaa Bokför, Delete Poista Ta bort/Radera, Send Lähetä Skicka).
  const CHANGING_WORDS = [
    "confirm", "validate", "post", "delete", "send",
    "vahvista", "hyväksy", "kirjaa", "poista", "lähetä",
    "bekräfta", "validera", "bokför", "ta bort", "radera", "skicka",
  ];
  // "Cancel" closes every Odoo dialog too; it changes data only on an Odoo
  // action button, which carries the method's `name` (action_cancel, button_cancel…).
  const CANCEL_WORDS = ["cancel", "peruuta", "avbryt"];

  /** Lower case, runs of whitespace as one space, trimmed. */
  function normalizeLabel(label) {
    return String(label || "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function startsWithWord(label, words) {
    return words.some((word) => label === word || label.startsWith(`${word} `));
  }

  /**
   * Odoo 14–15 forms render header buttons without their type (type="button"),
   * but keep the arch's name: a method name for type="object", a numeric
   * action id for type="action" (those open a window, they change nothing).
   */
  function isLegacyHeaderMethodButton(button) {
    return Boolean(button.inStatusbar && button.tag === "button" && button.name && !/^\d+$/.test(button.name));
  }

  /** Does a click on the described button change data in Odoo? */
  function isStateChanging(button) {
    if (button.special === "cancel" || button.dismisses) return false;
    if (button.statButton) return false; // smart buttons open related records
    if (button.tag === "button" && button.type === "object") return true; // Odoo 16+: model-method buttons
    if (isLegacyHeaderMethodButton(button)) return true;
    const label = normalizeLabel(button.label);
    if (startsWithWord(label, CHANGING_WORDS)) return true;
    return Boolean(button.name) && startsWithWord(label, CANCEL_WORDS);
  }

  const api = { isStateChanging, normalizeLabel, CHANGING_WORDS, CANCEL_WORDS };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.OSR = globalThis.OSR || {}).guardRules = api;
})();
