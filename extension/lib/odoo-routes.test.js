"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { parseOdooUrl, parseCompanyIds } = require("./odoo-routes.js");

const BASE = "https://erp.example.com";

function pick(route, ...keys) {
  return Object.fromEntries(keys.map((key) => [key, route[key]]));
}

test("≤17 form route: action, model, id, view type, menu and companies", () => {
  const route = parseOdooUrl(`${BASE}/web#id=42&cids=1&menu_id=178&action=312&model=sale.order&view_type=form`);
  assert.deepEqual(pick(route, "scheme", "action", "model", "record_id", "view_type", "menu_id", "company_ids"), {
    scheme: "web", action: 312, model: "sale.order", record_id: 42, view_type: "form", menu_id: 178, company_ids: [1],
  });
});

test("≤17 list route has no record id", () => {
  const route = parseOdooUrl(`${BASE}/web?debug=1#action=312&model=sale.order&view_type=list&cids=1-3`);
  assert.equal(route.record_id, null);
  assert.equal(route.view_type, "list");
  assert.equal(route.debug, "1");
  assert.deepEqual(route.company_ids, [1, 3]);
});

test("≤17 route with an xml id action and no view type is a form when it has an id", () => {
  const route = parseOdooUrl(`${BASE}/web#action=sale.action_orders&id=7&model=sale.order`);
  assert.equal(route.action, "sale.action_orders");
  assert.equal(route.view_type, "form");
});

test("18+: /odoo/action-123/42 is record 42 of action 123, in a form", () => {
  const route = parseOdooUrl(`${BASE}/odoo/action-123/42`);
  assert.deepEqual(pick(route, "scheme", "action", "model", "record_id", "view_type"), {
    scheme: "odoo", action: 123, model: null, record_id: 42, view_type: "form",
  });
});

test("18+: app path with record and a nested action", () => {
  const route = parseOdooUrl(`${BASE}/odoo/sales/42/action-sale.action_view_invoice/7?cids=2`);
  assert.deepEqual(pick(route, "action", "record_id", "active_id", "path", "company_ids"), {
    action: "sale.action_view_invoice", record_id: 7, active_id: 42, path: "action-sale.action_view_invoice", company_ids: [2],
  });
  assert.equal(route.stack_depth, 2);
});

test("18+: a model path and an m- model path", () => {
  assert.deepEqual(pick(parseOdooUrl(`${BASE}/odoo/sale.order/42`), "model", "action", "record_id"),
    { model: "sale.order", action: null, record_id: 42 });
  assert.deepEqual(pick(parseOdooUrl(`${BASE}/odoo/m-website/3`), "model", "record_id"),
    { model: "website", record_id: 3 });
});

test("18+: a new record and a non-default view type in the query", () => {
  assert.equal(parseOdooUrl(`${BASE}/odoo/sales/new`).record_id, "new");
  const kanban = parseOdooUrl(`${BASE}/odoo/action-123?view_type=kanban&debug=assets`);
  assert.equal(kanban.view_type, "kanban");
  assert.equal(kanban.record_id, null);
  assert.equal(kanban.debug, "assets");
});

test("18+: the installed app's /scoped_app prefix reads like /odoo", () => {
  const route = parseOdooUrl(`${BASE}/scoped_app/action-123/42?view_type=form`);
  assert.deepEqual(pick(route, "scheme", "action", "record_id", "view_type"), {
    scheme: "odoo", action: 123, record_id: 42, view_type: "form",
  });
});

test("18+: an xml id action and a model path without a record", () => {
  assert.equal(parseOdooUrl(`${BASE}/odoo/action-sale.action_orders`).action, "sale.action_orders");
  const route = parseOdooUrl(`${BASE}/odoo/m-sale.order`);
  assert.deepEqual(pick(route, "model", "action", "record_id", "view_type"),
    { model: "sale.order", action: null, record_id: null, view_type: null });
});

test("18+: bare /odoo (home) has no action", () => {
  const route = parseOdooUrl(`${BASE}/odoo`);
  assert.equal(route.scheme, "odoo");
  assert.equal(route.action, null);
});

test("not web client routes: website pages, /web/login, garbage", () => {
  assert.equal(parseOdooUrl(`${BASE}/shop/product/1`), null);
  assert.equal(parseOdooUrl(`${BASE}/web/login`), null);
  assert.equal(parseOdooUrl("not a url"), null);
});

test("company ids accept commas and dashes, ignore junk", () => {
  assert.deepEqual(parseCompanyIds("1,2-5"), [1, 2, 5]);
  assert.deepEqual(parseCompanyIds(""), []);
  assert.deepEqual(parseCompanyIds("x"), []);
});
