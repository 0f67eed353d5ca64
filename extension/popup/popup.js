// The toolbar popup. "Ask support" first offers A1–A3 for the current page:
// the process guide, the Odoo documentation for this app and version, the
// same page in staging, the key user; only then "Ask support anyway" (A4)
// opens the report form as a question. Below: recent reports and their status.
import { environment, formatTime, messaging, odooRoutes, pageI18n, reportDocs, stagingUrl } from "../lib.js";

const { t, fill, errorText } = pageI18n;
const { askBackground } = messaging;
const { configuredOrigins, decide } = environment;
const { stagingUrlFor } = stagingUrl;
const $ = (id) => document.getElementById(id);
const locale = chrome.i18n.getUILanguage();

/** The tab the popup is about: `?tab=<id>` when opened as a page, else the window's active tab. */
async function currentTab() {
  const tabId = Number(new URLSearchParams(location.search).get("tab"));
  if (tabId) return chrome.tabs.get(tabId);
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab || null;
}

/**
 * What the content script knows of the page (OSR.odooPage.detect()), or what
 * the URL alone says when the page has no content script (not http, or not loaded yet).
 */
async function pageContext(tab) {
  if (!tab || !/^https?:/.test(tab.url || "")) return null;
  try {
    const answer = await chrome.tabs.sendMessage(tab.id, { type: "get-page-context", data: {} });
    const page = answer && "ok" in answer ? answer.data : answer;
    if (page) return page;
  } catch (_) {
    // no listener in this tab: fall back to the URL
  }
  const route = odooRoutes.parseOdooUrl(tab.url);
  return route ? { url: tab.url, model: route.model, record_id: route.record_id, view_type: route.view_type, action: route.action, version: null } : null;
}

function environmentOf(url, config) {
  try {
    const parsed = new URL(url);
    return decide(parsed.origin, parsed.hostname, {}, config);
  } catch (_) {
    return "unknown";
  }
}

/** Only web addresses become links: a configured "javascript:" URL must never run here. */
function webUrl(text) {
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch (_) {
    return null;
  }
}

function showGuide(customer) {
  const url = customer && webUrl(customer.process_guide_url);
  $("guide-link").hidden = !url;
  $("guide-missing").hidden = Boolean(url);
  if (url) $("guide-link").href = url;
}

function pathOf(url) {
  try {
    return new URL(url).pathname;
  } catch (_) {
    return "";
  }
}

function showDocs(page) {
  const known = page || {};
  const version = reportDocs.docVersion(known.version);
  const { app, url } = reportDocs.documentationUrl({
    version: known.version, model: known.model, path: pathOf(known.url), appName: known.app,
  });
  const appLabel = (page && page.app) || (app ? app.replace(/_/g, " ") : "");
  $("docs-link").href = url;
  $("docs-link").textContent = app ? t("popup_docs", [appLabel, version]) : t("popup_docs_general", version);
}

function showStaging(tab, config) {
  const environment = tab ? environmentOf(tab.url, config) : "unknown";
  const stagingUrl = tab && environment !== "staging" ? stagingUrlFor(tab.url, configuredOrigins(config, "staging")) : null;
  $("staging-link").hidden = !stagingUrl;
  if (stagingUrl) $("staging-link").href = stagingUrl;
  $("staging-note").textContent = environment === "staging" ? t("popup_in_staging") : stagingUrl ? "" : t("popup_staging_missing");
}

function showKeyUser(customer) {
  const keyUser = (customer && customer.key_user) || {};
  const link = $("key-user-link");
  link.hidden = !(keyUser.name || keyUser.email);
  $("key-user-label").textContent = link.hidden ? t("popup_key_user_missing") : t("popup_key_user");
  link.textContent = [keyUser.name, keyUser.email && `<${keyUser.email}>`].filter(Boolean).join(" ");
  if (keyUser.email) link.href = `mailto:${keyUser.email}`;
}

function statusText(report) {
  if (report.status === "waiting") return [t("popup_status_waiting"), "waiting"];
  if (report.status === "sending") return [t("popup_status_sending"), "waiting"];
  if (report.status === "rejected") return [t("popup_status_rejected"), "failed"];
  const ticket = report.helpdesk;
  if (ticket && ticket.ticket) {
    // In the partner's helpdesk: "HT00009 — In Progress", or "… — Solved" once closed.
    const stage = ticket.closed ? t("popup_helpdesk_solved") : ticket.stage || t("popup_delivery_sent");
    return [t("popup_helpdesk_stage", [ticket.ticket, stage]), ticket.closed ? "solved" : "sent"];
  }
  const delivery = report.delivery;
  const known = ["queued", "sending", "sent", "failed"].includes(delivery);
  return [t(known ? `popup_delivery_${delivery}` : "popup_delivery_unknown"), delivery === "failed" ? "failed" : "sent"];
}

function reportItem(report) {
  const item = document.createElement("li");
  const title = document.createElement("span");
  title.className = "report-title";
  title.textContent = report.title;
  const [text, status] = statusText(report);
  const state = document.createElement("span");
  state.className = "report-status";
  state.dataset.status = status;
  state.textContent = text;
  const meta = document.createElement("span");
  meta.className = "report-meta";
  const reference = report.receipt && report.receipt.reference;
  meta.append(
    [t(report.kind === "question" ? "popup_kind_question" : "popup_kind_error"), reference, formatTime.formatShort(report.createdAt, locale)]
      .filter(Boolean).join(" · ") + " · ",
    state,
  );
  if (report.status === "waiting" && report.lastError) meta.append(` (${errorText(report.lastError)})`);
  if (report.status === "rejected" && report.rejection && report.rejection.message) meta.append(` (${report.rejection.message})`);
  if (report.status === "sent" && report.deliveryFailure) meta.append(` (${report.deliveryFailure})`);
  item.dataset.clientReportId = report.clientReportId;
  item.append(title, meta);
  return item;
}

function showReports(reports) {
  $("report-list").replaceChildren(...reports.map(reportItem));
  $("no-reports").hidden = reports.length > 0;
  $("retry").hidden = !reports.some((report) => report.status === "waiting");
}

async function refreshReports(type = "list-reports") {
  try {
    showReports((await askBackground(type)).reports);
  } catch (error) {
    $("popup-error").textContent = errorText(error.code);
  }
}

/** A4: the question form, with this page's context and, if asked for, its screenshot. */
async function askAnyway(tab, page, config) {
  $("ask-anyway").disabled = true;
  try {
    const screenshot = tab && $("include-screenshot").checked
      ? await chrome.tabs.captureVisibleTab(tab.windowId, { format: "png" })
      : null;
    const capture = {
      error: null,
      context: questionContext(tab, page, config),
      steps: [],
      screenshot,
      reporter: page && page.user
        ? { name: page.user, email: "", account: { origin: new URL(tab.url).origin, database: page.database, uid: page.uid } }
        : null,
    };
    const { captureId } = await askBackground("store-capture", { capture });
    await askBackground("open-report-form", { captureId, kind: "question" });
    window.close();
  } catch (error) {
    $("popup-error").textContent = errorText(error.code);
    $("ask-anyway").disabled = false;
  }
}

function questionContext(tab, page, config) {
  const context = { browser: navigator.userAgent, occurred_at: new Date().toISOString() };
  if (!tab || !/^https?:/.test(tab.url || "")) return context;
  const known = page || {};
  return {
    ...context,
    url: known.url || tab.url,
    odoo_version: known.version || null,
    database: known.database || null,
    user: known.user || null,
    company: known.company || null,
    lang: known.lang || null,
    app: known.app || null,
    model: known.model || null,
    record_id: known.record_id ?? null,
    view_type: known.view_type || null,
    environment: environmentOf(tab.url, config),
  };
}

async function start() {
  fill();
  const tab = await currentTab();
  const [config, page] = await Promise.all([askBackground("get-config").catch(() => ({ stagingOrigins: [], customer: null })), pageContext(tab)]);
  showGuide(config.customer);
  showDocs(page);
  showStaging(page ? tab : null, config);
  showKeyUser(config.customer);
  $("include-screenshot").checked = Boolean(page);
  $("ask-anyway").addEventListener("click", () => askAnyway(tab, page, config));
  $("retry").addEventListener("click", () => refreshReports("retry-reports"));
  $("settings-link").addEventListener("click", (event) => {
    event.preventDefault();
    chrome.runtime.openOptionsPage();
  });
  await refreshReports();
  document.body.dataset.ready = "true";
}

start();
