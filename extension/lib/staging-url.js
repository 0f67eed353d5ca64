// "The same page in staging" (C2, L3, L4 b): the page's path, query and hash, exactly
// as they are, on the staging origin. Odoo keeps the whole client state in the
// URL (`/web#action=…&id=…` up to 17, `/odoo/sales/42?…` from 18), and staging
// is a copy of production, so the same record opens at the same address.
"use strict";
(function () {
  const environment = typeof module === "object" && module.exports ? require("./environment.js") : globalThis.OSR.environment;

  /** The first configured staging origin a link can point to; wildcards can't, so they are skipped. */
  function firstStagingOrigin(stagingOrigins) {
    for (const entry of stagingOrigins || []) {
      const origin = environment.concreteOrigin(entry);
      if (origin) return origin;
    }
    return null;
  }

  /**
   * The staging URL of `pageUrl` (a string or URL), or null when no staging
   * origin is known or the page is not http(s). Nothing is redacted or
   * re-encoded: the path, query and hash are carried over as the browser holds them.
   */
  function stagingUrlFor(pageUrl, stagingOrigins) {
    const origin = firstStagingOrigin(stagingOrigins);
    if (!origin) return null;
    let page;
    try {
      page = new URL(String(pageUrl));
    } catch {
      return null;
    }
    if (page.protocol !== "http:" && page.protocol !== "https:") return null;
    page.username = "";
    page.password = "";
    // Sliced from href rather than rebuilt from pathname + search + hash, so that
    // even an empty "?" or "#" survives.
    return origin + page.href.slice(page.origin.length);
  }

  const api = { stagingUrlFor, firstStagingOrigin };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.OSR = globalThis.OSR || {}).stagingUrl = api;
})();
