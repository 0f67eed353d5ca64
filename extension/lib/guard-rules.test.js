"use strict";
// Learning mode's button rules (issue 6; C2, L3) as a table: what asks, what passes.
const test = require("node:test");
const assert = require("node:assert/strict");
const { isStateChanging, normalizeLabel } = require("./guard-rules.js");

/** A described button: a plain <button> with only what the row says. */
function button(fields) {
  return { tag: "button", type: "button", name: null, label: "", special: null,
    dismisses: false, statButton: false, inStatusbar: false, ...fields };
}

// A plain button with one of these labels asks by its label alone: one case a label,
// named by it (and its language, where not English).
const ASKING_LABELS = {
  en: ["Confirm", "Validate", "Post", "Send by Email"],
  fi: ["Vahvista", "Hyväksy", "Kirjaa", "Poista", "Lähetä sähköpostilla"],
  sv: ["Bekräfta", "Validera", "Bokför", "Ta bort", "Radera", "Skicka"],
};
const ASKS_BY_LABEL = Object.entries(ASKING_LABELS).flatMap(([language, labels]) =>
  labels.map((label) => [language === "en" ? label : `${language} ${label}`, button({ label })]));

const ASKS = [
  ["16+ type=object button", button({ type: "object", name: "action_confirm", label: "Confirm" })],
  ["16+ type=object button whatever its label", button({ type: "object", name: "action_preview_sale_order", label: "Preview" })],
  ["14–15 header button named after a method", button({ name: "action_done", label: "Lock", inStatusbar: true })],
  ...ASKS_BY_LABEL,
  ["Delete menu item", button({ tag: "span", type: null, label: "Delete" })],
  ["label in any case and spacing", button({ label: "  CONFIRM \n order " })],
  ["Cancel on an action button (named)", button({ name: "action_cancel", label: "Cancel" })],
  ["fi Peruuta on an action button", button({ name: "button_cancel", label: "Peruuta" })],
  ["sv Avbryt on an action button", button({ name: "action_cancel", label: "Avbryt" })],
  ["submit input labelled Confirm", button({ tag: "input", type: "submit", label: "Confirm" })],
  ["link button Validate", button({ tag: "a", type: null, label: "Validate" })],
];

const PASSES = [
  ["a dialog's Cancel (no name)", button({ label: "Cancel" })],
  ["a dialog's fi Peruuta (no name)", button({ label: "Peruuta" })],
  ["a dialog's sv Avbryt (no name)", button({ label: "Avbryt" })],
  ["wizard Cancel special=cancel, even named", button({ name: "cancel", label: "Cancel", special: "cancel" })],
  ["a dialog's close ×", button({ label: "", dismisses: true })],
  ["a toast's close that says Delete", button({ label: "Delete", dismisses: true })],
  ["New", button({ label: "New" })],
  ["fi Uusi", button({ label: "Uusi" })],
  ["Save", button({ label: "Save" })],
  ["smart button, even type=object", button({ type: "object", name: "action_view_invoice", label: "1 Invoices", statButton: true })],
  ["14–15 header type=action (numeric name)", button({ name: "312", label: "Create Invoice", inStatusbar: true })],
  ["a named button outside the header with another label", button({ name: "toggle_active", label: "Archive" })],
  ["a word only starting like Post", button({ label: "Postal code" })],
  ["Sender", button({ label: "Sender" })],
  ["Confirmation is not Confirm", button({ label: "Confirmation" })],
  ["type=object on a link is no model-method button", button({ tag: "a", type: "object", label: "Open" })],
  ["empty label", button({ label: "" })],
];

for (const [name, described] of ASKS) {
  test(`asks: ${name}`, () => assert.equal(isStateChanging(described), true));
}

for (const [name, described] of PASSES) {
  test(`passes: ${name}`, () => assert.equal(isStateChanging(described), false));
}

test("labels are compared lower case with whitespace collapsed", () => {
  assert.equal(normalizeLabel("  Ta \n  BORT "), "ta bort");
  assert.equal(normalizeLabel(null), "");
});
