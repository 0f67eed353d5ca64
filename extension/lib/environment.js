// Which environment an Odoo page belongs to: "production", "staging" or
// "unknown" (C1). Decided from outside the database first: the customer's
// configuration wins, because a copy of production restored as staging
// carries production's in-database labels along. Signs in the page come
// second, and they can only ever say "staging": nothing in a page proves it
// is production.
//
// Origins in the configuration are written as an admin would write them:
//   https://erp.example.com          exact origin (scheme, host, port)
//   https://erp.example.com:443/     the same: default port, path and trailing slash are ignored
//   erp.example.com                  no scheme: http or https
//   https://*.staging.example.com    any subdomain (one level or more) of staging.example.com,
//                                    never staging.example.com itself
// Anything else (a typo, "*", a bare word) matches nothing.
"use strict";
(function () {
  const ENVIRONMENTS = Object.freeze({ PRODUCTION: "production", STAGING: "staging", UNKNOWN: "unknown" });
  const SCHEMES = ["http:", "https:"];

  // Odoo.sh names staging and development builds <project>-<branch>-<build id>.dev.odoo.com
  // (e.g. mycompany-staging-2-12345678.dev.odoo.com); production runs on <project>.odoo.com or
  // the customer's own domain, never under dev.odoo.com.
  const ODOO_SH_BUILD_HOST = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?-[a-z0-9](?:[a-z0-9-]*[a-z0-9])?-\d+\.dev\.odoo\.com$/i;

  /** "https://Erp.Example.com:443/x" -> {scheme: "https:", host: "erp.example.com", port: "", wildcard: false}; null when unusable. */
  function parseOriginPattern(text) {
    if (typeof text !== "string") return null;
    let value = text.trim();
    if (!value) return null;
    const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
    let wildcard = false;
    // URL() refuses "*" in a host, so the wildcard label is swapped for a placeholder while parsing.
    const placeholder = "osr-wildcard-label";
    const wildcardAt = value.indexOf("*.");
    if (wildcardAt !== -1) {
      const schemeEnd = hasScheme ? value.indexOf("://") + 3 : 0;
      if (wildcardAt !== schemeEnd) return null; // only a leading "*." is a wildcard
      value = value.slice(0, schemeEnd) + placeholder + value.slice(schemeEnd + 1);
      wildcard = true;
    }
    let url;
    try {
      url = new URL(hasScheme ? value : `https://${value}`);
    } catch {
      return null;
    }
    if (!SCHEMES.includes(url.protocol) || !url.hostname || url.username || url.password) return null;
    let host = url.hostname.toLowerCase();
    if (wildcard) {
      if (!host.startsWith(`${placeholder}.`)) return null;
      host = host.slice(placeholder.length + 1);
      if (!host.includes(".")) return null; // "*.com" would match half the internet
    }
    return {
      scheme: hasScheme ? url.protocol : null,
      host,
      port: url.port, // URL() already drops a default port: "" means the scheme's default
      wildcard,
    };
  }

  /** The page's origin ("http://127.0.0.1:8069") as {scheme, host, port}; null when not http(s). */
  function parsePageOrigin(origin) {
    const pattern = parseOriginPattern(origin);
    return pattern && pattern.scheme && !pattern.wildcard ? pattern : null;
  }

  function hostMatches(pattern, host) {
    if (!pattern.wildcard) return pattern.host === host;
    return host.endsWith(`.${pattern.host}`);
  }

  /** Does the configured entry `entry` cover the page origin `origin`? */
  function originMatches(entry, origin) {
    const pattern = parseOriginPattern(entry);
    const page = parsePageOrigin(origin);
    if (!pattern || !page) return false;
    if (pattern.scheme && pattern.scheme !== page.scheme) return false;
    return pattern.port === page.port && hostMatches(pattern, page.host);
  }

  /** A concrete origin to build links with ("https://staging.example.com"); null for wildcards and junk. */
  function concreteOrigin(entry) {
    const pattern = parseOriginPattern(entry);
    if (!pattern || pattern.wildcard) return null;
    const port = pattern.port ? `:${pattern.port}` : "";
    return `${pattern.scheme || "https:"}//${pattern.host}${port}`;
  }

  function asList(value) {
    if (Array.isArray(value)) return value.filter((item) => typeof item === "string");
    if (typeof value === "string") return value.split(/[\s,]+/).filter(Boolean); // a policy may give one string
    return [];
  }

  /**
   * The configured origins of one environment. The merged configuration
   * (`get-config`) already folds the customer's `environments` in; a
   * configuration without them falls back to `customer.environments` itself.
   */
  function configuredOrigins(config, environment) {
    const key = environment === ENVIRONMENTS.PRODUCTION ? "productionOrigins" : "stagingOrigins";
    const own = asList(config && config[key]);
    if (own.length) return own;
    const environments = config && config.customer && config.customer.environments;
    return asList(environments && environments[environment]);
  }

  /**
   * The environment the configuration gives this origin, or null. An origin
   * listed as both counts as production: the warning is the safe mistake.
   */
  function fromConfiguration(origin, config) {
    const listed = (environment) => configuredOrigins(config, environment).some((entry) => originMatches(entry, origin));
    if (listed(ENVIRONMENTS.PRODUCTION)) return ENVIRONMENTS.PRODUCTION;
    if (listed(ENVIRONMENTS.STAGING)) return ENVIRONMENTS.STAGING;
    return null;
  }

  function isOdooShBuildHost(hostname) {
    return typeof hostname === "string" && ODOO_SH_BUILD_HOST.test(hostname);
  }

  /**
   * What the page itself says, or null. `signs` is
   * {neutralizeBanner: bool, environmentRibbon: bool} as read from the page.
   */
  function fromSigns(hostname, signs) {
    const seen = signs || {};
    if (seen.neutralizeBanner) return { environment: ENVIRONMENTS.STAGING, reason: "neutralized-database" };
    if (seen.environmentRibbon) return { environment: ENVIRONMENTS.STAGING, reason: "environment-ribbon" };
    if (isOdooShBuildHost(hostname)) return { environment: ENVIRONMENTS.STAGING, reason: "odoo-sh-build" };
    return null;
  }

  /** {environment, reason}: why the page is what it is (reports and the README use the reason). */
  function explain(origin, hostname, signs, config) {
    const configured = fromConfiguration(origin, config);
    if (configured) return { environment: configured, reason: "configuration" };
    return fromSigns(hostname, signs) || { environment: ENVIRONMENTS.UNKNOWN, reason: "no-sign" };
  }

  /** "production" | "staging" | "unknown": configuration first, then signs in the page. */
  function decide(origin, hostname, signs, config) {
    return explain(origin, hostname, signs, config).environment;
  }

  const api = {
    ENVIRONMENTS,
    decide,
    explain,
    originMatches,
    concreteOrigin,
    configuredOrigins,
    isOdooShBuildHost,
    parseOriginPattern,
  };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.OSR = globalThis.OSR || {}).environment = api;
})();
