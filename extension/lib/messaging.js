// Asking the background, from a content script or an extension page: a message
// is `{type, data}`, the answer `{ok: true, data}` or `{ok: false, error: {code,
// message}}` (background/messages.js). One place turns a refusal into an Error.
"use strict";
(function () {
  /**
   * Send {type, data} to the background; resolves to the handler's answer, rejects with an
   * Error carrying the handler's `code` (ERROR_INTERNAL when there was no answer at all).
   */
  async function askBackground(type, data = {}) {
    const answer = await chrome.runtime.sendMessage({ type, data });
    if (answer && answer.ok) return answer.data;
    const refusal = (answer && answer.error) || {};
    const error = new Error(refusal.message || `no answer to ${type}`);
    error.code = refusal.code || "ERROR_INTERNAL";
    throw error;
  }

  const api = { askBackground };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.OSR = globalThis.OSR || {}).messaging = api;
})();
