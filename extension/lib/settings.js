// The extension's settings, named once: the options page shows and locks them, the
// background merges them from policy, the options page and the server
// (background/config.js), and managed_schema.json lets a policy set exactly these
// (settings.test.js holds the schema to this list).
"use strict";
(function () {
  /** Each setting with its value when no source sets it. */
  const DEFAULTS = Object.freeze({
    serverUrl: "",
    customerKey: "",
    productionOrigins: Object.freeze([]),
    stagingOrigins: Object.freeze([]),
    learningMode: false,
  });
  const SETTING_KEYS = Object.freeze(Object.keys(DEFAULTS));

  const api = { DEFAULTS, SETTING_KEYS };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.OSR = globalThis.OSR || {}).settings = api;
})();
