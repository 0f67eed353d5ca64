// The isolated world's memory of what page/rpc-tap.js saw: the last JSON-RPC
// calls, error responses, client errors and the page's session info.
// Everything is redacted again on arrival: the tap redacts too, but the page
// shares the channel, so this side trusts nothing it did not clean itself.
"use strict";
(function (OSR) {
  const TAP_SOURCE = "odoo-support-reporter/rpc-tap";
  const CONTENT_SOURCE = "odoo-support-reporter/content";
  const KEEP = 10;
  const state = { calls: [], errors: [], clientErrors: [], session: null };
  const LISTS = { "rpc-call": state.calls, "rpc-error": state.errors, "client-error": state.clientErrors };

  function remember(list, item) {
    list.push(item);
    if (list.length > KEEP) list.splice(0, list.length - KEEP);
  }

  function receive(event) {
    if (event.source !== window || event.origin !== location.origin) return;
    const message = event.data;
    if (!message || message.source !== TAP_SOURCE || typeof message.payload !== "string") return;
    if (!LISTS[message.type] && message.type !== "session-info") return;
    let payload;
    try {
      payload = OSR.redact.redactObject(JSON.parse(message.payload));
    } catch (error) {
      return; // not our tap's JSON: ignore, never break
    }
    if (!payload || typeof payload !== "object") return;
    payload.receivedAt = Date.now();
    if (message.type === "session-info") state.session = payload;
    else remember(LISTS[message.type], payload);
  }

  function normalise(text) {
    return String(text || "").replace(/\s+/g, " ").trim().toLowerCase();
  }

  /**
   * The tap's error whose message matches what a dialog shows (the newest
   * first); else the newest error received in the last `withinMs`.
   */
  function findError(message, withinMs = 30000) {
    const wanted = normalise(message);
    const newestFirst = state.errors.slice().reverse();
    if (wanted) {
      const matching = newestFirst.find((error) => {
        const texts = [error.message, error.data && error.data.message].map(normalise).filter(Boolean);
        return texts.some((text) => text === wanted || text.includes(wanted) || wanted.includes(text));
      });
      if (matching) return matching;
    }
    return newestFirst.find((error) => Date.now() - error.receivedAt <= withinMs) || null;
  }

  /** Ask the tap to post the session info again (we may have started after its first post). */
  function requestSessionInfo() {
    window.postMessage({ source: CONTENT_SOURCE, type: "session-info-request" }, location.origin);
  }

  window.addEventListener("message", receive);

  OSR.rpcErrors = {
    lastError: () => state.errors[state.errors.length - 1] || null,
    lastCall: () => state.calls[state.calls.length - 1] || null,
    lastClientError: () => state.clientErrors[state.clientErrors.length - 1] || null,
    sessionInfo: () => state.session,
    errors: () => state.errors.slice(),
    calls: () => state.calls.slice(),
    findError,
    requestSessionInfo,
  };
})(globalThis.OSR);
