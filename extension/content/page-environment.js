// Which environment this Odoo page is (C1): the customer's configuration from
// the background first, then signs in the page itself (lib/environment.js
// decides). Decided once per page; signs rendered after load (the OCA ribbon
// appears after an RPC) can still turn "unknown" into "staging".
//
// `OSR.pageEnvironment`: `current()` (the environment now), `whenDecided()` (a
// promise of {environment, reason, config}), `stagingUrlOfThisPage()` and
// `watchForLateSigns(onChange)`. <html> carries `data-odoo-support-environment`
// once decided. The banner (environment-banner.js), the learning-mode question
// (production-guard.js) and the capture (error-capture.js) read it.
"use strict";
(function (OSR) {
  const { ENVIRONMENTS, explain, configuredOrigins } = OSR.environment;
  // Signs rendered after load are looked for on DOM changes, at most every
  // SIGN_CHECK_MS, and no longer than SIGN_WATCH_MS.
  const SIGN_CHECK_MS = 300;
  const SIGN_WATCH_MS = 60000;

  const decision = { environment: ENVIRONMENTS.UNKNOWN, reason: "undecided", config: null };
  let decided = null; // the promise of the first decision, made once per page

  /** The merged configuration from the background, or {} when it can't answer (then only signs count). */
  function loadConfig() {
    return OSR.messaging.askBackground("get-config").then((config) => config || {}, () => ({}));
  }

  function isShown(element) {
    if (!element || !element.textContent.trim()) return false;
    return getComputedStyle(element).display !== "none";
  }

  /** Signs of a non-production database in the page itself. */
  function readSigns(doc) {
    return {
      // Odoo 16+ renders it on every page of a neutralized database (web.neutralize_banner).
      neutralizeBanner: Boolean(doc.getElementById("oe_neutralize_banner")),
      // OCA web_environment_ribbon always renders div.test-ribbon, but hides it
      // (display: none, no text) where the ribbon name is "False", i.e. in production.
      environmentRibbon: isShown(doc.querySelector("div.test-ribbon")),
    };
  }

  /** Decide from what is known now; true when the environment changed. */
  function decideNow() {
    const result = explain(location.origin, location.hostname, readSigns(document), decision.config || {});
    const changed = result.environment !== decision.environment;
    decision.environment = result.environment;
    decision.reason = result.reason;
    // Visible to anyone inspecting the page (and to the tests): what was decided, also "unknown".
    document.documentElement.setAttribute("data-odoo-support-environment", decision.environment);
    return changed;
  }

  function stagingUrlOfThisPage() {
    const origins = configuredOrigins(decision.config || {}, ENVIRONMENTS.STAGING);
    return OSR.stagingUrl.stagingUrlFor(location.href, origins);
  }

  function bodyReady() {
    if (document.body) return Promise.resolve();
    return new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve, { once: true }));
  }

  /** Decide once per page (configuration, then signs); later signs update `current()`. */
  function whenDecided() {
    if (!decided) {
      decided = Promise.all([loadConfig(), bodyReady()]).then(([config]) => {
        decision.config = config;
        decideNow();
        return decision;
      });
    }
    return decided;
  }

  /**
   * Look for signs that appear after load (the OCA ribbon is filled in after an
   * RPC; a neutralize banner may come with a re-rendered layout) and call
   * `onChange()` once they change the decision. Cheap: one check per burst of
   * DOM changes, only until the first change, and only for SIGN_WATCH_MS.
   */
  function watchForLateSigns(onChange) {
    let timer = null;
    // The content scripts' shared observer (content/dom-watch.js): the ribbon and the
    // banner are outside Odoo's view area, which it leaves out.
    const unsubscribe = OSR.domWatch.subscribe(() => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        if (decideNow()) {
          stop();
          onChange();
        }
      }, SIGN_CHECK_MS);
    }, { characterData: true });
    const stop = () => {
      unsubscribe();
      clearTimeout(timer);
      clearTimeout(deadline);
    };
    const deadline = setTimeout(stop, SIGN_WATCH_MS);
  }

  OSR.pageEnvironment = {
    current: () => decision.environment,
    whenDecided,
    stagingUrlOfThisPage,
    watchForLateSigns,
  };
})(globalThis.OSR);
