"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const fs = require("node:fs");
const { toSentence, cleanLabel, KINDS } = require("./step-sentences.js");

// chrome.i18n.getMessage's behaviour over the real catalogues: $1..$9 substituted, "" when unknown.
function catalogue(lang) {
  const file = path.join(__dirname, "..", "_locales", lang, "messages.json");
  const messages = JSON.parse(fs.readFileSync(file, "utf8"));
  return (key, subs = []) => {
    const entry = messages[key];
    return entry ? entry.message.replace(/\$(\d)/g, (m, n) => subs[Number(n) - 1] ?? "") : "";
  };
}
const en = catalogue("en");
const fi = catalogue("fi");

test("the seed's three examples read as written (E4)", () => {
  assert.equal(toSentence({ kind: "menu", path: ["Sales", "Orders"] }, en), "Opened Sales › Orders");
  assert.equal(toSentence({ kind: "click", label: "Confirm", record: "S00042" }, en), "Clicked 'Confirm' on S00042");
  assert.equal(toSentence({ kind: "edit", field: "Customer" }, en), "Edited 'Customer'");
});

test("an edit names the field only, never the value typed (E4)", () => {
  const sentence = toSentence({ kind: "edit", field: "Customer", value: "Secret Partner Oy" }, en);
  assert.equal(sentence, "Edited 'Customer'");
  assert.ok(!sentence.includes("Secret"));
});

test("Finnish sentences", () => {
  assert.equal(toSentence({ kind: "menu", path: ["Myynti", "Tilaukset"] }, fi), "Avasi valikon Myynti › Tilaukset");
  assert.equal(toSentence({ kind: "edit", field: "Asiakas" }, fi), "Muokkasi kenttää 'Asiakas'");
});

test("every kind has its sentence in every locale", () => {
  const samples = {
    menu: { path: ["Sales"] }, click: { label: "Save" }, edit: { field: "Name" }, record: { name: "S1" },
    view: { label: "List" }, tab: { label: "Other Info" }, breadcrumb: { label: "Orders" }, dialog: { title: "Confirm" },
    page: { name: "Quotations / S00042" },
  };
  for (const lang of ["en", "fi", "sv"]) {
    for (const kind of KINDS) {
      const sentence = toSentence({ kind, ...samples[kind] }, catalogue(lang));
      assert.ok(sentence && !sentence.includes("$"), `${lang} ${kind}: ${sentence}`);
    }
  }
});

test("other kinds", () => {
  assert.equal(toSentence({ kind: "click", label: "  New \n " }, en), "Clicked 'New'");
  assert.equal(toSentence({ kind: "record", isNew: true }, en), "Started a new record");
  assert.equal(toSentence({ kind: "record", name: "S00042" }, en), "Opened S00042");
  assert.equal(toSentence({ kind: "view", label: "Kanban" }, en), "Switched to the 'Kanban' view");
  assert.equal(toSentence({ kind: "tab", label: "Other Info" }, en), "Opened the 'Other Info' tab");
  assert.equal(toSentence({ kind: "breadcrumb", label: "Orders" }, en), "Went back to 'Orders'");
  assert.equal(toSentence({ kind: "dialog", title: "Confirmation" }, en), "Dialog 'Confirmation' opened");
});

test("steps that cannot be told give null", () => {
  assert.equal(toSentence({ kind: "click", label: "   " }, en), null);
  assert.equal(toSentence({ kind: "menu", path: [] }, en), null);
  assert.equal(toSentence({ kind: "teleport" }, en), null);
  assert.equal(toSentence(null, en), null);
  assert.equal(toSentence({ kind: "click", label: "Save" }, () => ""), null);
});

test("long labels are cut", () => {
  assert.equal(cleanLabel("x".repeat(200)).length, 80);
  assert.ok(cleanLabel("x".repeat(200)).endsWith("…"));
  assert.equal(cleanLabel(undefined), "");
});

test("opening a page is told with its name", () => {
  assert.equal(toSentence({ kind: "page", name: "Quotations / S00042" }, en), "Opened the page 'Quotations / S00042'");
  assert.equal(toSentence({ kind: "page", name: "Quotations / S00042" }, fi), "Avasi sivun 'Quotations / S00042'");
  assert.equal(toSentence({ kind: "page", name: "" }, en), null);
});
