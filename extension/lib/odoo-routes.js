// Odoo's web client routes, both schemes:
//   up to 17: /web#action=312&model=sale.order&id=42&view_type=form&menu_id=178&cids=1
//   from 18:  /odoo/<segments>?<query> (or /scoped_app/…), where each non-numeric segment is an
//             action (`action-312`, `action-sale.action_orders`, an app path
//             such as `sales`) or a model (`sale.order`, `m-website`), a
//             number on its left is the active_id and a number (or `new`) on
//             its right the record id; the last segment describes the
//             current view (addons/web/static/src/core/browser/router.js, 18.0).
"use strict";
(function () {
  const NUMERIC = /^\d+$/;

  function castNumber(value) {
    return typeof value === "string" && NUMERIC.test(value) ? Number(value) : value;
  }

  /** "a=1&b=x%20y" → {a: 1, b: "x y"}; keys with no value are kept as "". */
  function parseParams(text) {
    const params = {};
    for (const part of String(text || "").split("&")) {
      if (!part) continue;
      const [key, ...rest] = part.split("=");
      let value = rest.join("=");
      try {
        value = decodeURIComponent(value.replace(/\+/g, " "));
      } catch (error) {
        // a malformed escape is kept as it was: a route is still readable
      }
      params[decodeURIComponent(key)] = castNumber(value);
    }
    return params;
  }

  /** "1,3" or "1-3" (17 uses dashes) → [1, 3]. */
  function parseCompanyIds(value) {
    if (value === undefined || value === null || value === "") return [];
    return String(value).split(/[,-]/).filter((id) => NUMERIC.test(id)).map(Number);
  }

  function emptyRoute(scheme) {
    return {
      scheme, action: null, model: null, record_id: null, view_type: null,
      menu_id: null, active_id: null, company_ids: [], path: null, debug: null,
    };
  }

  function fromWebHash(url) {
    const route = emptyRoute("web");
    const hash = parseParams(url.hash.replace(/^#/, ""));
    const query = parseParams(url.search.replace(/^\?/, ""));
    route.action = hash.action === undefined || hash.action === "" ? null : hash.action;
    route.model = hash.model || null;
    route.record_id = hash.id === undefined || hash.id === "" ? null : hash.id;
    route.view_type = hash.view_type || (route.record_id !== null ? "form" : null);
    route.menu_id = typeof hash.menu_id === "number" ? hash.menu_id : null;
    route.active_id = typeof hash.active_id === "number" ? hash.active_id : null;
    route.company_ids = parseCompanyIds(hash.cids);
    route.debug = query.debug === undefined ? null : String(query.debug);
    return route;
  }

  /** One /odoo segment to {action} or {model}, as Odoo's urlToState reads it. */
  function describeSegment(part) {
    if (part.startsWith("action-")) return { action: castNumber(part.slice(7)) };
    if (part.startsWith("m-")) return { model: part.slice(2) };
    if (part.includes(".")) return { model: part };
    return { action: part };
  }

  function fromOdooPath(url, segments) {
    const route = emptyRoute("odoo");
    const query = parseParams(url.search.replace(/^\?/, ""));
    const stack = [];
    segments.forEach((part, index) => {
      if (NUMERIC.test(part) || part === "new") return;
      const left = segments[index - 1];
      const right = segments[index + 1];
      stack.push({
        ...describeSegment(part),
        active_id: left !== undefined && NUMERIC.test(left) ? Number(left) : null,
        record_id: right === "new" ? "new" : right !== undefined && NUMERIC.test(right) ? Number(right) : null,
        path: part,
      });
    });
    const current = stack[stack.length - 1];
    if (current) {
      route.action = current.action === undefined ? null : current.action;
      route.model = current.model || null;
      route.record_id = current.record_id;
      route.active_id = current.active_id;
      route.path = current.path;
    }
    route.view_type = query.view_type || (route.record_id !== null ? "form" : null);
    route.menu_id = typeof query.menu_id === "number" ? query.menu_id : null;
    route.company_ids = parseCompanyIds(query.cids);
    route.debug = query.debug === undefined ? null : String(query.debug);
    route.stack_depth = stack.length;
    return route;
  }

  /**
   * Parse an Odoo web client URL into {scheme: "web"|"odoo", action, model,
   * record_id, view_type, menu_id, active_id, company_ids, path, debug};
   * null when the URL is not a web client route.
   */
  function parseOdooUrl(href) {
    let url;
    try {
      url = new URL(href);
    } catch (error) {
      return null;
    }
    const segments = url.pathname.split("/").filter(Boolean);
    if (segments[0] === "web" && segments.length === 1) return fromWebHash(url);
    // /scoped_app/… is the same router under the installed web app's prefix (18.x PWA).
    if (segments[0] === "odoo" || segments[0] === "scoped_app") return fromOdooPath(url, segments.slice(1));
    return null;
  }

  const api = { parseOdooUrl, parseParams, parseCompanyIds };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.OSR = globalThis.OSR || {}).odooRoutes = api;
})();
