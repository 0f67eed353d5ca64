"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { accountKey, recall, remember } = require("./reporter-memory.js");

const ADMIN = { origin: "https://erp.acme.example", database: "acme", uid: 2 };
const DEMO = { origin: "https://erp.acme.example", database: "acme", uid: 6 };

test("what the administrator typed is not offered to the demo user", () => {
  const stored = remember({}, ADMIN, { name: "Mitchell Admin", email: "admin@acme.example" });
  assert.deepEqual(recall(stored, ADMIN), { name: "Mitchell Admin", email: "admin@acme.example" });
  assert.deepEqual(recall(stored, DEMO), {});
});

test("the same uid in another database or on another origin is another person", () => {
  const stored = remember({}, ADMIN, { name: "Mitchell Admin", email: "admin@acme.example" });
  assert.deepEqual(recall(stored, { ...ADMIN, database: "acme-staging" }), {});
  assert.deepEqual(recall(stored, { ...ADMIN, origin: "https://erp.other.example" }), {});
});

test("without a known account nothing is remembered or offered", () => {
  for (const account of [null, {}, { ...ADMIN, uid: null }, { ...ADMIN, database: "" }, { ...ADMIN, origin: undefined }]) {
    assert.equal(accountKey(account), null);
    assert.deepEqual(remember({}, account, { name: "x", email: "x@example.com" }), {});
    assert.deepEqual(recall({ null: { email: "x@example.com" } }, account), {});
  }
});

test("only the newest twenty accounts are kept", () => {
  let stored = {};
  for (let uid = 1; uid <= 25; uid += 1) stored = remember(stored, { ...ADMIN, uid }, { name: `u${uid}`, email: "" }, uid);
  assert.equal(Object.keys(stored).length, 20);
  assert.deepEqual(recall(stored, { ...ADMIN, uid: 5 }), {});
  assert.equal(recall(stored, { ...ADMIN, uid: 25 }).name, "u25");
});
