"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { formatAnswerBy, formatShort } = require("./format-time.js");

const iso = "2026-06-02T11:00:00Z"; // a Tuesday

test("answer-by time in Finnish, in Helsinki time", () => {
  const text = formatAnswerBy(iso, "fi", "Europe/Helsinki");
  assert.match(text, /tiistai/);
  assert.match(text, /14[.:]00/);
});

test("answer-by time in English, in UTC", () => {
  const text = formatAnswerBy(iso, "en-GB", "UTC");
  assert.match(text, /Tuesday/);
  assert.match(text, /11:00/);
  assert.match(text, /UTC/);
});

test("an invalid or missing time gives an empty string", () => {
  assert.equal(formatAnswerBy("not a date", "en"), "");
  assert.equal(formatAnswerBy(null, "en"), "");
  assert.equal(formatShort("", "en"), "");
});

test("short format for lists follows the locale", () => {
  assert.match(formatShort(iso, "sv", "Europe/Stockholm"), /13:00/);
});
