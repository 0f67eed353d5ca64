// The support server's address as an admin types it (options page, policy): is it
// one the customer key may travel to? Checked by the options page before saving and
// by the background before every call.
"use strict";
(function () {
  const NOT_CONFIGURED = "ERROR_NOT_CONFIGURED"; // no usable URL yet
  const INSECURE_URL = "ERROR_INSECURE_URL"; // http:// to another computer: the key would travel in clear text
  // Plain http only to this computer (a local test server): anywhere else the
  // customer key in the Authorization header would cross the network readable.
  const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

  /** Why `serverUrl` can't be used (an ERROR_* code), or null when it can. */
  function serverUrlProblem(serverUrl) {
    let url;
    try {
      url = new URL(String(serverUrl || "").trim());
    } catch (_) {
      return NOT_CONFIGURED;
    }
    if (url.username || url.password || url.search || url.hash) return NOT_CONFIGURED;
    if (url.protocol === "https:") return null;
    if (url.protocol === "http:" && LOOPBACK_HOSTS.test(url.hostname)) return null;
    return url.protocol === "http:" ? INSECURE_URL : NOT_CONFIGURED;
  }

  const api = { NOT_CONFIGURED, INSECURE_URL, serverUrlProblem };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.OSR = globalThis.OSR || {}).serverAddress = api;
})();
