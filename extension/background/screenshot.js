// The tab as the user sees it, error dialog included (E6, G4). Chromium allows
// captureVisibleTab twice a second (MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND):
// requests wait their turn in a queue instead of failing, so two errors in a
// row both get their screenshot.
"use strict";
(function (OSR) {
  const MIN_INTERVAL_MS = 510; // 2 per second, with a little margin for timer jitter
  let nextSlot = 0;
  let queue = Promise.resolve();

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
    const shot = queue.then(() => takeTurn(sender.tab.id, sender.tab.windowId));
    queue = shot.catch(() => {});
    return { dataUrl: await shot, takenAt: new Date().toISOString() };
  }

  OSR.messages.handle("capture-screenshot", captureScreenshot);
  OSR.screenshot = { captureScreenshot };
})(globalThis.OSR);
