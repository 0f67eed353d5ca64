// Our own UI inside Odoo's pages (the environment banner, the learning-mode
// question): an open shadow root under a host element of our own tag, appended
// to <html>, so Odoo's CSS never reaches in and ours never leaks out. The host
// carries `data-odoo-support="<role>"` for the tests and for anyone inspecting
// the page.
"use strict";
(function (OSR) {
  const HOST_TAG = "odoo-support-reporter";

  /** The `_locales` text for `key`; a missing key shows itself, so it is noticed. */
  function message(key) {
    return chrome.i18n.getMessage(key) || key;
  }

  /**
   * A yes/no that lasts for the tab's session (sessionStorage): gone in a new
   * tab or browser session. `set()` is false when storage is blocked.
   */
  function sessionFlag(key) {
    return {
      isSet() {
        try {
          return sessionStorage.getItem(key) === "1";
        } catch {
          return false;
        }
      },
      set() {
        try {
          sessionStorage.setItem(key, "1");
          return true;
        } catch {
          return false;
        }
      },
    };
  }

  /** A host element of our tag with `role`, not yet on the page, and its shadow root. */
  function createHost(role) {
    const host = document.createElement(HOST_TAG);
    host.setAttribute("data-odoo-support", role);
    const root = host.attachShadow({ mode: "open" });
    return { host, root };
  }

  function element(tag, attributes = {}, text = "") {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text) node.textContent = text;
    return node;
  }

  OSR.shadowUi = { HOST_TAG, createHost, element, message, sessionFlag };
})(globalThis.OSR);
