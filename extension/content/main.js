// Starts the content features on an Odoo page (web client or frontend, see
// odoo-page.js), and nothing anywhere else.
// Odoo boots late (its assets load after DOMContentLoaded, the session info
// arrives from the tap), so detection is retried for a short while before the
// page is declared "not Odoo" and left alone.
"use strict";
(function (OSR) {
  const RETRY_MS = 250;
  const GIVE_UP_AFTER_MS = 4000; // after DOMContentLoaded
  let started = false;

  function startFeatures(page) {
    started = true;
    OSR.stepsTrail.start();
    if (OSR.errorDetector) OSR.errorDetector.start({ version: page.major, page });
    if (OSR.environmentBanner) OSR.environmentBanner.start(page);
    // Practising happens in the web client; a website's "Send" or "Confirm order" is the visitor's.
    if (OSR.productionGuard && !page.frontend) OSR.productionGuard.start(page);
  }

  function tryStart(deadline) {
    if (started) return;
    const page = OSR.odooPage.detect();
    if (page) {
      startFeatures(page);
      return;
    }
    if (Date.now() < deadline) setTimeout(() => tryStart(deadline), RETRY_MS);
  }

  function onReady() {
    const deadline = Date.now() + GIVE_UP_AFTER_MS;
    // A frontend page is known to be Odoo by its session info: start the moment it arrives,
    // not at the next retry (an error notification may already be showing).
    OSR.rpcErrors.onSessionInfo(() => Date.now() < deadline && tryStart(deadline));
    OSR.rpcErrors.requestSessionInfo();
    tryStart(deadline);
  }

  // The toolbar popup asks the page what it is (version, app) for its A1 documentation link:
  // the Odoo manual beside the customer's process guide (C4, L4 a), for this app and version.
  chrome.runtime.onMessage.addListener((message, _sender, sendResponse) => {
    if (!message || message.type !== "get-page-context") return false;
    sendResponse({ ok: true, data: started ? OSR.odooPage.detect() : null });
    return false;
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onReady, { once: true });
  else onReady();
})(globalThis.OSR);
