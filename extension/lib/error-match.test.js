"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { pickError, JUST_BEFORE_MS } = require("./error-match.js");

const NOW = 1_700_000_000_000;

function rpcError(message, receivedAt, name = "odoo.exceptions.UserError") {
  return { kind: "server", message: "Odoo Server Error", data: { name, message, arguments: [message] }, receivedAt };
}

test("a notification about a missing record does not take an earlier dialog's error", () => {
  const adminDelete = rpcError("You can not remove the admin user as it is used internally", NOW - 6000);
  const consumed = new Set([adminDelete]);
  const picked = pickError([adminDelete], {
    message: "Can't fetch record(s) 999999. They might have been deleted.",
    shownAt: NOW,
    isConsumed: (error) => consumed.has(error),
  });
  assert.equal(picked, null);
});

test("an error older than the moment just before the dialog is not taken even when unconsumed", () => {
  const old = rpcError("Something else entirely happened here", NOW - JUST_BEFORE_MS - 1);
  assert.equal(pickError([old], { message: "Another message shown", shownAt: NOW }), null);
});

test("the error that arrived just before the dialog belongs to it", () => {
  const older = rpcError("first error of the two shown", NOW - 8000);
  const fresh = rpcError("'partner_shipping_id'", NOW - 40, "builtins.KeyError");
  assert.equal(pickError([older, fresh], { message: "Odoo Server Error", shownAt: NOW }), fresh);
});

test("the tap's message arriving just after the dialog appeared still belongs to it", () => {
  const late = rpcError("'partner_shipping_id'", NOW + 30, "builtins.KeyError");
  assert.equal(pickError([late], { message: "", shownAt: NOW }), late);
});

test("an error just before that an earlier dialog took is not taken again", () => {
  const taken = rpcError("'partner_shipping_id'", NOW - 500, "builtins.KeyError");
  assert.equal(pickError([taken], { message: "", shownAt: NOW, isConsumed: () => true }), null);
});

test("an older error in the window is not taken when the newest one was consumed", () => {
  const first = rpcError("first failing call message", NOW - 900);
  const second = rpcError("second failing call message", NOW - 300);
  const consumed = new Set([second]);
  assert.equal(pickError([first, second], { message: "a third text", shownAt: NOW, isConsumed: (e) => consumed.has(e) }), null);
});

test("the message the dialog shows picks its error, however old, unconsumed first", () => {
  const message = "It is not allowed to confirm an order in the following states: Cancelled";
  const first = rpcError(message, NOW - 20000);
  const second = rpcError(message, NOW - 15000);
  const unrelated = rpcError("Another error that came last", NOW - 10);
  const consumed = new Set([second]);
  assert.equal(pickError([first, second, unrelated], { message, shownAt: NOW, isConsumed: (e) => consumed.has(e) }), first);
  assert.equal(pickError([second, unrelated], { message, shownAt: NOW, isConsumed: (e) => consumed.has(e) }), second);
});

test("the answer's generic message does not match a dialog titled like it", () => {
  const error = rpcError("'partner_shipping_id'", NOW - 20000, "builtins.KeyError");
  assert.equal(pickError([error], { message: "Odoo Server Error", shownAt: NOW }), null);
});

test("a short message is matched only whole, not inside any text", () => {
  const error = rpcError("'name'", NOW - 20000, "builtins.KeyError");
  assert.equal(pickError([error], { message: "The field 'name' is required on contacts", shownAt: NOW }), null);
  assert.equal(pickError([error], { message: "'name'", shownAt: NOW }), error);
});
