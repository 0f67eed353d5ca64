"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { isQuotaError } = require("./storage-quota.js");

test("the browsers' full-storage errors count as quota errors", () => {
  // Chromium's and Firefox's wording for a chrome.storage write over the limit.
  assert.equal(isQuotaError(new Error("Session storage quota bytes exceeded. Values were not stored.")), true);
  assert.equal(isQuotaError(new Error("QuotaExceededError: storage.local API call exceeded its quota limitations.")), true);
});

test("other failures and non-errors do not", () => {
  assert.equal(isQuotaError(new Error("Extension context invalidated.")), false);
  assert.equal(isQuotaError(null), false);
  assert.equal(isQuotaError(undefined), false);
});
