// Is this page Odoo, and where in it is the user? Works on any host with no
// configuration: Odoo is recognised by its own marks (the web client's body
// class, its navbar, its asset bundles, the session info the tap reads). On
// other pages detect() is null and nothing else runs.
//
// Two kinds of Odoo page: the web client (`body.o_web_client`, the backend
// where users work and where error dialogs appear) and the frontend (website,
// portal, login: `is_frontend` session info, no o_web_client). Both count as
// Odoo, because Odoo shows error notifications on frontend pages too, and the
// login page is where PRODUCTION is worth saying; `frontend` tells them apart
// for the features that only make sense in the web client.
// Cheap: a handful of selector lookups and one URL parse per call.
"use strict";
(function (OSR) {
  // Odoo's bundles: /web/content/<id>-<hash>/web.assets_common.js (14),
  // /web/assets/<id>-<hash>/web.assets_backend.min.js (15, 16),
  // /web/assets/<hash>/web.assets_web.min.js (17+). A bare "/web/assets/" is
  // too common a path on other sites to mean anything alone.
  const ASSET_SELECTOR = [
    "script[src*='/web/assets/'][src*='web.assets_']", "link[href*='/web/assets/'][href*='web.assets_']",
    "script[src*='/web/content/'][src*='web.assets_']", "link[href*='/web/content/'][href*='web.assets_']",
  ].join(",");

  function text(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  /** The Odoo marks this page carries; an empty list means "not Odoo". */
  function odooSigns() {
    const session = OSR.rpcErrors.sessionInfo();
    const body = document.body;
    const signs = [];
    if (body && body.classList.contains("o_web_client")) signs.push("web-client");
    if (document.querySelector(".o_main_navbar")) signs.push("navbar");
    if (session) signs.push("session-info");
    if (document.getElementById("web.layout.odooscript")) signs.push("layout-script");
    if (document.querySelector(ASSET_SELECTOR)) signs.push("assets");
    return signs;
  }

  /** An Odoo page has the web client's body class, or at least two independent marks. */
  function isOdoo(signs) {
    return signs.includes("web-client") || signs.length >= 2;
  }

  function companyName(session, route) {
    const companies = session && session.user_companies;
    if (companies) {
      const current = companies.current_company;
      if (Array.isArray(current)) return String(current[1]); // 14: [id, name]
      const allowed = companies.allowed_companies || {};
      const entry = Array.isArray(allowed)
        ? allowed.find((item) => Array.isArray(item) && item[0] === current) // 14 list of [id, name]
        : allowed[current] || allowed[route.company_ids[0]];
      if (entry) return String(Array.isArray(entry) ? entry[1] : entry.name);
    }
    return text(document.querySelector(".o_switch_company_menu .dropdown-toggle")) || null;
  }

  function userName(session) {
    if (session && (session.name || session.partner_display_name || session.username)) {
      return session.name || session.partner_display_name || session.username;
    }
    return text(document.querySelector(".o_user_menu .oe_topbar_name")) || null;
  }

  /** The main action's breadcrumbs (not a dialog's control panel), oldest first. */
  function breadcrumbs() {
    const panel = document.querySelector(".o_action_manager .o_control_panel") || document.querySelector(".o_control_panel");
    if (!panel) return [];
    return Array.from(panel.querySelectorAll(".breadcrumb-item, .o_last_breadcrumb_item"))
      .filter((item, index, all) => !all.some((other) => other !== item && other.contains(item)))
      .map(text)
      .filter(Boolean);
  }

  /** "list", "form", "kanban", ... from the main view's root class (o_list_view, ...). */
  function viewTypeFromDom() {
    const root = document.querySelector(".o_action_manager .o_view_controller, .o_action_manager .o_content > [class*='_view']");
    const match = root && /(?:^|\s)o_(\w+?)_view(?:\s|$)/.exec(root.className);
    return match ? match[1] : null;
  }

  function versionSigns(route) {
    const session = OSR.rpcErrors.sessionInfo() || {};
    return {
      odooPathRoute: Boolean(route && route.scheme === "odoo"),
      moduleLoader: Boolean(session.has_loader),
      defineOnly: Boolean(session.has_define && !session.has_loader),
    };
  }

  const RECORD_LOADS = new Set(["web_read", "read", "web_save", "write", "onchange", "web_search_read", "search_read", "web_read_group", "read_group"]);

  /**
   * 18+ routes such as /odoo/sales/42 name an app path, not the model: the
   * call that loaded the view says which model it shows (the newest load of
   * this record, or of any list when no record is open).
   */
  function modelFromCalls(recordId) {
    const calls = OSR.rpcErrors.calls().reverse();
    const load = calls.find((call) => call.model && RECORD_LOADS.has(call.method)
      && (recordId === null || typeof recordId !== "number" || (call.ids || []).includes(recordId)));
    return load ? load.model : null;
  }

  function databaseName(session) {
    if (session && session.db) return session.db;
    return new URLSearchParams(location.search).get("db");
  }

  /**
   * null on a page that is not Odoo; else {version, database, user, company,
   * lang, app, breadcrumbs, model, record_id, view_type, action, url, ...}.
   */
  function detect() {
    const signs = odooSigns();
    if (!isOdoo(signs)) return null;
    const session = OSR.rpcErrors.sessionInfo();
    const route = OSR.odooRoutes.parseOdooUrl(location.href) || OSR.odooRoutes.parseOdooUrl("http://x/web");
    const version = OSR.odooVersion.detectVersion(session, versionSigns(route));
    return {
      version: version ? version.label : null,
      major: version ? version.major : null,
      version_exact: Boolean(version && version.exact),
      database: databaseName(session),
      user: userName(session),
      uid: session && Number.isInteger(session.uid) ? session.uid : null,
      company: companyName(session, route),
      lang: (session && session.lang) || document.documentElement.lang || null,
      app: text(document.querySelector(".o_main_navbar .o_menu_brand")) || null,
      breadcrumbs: breadcrumbs(),
      model: route.model || (route.action !== null ? modelFromCalls(route.record_id) : null),
      record_id: route.record_id,
      view_type: route.view_type || viewTypeFromDom(),
      action: route.action,
      menu_id: route.menu_id,
      url: OSR.redact.redactUrl(location.href),
      frontend: Boolean(session && session.is_frontend) || !signs.includes("web-client"),
      signs,
    };
  }

  OSR.odooPage = { detect, isOdoo: () => isOdoo(odooSigns()) };
})(globalThis.OSR);
