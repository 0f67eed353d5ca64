// Which of the errors the rpc tap saw belongs to a dialog or notification on
// screen (E1, E6: its traceback and call go into the ticket). A wrong one is
// worse than none: support would chase another error's traceback. So an error
// belongs only when
//   - its message is what the dialog shows (an unconsumed one first), or
//   - it arrived just before the dialog appeared (Odoo draws the dialog in the
//     task that receives the answer; the tap's message may come a task later)
//     and no earlier dialog has already taken it.
// The newest error of the last seconds is not enough: a notification about a
// missing record, seconds after an unrelated error dialog was closed, has no
// error of its own.
"use strict";
(function () {
  const JUST_BEFORE_MS = 3000;
  const JUST_AFTER_MS = 1500; // covers the capture's wait for the tap's late message
  const MIN_CONTAINED_LENGTH = 12; // shorter texts ("'name'") are contained in too many messages

  function normalise(text) {
    return String(text || "").replace(/\s+/g, " ").trim().toLowerCase();
  }

  /** Is `wanted` (what the dialog shows) the message of `error`? */
  function messageMatches(error, wanted) {
    if (!wanted) return false;
    const data = error.data || {};
    // The answer's own message ("Odoo Server Error") says nothing when the error's data has one.
    const texts = [data.message, ...(Array.isArray(data.arguments) ? data.arguments : []), data.message ? null : error.message]
      .filter((value) => typeof value === "string").map(normalise).filter(Boolean);
    return texts.some((text) => text === wanted
      || (text.length >= MIN_CONTAINED_LENGTH && (wanted.includes(text) || text.includes(wanted))));
  }

  /**
   * The error of `errors` (oldest first, each with `receivedAt`) that belongs to
   * what appeared at `shownAt` showing `message`; null when none does.
   * `isConsumed(error)` says an earlier dialog took it.
   */
  function pickError(errors, { message = "", shownAt = Date.now(), isConsumed = () => false,
    justBeforeMs = JUST_BEFORE_MS, justAfterMs = JUST_AFTER_MS } = {}) {
    const newestFirst = (errors || []).slice().reverse();
    const wanted = normalise(message);
    const matching = newestFirst.filter((error) => messageMatches(error, wanted));
    const byMessage = matching.find((error) => !isConsumed(error)) || matching[0];
    if (byMessage) return byMessage;
    const around = newestFirst.filter((error) => typeof error.receivedAt === "number"
      && error.receivedAt >= shownAt - justBeforeMs && error.receivedAt <= shownAt + justAfterMs);
    // Only the newest one just before: an older one in the window was someone else's.
    const newest = around[0];
    return newest && !isConsumed(newest) ? newest : null;
  }

  const api = { pickError, messageMatches, JUST_BEFORE_MS, JUST_AFTER_MS };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.OSR = globalThis.OSR || {}).errorMatch = api;
})();
