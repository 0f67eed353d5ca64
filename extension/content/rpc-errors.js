// The isolated world's memory of what page/rpc-tap.js saw: the last JSON-RPC
// calls, error responses, client errors and the page's session info.
// Everything is redacted again on arrival: the tap redacts too, but the page
// shares the channel, so this side trusts nothing it did not clean itself.
"use strict";
(function (OSR) {
  const TAP_SOURCE = "odoo-support-reporter/rpc-tap";
  const CONTENT_SOURCE = "odoo-support-reporter/content";
  const KEEP = 10;
  const state = { calls: [], errors: [], clientErrors: [], emptyReads: [], session: null };
  const LISTS = { "rpc-call": state.calls, "rpc-error": state.errors, "client-error": state.clientErrors,
    "rpc-empty-read": state.emptyReads };

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
    if (message.type === "session-info") {
      state.session = payload;
      sessionListeners.forEach((listener) => listener(payload));
    } else remember(LISTS[message.type], payload);
  }

  const sessionListeners = [];

  /** Call `listener(session)` whenever the tap posts the session info (a frontend page's sign of Odoo). */
  function onSessionInfo(listener) {
    sessionListeners.push(listener);
  }

  const consumed = new WeakSet(); // errors a captured dialog has taken (lib/error-match.js)

  /** The tap's error that belongs to what appeared at `shownAt` showing `message`; null when none does. */
  function findError(message, shownAt = Date.now()) {
    return OSR.errorMatch.pickError(state.errors, { message, shownAt, isConsumed: (error) => consumed.has(error) });
  }

  /**
   * The read that answered no record for what appeared at `shownAt` showing `message`:
   * one of its ids is in the message (digits read the same in every language). Null when none.
   */
  function findEmptyRead(message, shownAt = Date.now()) {
    const text = String(message || "");
    return state.emptyReads.slice().reverse().find((read) => typeof read.receivedAt === "number"
      && read.receivedAt >= shownAt - OSR.errorMatch.JUST_BEFORE_MS && read.receivedAt <= shownAt + OSR.errorMatch.JUST_AFTER_MS
      && read.call && Array.isArray(read.call.ids)
      && read.call.ids.some((id) => new RegExp(`(^|\\D)${Number(id)}(\\D|$)`).test(text))) || null;
  }

  /** A captured dialog took this error: a later dialog gets it only by showing its message. */
  function consume(error) {
    if (error && typeof error === "object") consumed.add(error);
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
    findEmptyRead,
    consume,
    requestSessionInfo,
    onSessionInfo,
  };
})(globalThis.OSR);
