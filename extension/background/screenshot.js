// The tab as the user sees it, error dialog included (E6, G4). Chromium allows
// captureVisibleTab twice a second (MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND):
// requests wait their turn in a queue instead of failing, so two errors in a
// row both get their screenshot.
import { serial } from "../lib.js";
import { handle } from "./messages.js";

const MIN_INTERVAL_MS = 510; // 2 per second, with a little margin for timer jitter
let nextSlot = 0;
const oneAtATime = serial.serialQueue();

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function takeTurn(tabId, windowId) {
  const wait = nextSlot - Date.now();
  if (wait > 0) await sleep(wait);
  // captureVisibleTab shoots the window's active tab: a background tab's error must not get another page's picture
  const tab = await chrome.tabs.get(tabId);
  if (!tab.active) throw Object.assign(new Error("The tab is not visible"), { code: "ERROR_TAB_NOT_VISIBLE" });
  nextSlot = Date.now() + MIN_INTERVAL_MS;
  return chrome.tabs.captureVisibleTab(windowId, { format: "png" });
}

async function captureScreenshot(data, sender) {
  if (!sender || !sender.tab) {
    throw Object.assign(new Error("capture-screenshot comes from a tab's content script"), { code: "ERROR_BAD_REQUEST" });
  }
  const dataUrl = await oneAtATime(() => takeTurn(sender.tab.id, sender.tab.windowId));
  return { dataUrl, takenAt: new Date().toISOString() };
}

handle("capture-screenshot", captureScreenshot);
