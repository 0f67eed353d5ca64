"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { redactText, redactUrl, redactObject, isSecretKey, MARK } = require("./redact.js");

const CSRF = "f71186564dd778a3c6b849b802a10a10d29bad69o1762350078";

test("access_token and token in a URL's query and hash are redacted", () => {
  const url = redactUrl("https://erp.example.com/my/orders/42?access_token=abc123def&report_type=pdf#token=zzz9&x=1");
  assert.equal(url, `https://erp.example.com/my/orders/42?access_token=${MARK}&report_type=pdf#token=${MARK}&x=1`);
});

test("a password in the URL's user info is removed, the user kept", () => {
  assert.equal(redactUrl("https://admin:hunter2@erp.example.com/web"), "https://admin@erp.example.com/web");
});

test("an Odoo route without secrets is unchanged", () => {
  const route = "https://erp.example.com/web#id=42&action=312&model=sale.order&view_type=form&cids=1&menu_id=178";
  assert.equal(redactUrl(route), route);
});

test("api keys, session ids and csrf tokens in query strings are redacted", () => {
  const url = redactUrl(`/web/dataset/call_kw?api_key=K-123&session_id=abcd&csrf_token=${CSRF}&key=zz&db=prod`);
  assert.equal(url, `/web/dataset/call_kw?api_key=${MARK}&session_id=${MARK}&csrf_token=${MARK}&key=${MARK}&db=prod`);
});

test("a Python traceback's password and csrf token values are redacted", () => {
  const traceback = [
    "Traceback (most recent call last):",
    "  File \"/odoo/http.py\", line 1, in dispatch",
    `    kw = {'login': 'anna', 'password': 'Sal4sana!', 'csrf_token': '${CSRF}'}`,
    "odoo.exceptions.AccessDenied: Access Denied",
  ].join("\n");
  const clean = redactText(traceback);
  assert.ok(!clean.includes("Sal4sana!"));
  assert.ok(!clean.includes(CSRF));
  assert.ok(clean.includes("'login': 'anna'"));
  assert.ok(clean.includes(`'password': '${MARK}'`));
  assert.ok(clean.includes("odoo.exceptions.AccessDenied: Access Denied"));
});

test("a bare Odoo csrf token anywhere in text is redacted", () => {
  assert.equal(redactText(`token was ${CSRF} then`), `token was ${MARK} then`);
});

test("Authorization and Cookie headers are redacted", () => {
  const headers = "Host: erp\nAuthorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig\nCookie: session_id=abc; tz=Europe/Helsinki\nAccept: */*";
  const clean = redactText(headers);
  assert.equal(clean, `Host: erp\nAuthorization: ${MARK}\nCookie: ${MARK}\nAccept: */*`);
});

test("a bearer token inside a sentence is redacted", () => {
  assert.equal(redactText("sent Bearer abcdefghijklmnop to the API"), `sent Bearer ${MARK} to the API`);
});

test("JSON text with password keys is redacted, quotes kept", () => {
  const clean = redactText('{"login": "anna", "password": "x y \\" z", "new_password": "p2"}');
  assert.equal(clean, `{"login": "anna", "password": "${MARK}", "new_password": "${MARK}"}`);
  assert.doesNotThrow(() => JSON.parse(clean));
});

test("ordinary words that contain 'token' or 'key' are not secret keys", () => {
  assert.equal(isSecretKey("tokenizer"), false);
  assert.equal(isSecretKey("keyboard_layout"), false);
  assert.equal(isSecretKey("monkey"), false);
  assert.equal(isSecretKey("csrf_token"), true);
  assert.equal(isSecretKey("X-Api-Key"), true);
  assert.equal(isSecretKey("PASSWORD"), true);
  assert.equal(redactText("tokenizer=word keyboard_layout=fi"), "tokenizer=word keyboard_layout=fi");
});

test("objects: secret keys masked at any depth, strings redacted, the input untouched", () => {
  const input = {
    params: { args: [[1], { password: "pw", name: "Anna" }], kwargs: { context: { access_token: "t0k" } } },
    url: "/report?access_token=abc",
    empty: { password: "" },
  };
  const clean = redactObject(input);
  assert.deepEqual(clean, {
    params: { args: [[1], { password: MARK, name: "Anna" }], kwargs: { context: { access_token: MARK } } },
    url: `/report?access_token=${MARK}`,
    empty: { password: "" },
  });
  assert.equal(input.params.args[1].password, "pw");
});

test("a cyclic object does not hang redaction", () => {
  const cyclic = { a: 1 };
  cyclic.self = cyclic;
  assert.doesNotThrow(() => redactObject(cyclic));
});

test("non-strings pass through redactText unchanged", () => {
  assert.equal(redactText(null), null);
  assert.equal(redactText(""), "");
});

test("Odoo's session header and a JSON session_id are redacted, an error about passwords is not", () => {
  assert.equal(redactText("X-Openerp-Session-Id: 0123abcd"), `X-Openerp-Session-Id: ${MARK}`);
  assert.equal(redactText('{"session_id": "abc", "uid": 2}'), `{"session_id": "${MARK}", "uid": 2}`);
  assert.equal(redactUrl("https://erp.example.com/web/reset_password?db=prod&token=ZZZ9#x"),
    `https://erp.example.com/web/reset_password?db=prod&token=${MARK}#x`);
  const message = "odoo.exceptions.AccessDenied: Wrong login/password";
  assert.equal(redactText(message), message);
});

// One table for both implementations (this one and server/redact.py), so they cannot drift.
const CASES = require("../../tests/shared/redaction_cases.json");

for (const { name, input, expected } of CASES.text) {
  test(`shared table, text: ${name}`, () => {
    assert.equal(redactText(input), expected);
  });
}

for (const { name, input, expected } of CASES.objects) {
  test(`shared table, object: ${name}`, () => {
    assert.deepEqual(redactObject(input), expected);
  });
}

test("the shared table uses this implementation's marker", () => {
  assert.equal(CASES.mark, MARK);
});

for (const { name, unit, repeat } of CASES.pathological) {
  test(`shared table, pathological input stays linear: ${name}`, () => {
    const started = Date.now();
    redactText(unit.repeat(repeat));
    assert.ok(Date.now() - started < CASES.pathological_seconds * 1000);
  });
}
