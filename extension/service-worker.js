// The background, as an ES module: Chromium runs it as the MV3 service worker,
// Firefox as its background script (manifest `background`, `"type": "module"`
// for both). The imports are the one load list; each background module
// registers its message handlers when it is imported.
import * as captures from "./background/captures.js";
import "./background/config.js";
import * as messages from "./background/messages.js";
import * as reportQueue from "./background/report-queue.js";
import "./background/report-window.js";
import "./background/screenshot.js";

// Listeners at top level so that the worker wakes for them.
messages.listen();

// The way in for the worker's DevTools console and the browser tests (which
// store and read captures and reports there): modules keep nothing global.
globalThis.OSR = Object.assign(globalThis.OSR || {}, { messages, captures, reportQueue });
