"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { checkTitle, isGeneric, normalize, suggestTitle } = require("./title-rules.js");

const validationError = { title: "Validation Error", message: "The journal entry is not balanced.\nMore text" };
const oops = { title: "Oops!", message: "Record does not exist or has been deleted." };

test("normalize: NFKC, case folded, punctuation to spaces, ignored words dropped", () => {
  assert.equal(normalize("  Vika\u0308 in  ODOO!! Laskun\ttila "), "vikä laskun tila");
});

for (const title of ["Ongelma", "ongelma!!", "Vika Odoossa", "Error in Odoo", "ODOO ERROR", "Problem i Odoo", "  Apua? ", "Odoo", "Kysymys", "Fel"]) {
  test(`G2: generic title "${title}" is refused`, () => {
    assert.ok(isGeneric(title));
    assert.deepEqual(checkTitle(title, { kind: "question" }), ["generic"]);
  });
}

test("G2: a short title is refused as too short", () => {
  assert.deepEqual(checkTitle("Invoice broken", { kind: "question" }), ["too_short"]);
});

test("an empty title is its own problem", () => {
  assert.deepEqual(checkTitle("  ", { kind: "error", error: validationError }), ["empty"]);
});

test("E3: an error title must name the dialog's specific title", () => {
  const title = "Posting the vendor bill fails with an unbalanced entry";
  assert.deepEqual(checkTitle(title, { error: validationError }), ["missing_error"]);
  assert.deepEqual(checkTitle(`Validation Error: ${title}`, { error: validationError }), []);
});

test("E3: with Odoo's generic 'Oops!' the title must use words of the message", () => {
  assert.deepEqual(checkTitle("Oops! when opening a sales order", { error: oops }), ["missing_error"]);
  assert.deepEqual(checkTitle("Record deleted when opening a sales order", { error: oops }), []);
});

test("server rules override the built-in ones", () => {
  const rules = { min_length: 5, min_words: 1, generic_words: ["hilfe"] };
  assert.deepEqual(checkTitle("Hilfe!", { kind: "question", rules }), ["generic"]);
  assert.deepEqual(checkTitle("Ongelma", { kind: "question", rules }), []);
});

test("E3 suggestion: error title, gist and where it happened, accepted by the rules", () => {
  const capture = {
    error: validationError,
    context: { breadcrumbs: ["Accounting", "Journal Entries", "MISC/2024/0001"], rpc: { method: "action_post" } },
  };
  const title = suggestTitle(capture);
  assert.equal(title, "Validation Error: The journal entry is not balanced — Journal Entries / MISC/2024/0001 (action_post)");
  assert.deepEqual(checkTitle(title, { error: validationError }), []);
});

test("E3: Finnish inflection matches by stem", () => {
  const error = { title: "Oops!", message: "Laskua ei voi kirjata" };
  assert.deepEqual(checkTitle("Laskun kirjaus epäonnistuu myyntireskontrassa", { error }), []);
});

test("E3 suggestion with a generic dialog title starts from the message", () => {
  const title = suggestTitle({ error: oops, context: { app: "Sales" } });
  assert.equal(title, "Record does not exist or has been deleted — Sales");
  assert.deepEqual(checkTitle(title, { error: oops }), []);
});

test("a long message is shortened to its first sentence, at most 90 characters", () => {
  const long = { title: "User Error", message: "x".repeat(200) };
  const title = suggestTitle({ error: long, context: {} });
  assert.ok(title.length <= "User Error: ".length + 90);
  assert.ok(title.endsWith("…"));
});

test("a numeric action id is left out of the suggestion; the failing call's method stays", () => {
  const numeric = suggestTitle({ error: validationError, context: { breadcrumbs: ["Quotations", "S00042"], action: "312" } });
  assert.equal(numeric, "Validation Error: The journal entry is not balanced — Quotations / S00042");
  const named = suggestTitle({ error: validationError, context: { app: "Sales", action: "sales" } });
  assert.equal(named, "Validation Error: The journal entry is not balanced — Sales (sales)");
});

test("the suggestion never exceeds the title limit and keeps the error first", () => {
  const context = { breadcrumbs: ["A very long menu name ".repeat(6), "Another long record name ".repeat(6)], rpc: { method: "action_post" } };
  const title = suggestTitle({ error: validationError, context }, null, 120);
  assert.equal(title.length, 120);
  assert.ok(title.startsWith("Validation Error: The journal entry is not balanced — "));
});

test("G2 with E3: a title that only repeats the dialog's title is refused", () => {
  const error = { title: "Validation Error", message: "The delivery date cannot be earlier than the order date." };
  for (const title of ["Validation Error in Odoo", "Error: Validation error", "Validation Error when trying"]) {
    assert.deepEqual(checkTitle(title, { error }), ["only_error_title"], title);
  }
  assert.deepEqual(checkTitle("Validation Error when confirming sales order S00042", { error }), []);
  // Server rules without the newer keys still check with the built-in fallbacks.
  const olderRules = { min_words: 2 };
  assert.deepEqual(checkTitle("Validation Error in Odoo", { error, rules: olderRules }), ["only_error_title"]);
});

test("a notification whose title is its message is not said twice", () => {
  const error = { kind: "network", title: "Connection lost. Trying to reconnect...", message: "Connection lost. Trying to reconnect..." };
  const title = suggestTitle({ error, context: { breadcrumbs: ["Contacts"], rpc: { method: "web_search_read" } } });
  assert.equal(title, "Connection lost. Trying to reconnect... — Contacts (web_search_read)");
  const shorterTitle = { title: "Connection lost", message: "Connection lost. Trying to reconnect..." };
  assert.equal(suggestTitle({ error: shorterTitle, context: {} }), "Connection lost");
});

test("a client error's suggestion names the JavaScript error, not the page's last call", () => {
  const error = { kind: "client", title: "Odoo Client Error", exception: "TypeError",
    message: "Cannot read properties of undefined (reading 'display_name')" };
  const context = { breadcrumbs: ["Quotations", "S00042"], rpc: { method: "web_search_read" } };
  const title = suggestTitle({ error, context });
  assert.equal(title, "TypeError: Cannot read properties of undefined (reading 'display_name') — Quotations / S00042");
  assert.deepEqual(checkTitle(title, { error }), []);
});
