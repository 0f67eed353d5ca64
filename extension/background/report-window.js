// `open-report-form`: the report form is an extension page in its own popup
// window, so Odoo's CSS cannot reach it and it never shows in the page's
// screenshot (captured before the window opens).
import { handle } from "./messages.js";

const FORM_PATH = "report/report.html";
const WINDOW_SIZE = { width: 760, height: 900 };
const KINDS = new Set(["error", "question"]);

function formUrl({ captureId, kind }) {
  const params = new URLSearchParams({ kind });
  if (captureId) params.set("capture", captureId);
  return chrome.runtime.getURL(`${FORM_PATH}?${params}`);
}

/**
 * Opens the form; `data = {captureId?, kind}` → `{windowId}`. Firefox for
 * Android has no windows API: there the form opens in a tab.
 */
async function openReportForm({ captureId, kind = "error" }) {
  if (!KINDS.has(kind)) throw new Error(`Unknown report kind '${kind}'`);
  const url = formUrl({ captureId, kind });
  if (!chrome.windows) {
    const tab = await chrome.tabs.create({ url, active: true });
    return { windowId: tab.windowId ?? null };
  }
  const created = await chrome.windows.create({ url, type: "popup", focused: true, ...WINDOW_SIZE });
  return { windowId: created.id };
}

handle("open-report-form", openReportForm);
