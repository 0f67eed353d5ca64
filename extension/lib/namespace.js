// One shared namespace for the extension's classic scripts. Content scripts,
// the background and the extension pages load plain files (no bundler: the
// extension loads unpacked), so each file adds its part to `OSR` instead of
// exporting; files under lib/ also export for `node --test`.
"use strict";
globalThis.OSR = globalThis.OSR || {};
