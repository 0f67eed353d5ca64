// Which Odoo is this? The session info says it exactly (`server_version`
// "17.0+e", `server_version_info` [17, 0, 0, "final", 0, "e"], SaaS builds
// "saas~17.2" / ["saas~17", 2, ...]); when it is missing, signs in the page
// narrow it to a family, which is what the error recognizers need.
"use strict";
(function () {
  const VERSION_TEXT = /^(saas~)?(\d{1,2})\.(\d{1,2})/;

  function describe(major, minor, saas, enterprise) {
    const label = `${saas ? "saas~" : ""}${major}.${minor}`;
    return { major, minor, saas, enterprise, label: enterprise ? `${label}+e` : label, exact: true };
  }

  /** "17.0+e", "saas~17.2", "16.0-20231010" → {major, minor, saas, enterprise, label}; null if unreadable. */
  function parseServerVersion(text) {
    const match = VERSION_TEXT.exec(String(text || "").trim());
    if (!match) return null;
    return describe(Number(match[2]), Number(match[3]), Boolean(match[1]), /\+e\b|-e$|\be$/.test(String(text)));
  }

  /** [17, 0, 0, "final", 0, "e"] or ["saas~17", 2, 0, "final", 0, ""] → same shape; null if unreadable. */
  function parseVersionInfo(info) {
    if (!Array.isArray(info) || info.length < 2) return null;
    const saas = typeof info[0] === "string" && info[0].startsWith("saas~");
    const major = Number(saas ? info[0].slice(5) : info[0]);
    const minor = Number(info[1]);
    if (!Number.isInteger(major) || !Number.isInteger(minor)) return null;
    return describe(major, minor, saas, info[info.length - 1] === "e");
  }

  /**
   * Family from page signs when the session does not say (`major` is then the
   * lowest version the signs allow, `exact` false):
   * signs = {odooPathRoute: URL under /odoo/ (18+), moduleLoader: `odoo.loader`
   * present (17+), defineOnly: `odoo.define` with no `odoo.loader` (14–16)}.
   */
  function guessFromSigns(signs) {
    if (signs.odooPathRoute) return { major: 18, minor: null, label: "18+", exact: false };
    if (signs.moduleLoader) return { major: 17, minor: null, label: "17+", exact: false };
    if (signs.defineOnly) return { major: 14, minor: null, label: "14-16", exact: false };
    return null;
  }

  /** Best answer from session info {server_version, server_version_info} and signs. */
  function detectVersion(session, signs) {
    const info = session || {};
    return parseVersionInfo(info.server_version_info)
      || parseServerVersion(info.server_version)
      || guessFromSigns(signs || {});
  }

  const api = { parseServerVersion, parseVersionInfo, guessFromSigns, detectVersion };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.OSR = globalThis.OSR || {}).odooVersion = api;
})();
