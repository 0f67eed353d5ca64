"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { parseServerVersion, parseVersionInfo, detectVersion } = require("./odoo-version.js");

test("server_version strings of community, enterprise and SaaS builds", () => {
  assert.deepEqual(parseServerVersion("17.0+e"), { major: 17, minor: 0, saas: false, enterprise: true, label: "17.0+e", exact: true });
  assert.equal(parseServerVersion("14.0").label, "14.0");
  assert.equal(parseServerVersion("14.0").enterprise, false);
  assert.deepEqual(parseServerVersion("saas~17.2"), { major: 17, minor: 2, saas: true, enterprise: false, label: "saas~17.2", exact: true });
  assert.equal(parseServerVersion("16.0-20231010").label, "16.0");
  assert.equal(parseServerVersion("nonsense"), null);
});

test("server_version_info arrays", () => {
  assert.equal(parseVersionInfo([18, 0, 0, "final", 0, "e"]).label, "18.0+e");
  assert.equal(parseVersionInfo([15, 0, 0, "final", 0, ""]).label, "15.0");
  assert.equal(parseVersionInfo(["saas~17", 4, 0, "final", 0, ""]).label, "saas~17.4");
  assert.equal(parseVersionInfo(["1.0"]), null);
  assert.equal(parseVersionInfo("17"), null);
});

test("version info wins over the version string, which wins over page signs", () => {
  assert.equal(detectVersion({ server_version_info: [16, 0, 0, "final", 0, ""], server_version: "15.0" }, { odooPathRoute: true }).label, "16.0");
  assert.equal(detectVersion({ server_version: "19.0" }, { odooPathRoute: true }).label, "19.0");
});

test("without session info the signs give a family, marked inexact", () => {
  assert.deepEqual(detectVersion(null, { odooPathRoute: true }), { major: 18, minor: null, label: "18+", exact: false });
  assert.equal(detectVersion({}, { moduleLoader: true }).label, "17+");
  assert.equal(detectVersion({}, { defineOnly: true }).label, "14-16");
  assert.equal(detectVersion({}, {}), null);
});
