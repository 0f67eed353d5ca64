// lib/ for ES modules (the service worker and the extension pages). The files in
// lib/ are shared with the content scripts, which cannot be modules, so each is a
// classic script with one export pattern: `module.exports` under `node --test`,
// else its part of the `OSR` namespace. Importing one here runs it; this module
// hands its part on as a named export, so that no module reads `OSR` itself.
import "./lib/backoff.js";
import "./lib/environment.js";
import "./lib/format-time.js";
import "./lib/messaging.js";
import "./lib/odoo-routes.js";
import "./lib/page-fields.js";
import "./lib/page-i18n.js";
import "./lib/report-body.js";
import "./lib/report-boxes.js";
import "./lib/report-docs.js";
import "./lib/reporter-memory.js";
import "./lib/serial.js";
import "./lib/server-address.js";
import "./lib/settings.js";
import "./lib/staging-url.js"; // after environment.js, which it uses
import "./lib/storage-quota.js";
import "./lib/title-rules.js";

export const {
  backoff,
  environment,
  formatTime,
  messaging,
  odooRoutes,
  pageFields,
  pageI18n,
  reportBody,
  reportBoxes,
  reportDocs,
  reporterMemory,
  serial,
  serverAddress,
  settings,
  stagingUrl,
  storageQuota,
  titleRules,
} = globalThis.OSR;
