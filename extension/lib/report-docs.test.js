"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { appFor, docVersion, documentationUrl } = require("./report-docs.js");

test("the app comes from the model, most specific prefix first", () => {
  assert.equal(appFor({ model: "sale.order" }), "sales");
  assert.equal(appFor({ model: "hr.expense.sheet" }), "expenses");
  assert.equal(appFor({ model: "hr.employee" }), "employees");
  assert.equal(appFor({ model: "account.move" }), "accounting");
});

test("without a model, the 18+ route's app path or the menu name", () => {
  assert.equal(appFor({ path: "/odoo/point-of-sale" }), "point_of_sale");
  assert.equal(appFor({ path: "/odoo/invoicing/12" }), "accounting");
  assert.equal(appFor({ appName: "Time Off" }), "time_off");
  assert.equal(appFor({ appName: "Myynti" }), null);
});

test("the docs' version from Odoo's version strings", () => {
  assert.equal(docVersion("17.0"), "17.0");
  assert.equal(docVersion("saas~17.2"), "17.0");
  assert.equal(docVersion("18.0+e"), "18.0");
  assert.equal(docVersion(null), "latest");
});

test("a deep link for a known app and version", () => {
  assert.deepEqual(documentationUrl({ version: "16.0", model: "stock.picking" }), {
    app: "inventory", url: "https://www.odoo.com/documentation/16.0/applications/inventory_and_mrp/inventory.html",
  });
});

test("an unknown app links the applications index of that version", () => {
  assert.deepEqual(documentationUrl({ version: "14.0", model: "x_custom.thing" }), {
    app: null, url: "https://www.odoo.com/documentation/14.0/applications.html",
  });
});
