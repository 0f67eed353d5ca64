"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const fs = require("node:fs");
const { DEFAULTS, SETTING_KEYS } = require("./settings.js");

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "managed_schema.json"), "utf8"));

test("a policy can set exactly the extension's settings", () => {
  assert.deepEqual([...SETTING_KEYS].sort(), Object.keys(schema.properties).sort());
});

test("each setting's default has the type the policy schema gives it", () => {
  for (const key of SETTING_KEYS) {
    const kind = Array.isArray(DEFAULTS[key]) ? "array" : typeof DEFAULTS[key];
    assert.equal(kind, schema.properties[key].type, key);
  }
});

test("the defaults cannot be changed by whoever reads them", () => {
  assert.ok(Object.isFrozen(DEFAULTS) && Object.isFrozen(SETTING_KEYS));
  assert.ok(Object.isFrozen(DEFAULTS.productionOrigins) && Object.isFrozen(DEFAULTS.stagingOrigins));
});
