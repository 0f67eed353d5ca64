// The background: Chromium runs this file as the MV3 service worker and pulls
// in the modules with importScripts; Firefox lists the same files under
// background.scripts (manifest), where importScripts does not exist.
"use strict";
if (typeof importScripts === "function" && typeof window === "undefined") {
  importScripts(
    "lib/namespace.js",
    "background/messages.js",
    "background/config.js",
    "background/captures.js",
    "background/screenshot.js",
    "background/server-api.js",
    "lib/backoff.js",
    "background/report-queue.js",
    "background/report-window.js",
  );
}

// Listeners at top level so that the worker wakes for them.
OSR.messages.listen();
