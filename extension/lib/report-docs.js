// A1: the Odoo documentation for the app the user is in, for their version:
// https://www.odoo.com/documentation/<version>/applications/<section>/<app>.html.
// The app is found from the model (sale.order → Sales), the 18+ route's app
// path (/odoo/sales), or the English menu name; else the applications index.
"use strict";
(function () {
  const DOCS = "https://www.odoo.com/documentation";
  const DOC_PATHS = Object.freeze({
    sales: "sales/sales", crm: "sales/crm", point_of_sale: "sales/point_of_sale",
    accounting: "finance/accounting", expenses: "finance/expenses",
    inventory: "inventory_and_mrp/inventory", manufacturing: "inventory_and_mrp/manufacturing",
    purchase: "inventory_and_mrp/purchase",
    project: "services/project", helpdesk: "services/helpdesk", timesheets: "services/timesheets",
    employees: "hr/employees", time_off: "hr/time_off", recruitment: "hr/recruitment", payroll: "hr/payroll",
    website: "websites/website", email_marketing: "marketing/email_marketing", events: "marketing/events",
    calendar: "productivity/calendar", discuss: "productivity/discuss",
  });
  // Longest prefix first: hr.expense before hr.
  const MODEL_PREFIXES = [
    ["account.analytic.line", "timesheets"], ["hr.expense", "expenses"], ["hr.leave", "time_off"],
    ["hr.applicant", "recruitment"], ["hr.payslip", "payroll"], ["hr.", "employees"],
    ["sale.", "sales"], ["crm.", "crm"], ["pos.", "point_of_sale"], ["account.", "accounting"],
    ["stock.", "inventory"], ["mrp.", "manufacturing"], ["purchase.", "purchase"],
    ["project.", "project"], ["helpdesk.", "helpdesk"], ["website", "website"],
    ["mailing.", "email_marketing"], ["event.", "events"], ["calendar.", "calendar"],
    ["discuss.", "discuss"], ["mail.", "discuss"], ["product.", "sales"],
  ];
  const ROUTE_PATHS = Object.freeze({
    sales: "sales", crm: "crm", "point-of-sale": "point_of_sale", accounting: "accounting", invoicing: "accounting",
    expenses: "expenses", inventory: "inventory", manufacturing: "manufacturing", purchase: "purchase",
    project: "project", helpdesk: "helpdesk", timesheets: "timesheets", employees: "employees",
    "time-off": "time_off", recruitment: "recruitment", payroll: "payroll", website: "website",
    "email-marketing": "email_marketing", events: "events", calendar: "calendar", discuss: "discuss",
  });

  const appKeyFromName = (name) => String(name || "").trim().toLowerCase().replace(/[\s-]+/g, "_");

  /** The docs' app key for a page: model, then route path, then menu name; null when unknown. */
  function appFor({ model, path, appName } = {}) {
    if (model) {
      const found = MODEL_PREFIXES.find(([prefix]) => String(model).startsWith(prefix));
      if (found) return found[1];
    }
    const firstSegment = String(path || "").replace(/^\/?(odoo\/)?/, "").split(/[/?#]/)[0];
    if (ROUTE_PATHS[firstSegment]) return ROUTE_PATHS[firstSegment];
    const byName = appKeyFromName(appName === "Invoicing" ? "accounting" : appName);
    return DOC_PATHS[byName] ? byName : null;
  }

  /** "17.0", "saas~17.2", "Odoo 18.0+e" → "17.0", "17.0", "18.0"; unknown → "latest". */
  function docVersion(version) {
    const major = /(\d{2})(?:\.\d+)?/.exec(String(version || ""));
    return major && Number(major[1]) >= 11 ? `${major[1]}.0` : "latest";
  }

  /** The deep link for this page's app and version. */
  function documentationUrl({ version, model, path, appName } = {}) {
    const app = appFor({ model, path, appName });
    const base = `${DOCS}/${docVersion(version)}/applications`;
    return { app, url: app ? `${base}/${DOC_PATHS[app]}.html` : `${base}.html` };
  }

  const api = { DOC_PATHS, appFor, docVersion, documentationUrl };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.OSR = globalThis.OSR || {}).reportDocs = api;
})();
