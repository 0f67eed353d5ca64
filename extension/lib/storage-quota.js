// A full storage area (chrome.storage.session's or .local's 10 MB, waiting
// screenshots add up) is told apart from other failures: the caller drops old
// captures, or tells the user the report waits in the form.
"use strict";
(function () {
  /** Did a chrome.storage write fail because the area is full? Browsers say so only in the message. */
  function isQuotaError(error) {
    return /quota/i.test(String(error && error.message));
  }

  const api = { isQuotaError };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.OSR = globalThis.OSR || {}).storageQuota = api;
})();
