// Exponential backoff for the report queue: when to try a waiting report next.
// Jitter spreads retries of many browsers after a server outage; a server's
// Retry-After (429) is honoured as a lower bound.
"use strict";
(function () {
  const DEFAULTS = Object.freeze({ baseMs: 5000, factor: 2, maxMs: 30 * 60 * 1000, jitter: 0.2 });

  /**
   * Delay before retry number `attempt` (1 = the first retry):
   * baseMs·factor^(attempt-1), capped at maxMs, ±jitter, never below retryAfterMs.
   */
  function retryDelay(attempt, { retryAfterMs = 0, random = Math.random, ...options } = {}) {
    const { baseMs, factor, maxMs, jitter } = { ...DEFAULTS, ...options };
    const exponent = Math.max(0, Math.floor(attempt) - 1);
    const plain = Math.min(maxMs, baseMs * factor ** exponent);
    const spread = plain * jitter * (2 * random() - 1);
    return Math.round(Math.max(retryAfterMs, Math.min(maxMs, plain + spread), 0));
  }

  const api = { DEFAULTS, retryDelay };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.OSR = globalThis.OSR || {}).backoff = api;
})();
