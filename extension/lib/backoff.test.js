"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { retryDelay } = require("./backoff.js");

const noJitter = { random: () => 0.5 };

test("delays double from the base", () => {
  assert.deepEqual([1, 2, 3, 4].map((n) => retryDelay(n, noJitter)), [5000, 10000, 20000, 40000]);
});

test("delays stop growing at the cap", () => {
  assert.equal(retryDelay(40, noJitter), 30 * 60 * 1000);
});

test("jitter stays within ±20 % and under the cap", () => {
  assert.equal(retryDelay(2, { random: () => 0 }), 8000);
  assert.equal(retryDelay(2, { random: () => 1 }), 12000);
  assert.equal(retryDelay(40, { random: () => 1 }), 30 * 60 * 1000);
});

test("a server's Retry-After is a lower bound", () => {
  assert.equal(retryDelay(1, { ...noJitter, retryAfterMs: 60000 }), 60000);
});

test("options override the defaults", () => {
  assert.equal(retryDelay(3, { ...noJitter, baseMs: 100, factor: 3 }), 900);
});
