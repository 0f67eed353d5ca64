"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { stagingUrlFor, firstStagingOrigin } = require("./staging-url.js");

const STAGING = ["https://staging.example.com"];

test("a /web#… route keeps its path and hash (Odoo 14–17)", () => {
  assert.equal(
    stagingUrlFor("https://erp.example.com/web#id=42&cids=1&menu_id=178&action=312&model=sale.order&view_type=form", STAGING),
    "https://staging.example.com/web#id=42&cids=1&menu_id=178&action=312&model=sale.order&view_type=form");
});

test("an /odoo/… route keeps its path, query and hash (Odoo 18+)", () => {
  assert.equal(stagingUrlFor("https://erp.example.com/odoo/sales/42?debug=1#tab", STAGING),
    "https://staging.example.com/odoo/sales/42?debug=1#tab");
});

test("nothing is re-encoded or dropped, not even an empty query", () => {
  assert.equal(stagingUrlFor("http://127.0.0.1:8069/odoo/action-123/7?x=%20a&y=b+c#", ["http://127.0.0.2:8069"]),
    "http://127.0.0.2:8069/odoo/action-123/7?x=%20a&y=b+c#");
  assert.equal(stagingUrlFor("https://erp.example.com/web?#action=5", STAGING), "https://staging.example.com/web?#action=5");
});

test("the first usable staging origin is used; wildcards are skipped", () => {
  const origins = ["https://*.staging.example.com", "https://s1.example.com/", "https://s2.example.com"];
  assert.equal(firstStagingOrigin(origins), "https://s1.example.com");
  assert.equal(stagingUrlFor("https://erp.example.com/odoo", origins), "https://s1.example.com/odoo");
});

test("no staging origin or no web page gives no link", () => {
  assert.equal(stagingUrlFor("https://erp.example.com/odoo", []), null);
  assert.equal(stagingUrlFor("https://erp.example.com/odoo", ["https://*.example.com"]), null);
  assert.equal(stagingUrlFor("https://erp.example.com/odoo", undefined), null);
  assert.equal(stagingUrlFor("not a url", STAGING), null);
  assert.equal(stagingUrlFor("file:///tmp/x.html", STAGING), null);
});

test("credentials in the page URL are not carried to staging", () => {
  assert.equal(stagingUrlFor("https://u:p@erp.example.com/web#a=1", STAGING), "https://staging.example.com/web#a=1");
});
