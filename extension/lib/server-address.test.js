"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { serverUrlProblem, NOT_CONFIGURED, INSECURE_URL } = require("./server-address.js");

test("https anywhere and plain http to this computer are usable", () => {
  for (const url of ["https://support.example.com", " https://example.com/support/ ", "http://localhost:5000",
    "http://127.0.0.1:8080", "http://[::1]:5000"]) {
    assert.equal(serverUrlProblem(url), null, url);
  }
});

test("plain http to another computer would carry the key in clear text", () => {
  assert.equal(serverUrlProblem("http://support.example.com"), INSECURE_URL);
  assert.equal(serverUrlProblem("http://192.168.1.10:5000"), INSECURE_URL);
});

test("no URL, another scheme, credentials, a query or a hash is not a server address", () => {
  for (const url of ["", null, "support.example.com", "ftp://example.com", "https://u:p@example.com",
    "https://example.com/?x=1", "https://example.com/#top"]) {
    assert.equal(serverUrlProblem(url), NOT_CONFIGURED, String(url));
  }
});
