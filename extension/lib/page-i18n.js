// The extension pages' texts (report form, popup, options): elements name their
// `_locales` key in data attributes and this fills them in the browser's language.
//   data-i18n="key"              → textContent
//   data-i18n-placeholder="key"  → placeholder
//   data-i18n-aria-label="key"   → aria-label
//   data-i18n-title="key"        → title
"use strict";
(function () {
  const ATTRIBUTES = [
    ["i18nPlaceholder", "placeholder"],
    ["i18nAriaLabel", "aria-label"],
    ["i18nTitle", "title"],
  ];

  /** The message for `key` with substitutions; a missing key shows itself, so it is noticed. */
  function t(key, substitutions) {
    const list = substitutions === undefined ? undefined : [].concat(substitutions).map(String);
    return chrome.i18n.getMessage(key, list) || key;
  }

  /** Fill in the texts under `root`; the whole document also gets the UI's language and direction. */
  function fill(root = document) {
    if (root === document) {
      document.documentElement.lang = chrome.i18n.getUILanguage();
      document.documentElement.dir = chrome.i18n.getMessage("@@bidi_dir") || "ltr";
    }
    for (const element of root.querySelectorAll("[data-i18n]")) element.textContent = t(element.dataset.i18n);
    for (const [dataKey, attribute] of ATTRIBUTES) {
      const selector = `[data-${dataKey.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}]`;
      for (const element of root.querySelectorAll(selector)) element.setAttribute(attribute, t(element.dataset[dataKey]));
    }
  }

  /** Error codes (ERROR_*) as the user's text. */
  function errorText(code) {
    return chrome.i18n.getMessage(`report_error_${code}`) || t("report_error_ERROR_INTERNAL");
  }

  const api = { t, fill, errorText };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.OSR = globalThis.OSR || {}).pageI18n = api;
})();
