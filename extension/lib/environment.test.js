"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const {
  decide, explain, originMatches, concreteOrigin, configuredOrigins, isOdooShBuildHost,
} = require("./environment.js");

const NO_SIGNS = { neutralizeBanner: false, environmentRibbon: false };
const CONFIG = {
  productionOrigins: ["https://erp.example.com"],
  stagingOrigins: ["https://staging.example.com"],
};

test("a configured production origin is production (C1)", () => {
  assert.equal(decide("https://erp.example.com", "erp.example.com", NO_SIGNS, CONFIG), "production");
});

test("a configured staging origin is staging", () => {
  assert.equal(decide("https://staging.example.com", "staging.example.com", NO_SIGNS, CONFIG), "staging");
});

test("configuration wins over a neutralized-database banner", () => {
  // A production database restored as staging without neutralization, or a neutralized copy
  // served at the production address: the configuration is the authority.
  const signs = { neutralizeBanner: true, environmentRibbon: true };
  assert.deepEqual(explain("https://erp.example.com", "erp.example.com", signs, CONFIG),
    { environment: "production", reason: "configuration" });
});

test("an origin listed in both lists counts as production", () => {
  const config = { productionOrigins: ["https://erp.example.com"], stagingOrigins: ["https://erp.example.com"] };
  assert.equal(decide("https://erp.example.com", "erp.example.com", NO_SIGNS, config), "production");
});

test("without configuration the neutralized-database banner means staging", () => {
  assert.deepEqual(explain("https://x.example.com", "x.example.com", { neutralizeBanner: true }, {}),
    { environment: "staging", reason: "neutralized-database" });
});

test("without configuration the OCA environment ribbon means staging", () => {
  assert.deepEqual(explain("https://x.example.com", "x.example.com", { environmentRibbon: true }, {}),
    { environment: "staging", reason: "environment-ribbon" });
});

test("an Odoo.sh build host means staging", () => {
  const host = "mycompany-staging-2-12345678.dev.odoo.com";
  assert.deepEqual(explain(`https://${host}`, host, NO_SIGNS, {}),
    { environment: "staging", reason: "odoo-sh-build" });
});

test("Odoo.sh hosts: builds only, never the production address", () => {
  assert.ok(isOdooShBuildHost("acme-main-7268478.dev.odoo.com"));
  assert.ok(isOdooShBuildHost("acme-corp-feature-x-1642577.dev.odoo.com"));
  assert.ok(!isOdooShBuildHost("acme.odoo.com"));
  assert.ok(!isOdooShBuildHost("acme-main.dev.odoo.com"));
  assert.ok(!isOdooShBuildHost("acme-main-123.dev.odoo.com.evil.example"));
  assert.ok(!isOdooShBuildHost("dev.odoo.com"));
});

test("nothing configured and no sign is unknown", () => {
  assert.equal(decide("https://x.example.com", "x.example.com", NO_SIGNS, {}), "unknown");
  assert.equal(decide("https://x.example.com", "x.example.com", undefined, undefined), "unknown");
});

test("an unlisted origin with configuration elsewhere is still decided by signs", () => {
  assert.equal(decide("https://other.example.com", "other.example.com", { neutralizeBanner: true }, CONFIG), "staging");
  assert.equal(decide("https://other.example.com", "other.example.com", NO_SIGNS, CONFIG), "unknown");
});

test("origins match after normalization: case, default port, trailing slash, path", () => {
  for (const entry of ["https://ERP.example.com", "https://erp.example.com/", "https://erp.example.com:443",
    "https://erp.example.com/web#action=1", " https://erp.example.com "]) {
    assert.ok(originMatches(entry, "https://erp.example.com"), entry);
  }
});

test("scheme and port must agree", () => {
  assert.ok(!originMatches("http://erp.example.com", "https://erp.example.com"));
  assert.ok(!originMatches("https://erp.example.com:8443", "https://erp.example.com"));
  assert.ok(originMatches("http://127.0.0.1:8069", "http://127.0.0.1:8069"));
  assert.ok(!originMatches("http://127.0.0.1:8069", "http://127.0.0.1:8070"));
});

test("an entry without a scheme covers http and https on the default port", () => {
  assert.ok(originMatches("erp.example.com", "https://erp.example.com"));
  assert.ok(originMatches("erp.example.com", "http://erp.example.com"));
  assert.ok(!originMatches("erp.example.com", "http://erp.example.com:8069"));
  assert.ok(originMatches("erp.example.com:8069", "http://erp.example.com:8069"));
});

test("a wildcard covers subdomains, not the domain itself nor look-alikes", () => {
  const entry = "https://*.staging.example.com";
  assert.ok(originMatches(entry, "https://a.staging.example.com"));
  assert.ok(originMatches(entry, "https://a.b.staging.example.com"));
  assert.ok(!originMatches(entry, "https://staging.example.com"));
  assert.ok(!originMatches(entry, "https://evilstaging.example.com"));
  assert.ok(!originMatches(entry, "http://a.staging.example.com"));
});

test("junk entries match nothing", () => {
  for (const entry of ["", "*", "*.com", "ftp://erp.example.com", "https://", "https://a.*.example.com", null, 42]) {
    assert.ok(!originMatches(entry, "https://erp.example.com"), String(entry));
  }
  assert.ok(!originMatches("https://erp.example.com", "chrome-extension://abc"));
});

test("a concrete origin is built for links; wildcards give none", () => {
  assert.equal(concreteOrigin("https://Staging.Example.com/"), "https://staging.example.com");
  assert.equal(concreteOrigin("http://127.0.0.2:8069/web"), "http://127.0.0.2:8069");
  assert.equal(concreteOrigin("staging.example.com"), "https://staging.example.com");
  assert.equal(concreteOrigin("https://*.staging.example.com"), null);
  assert.equal(concreteOrigin("not a url"), null);
});

test("configured origins fall back to the customer's environments", () => {
  const config = { productionOrigins: [], stagingOrigins: [],
    customer: { environments: { production: ["https://p.example.com"], staging: ["https://s.example.com"] } } };
  assert.deepEqual(configuredOrigins(config, "production"), ["https://p.example.com"]);
  assert.equal(decide("https://s.example.com", "s.example.com", NO_SIGNS, config), "staging");
  assert.deepEqual(configuredOrigins({ productionOrigins: "https://a.example.com, https://b.example.com" }, "production"),
    ["https://a.example.com", "https://b.example.com"]);
});
