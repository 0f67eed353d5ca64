// The name and e-mail a user typed in the report form, remembered for the next
// report of the same person (G3: support must be able to answer). A person is
// one Odoo user (uid) of one database on one origin: on a shared computer the
// next user of the browser is someone else, and a demo user whose login is not
// an e-mail must never be offered the administrator's address. Without a known
// account nothing is remembered nor offered.
"use strict";
(function () {
  const STORAGE_KEY = "reporters";
  const LEGACY_KEY = "lastReporter"; // one unkeyed entry, whoever typed it: dropped on the next save
  const KEEP = 20;

  /** "origin database uid", or null when the account is not fully known. */
  function accountKey(account) {
    if (!account || typeof account !== "object") return null;
    const { origin, database, uid } = account;
    const known = (value) => (typeof value === "string" && value.trim() !== "") || Number.isInteger(value);
    if (!known(origin) || !known(database) || !known(uid)) return null;
    return JSON.stringify([String(origin), String(database), String(uid)]);
  }

  /** {name, email} remembered for this account in `stored` (the storage's value), or {}. */
  function recall(stored, account) {
    const key = accountKey(account);
    const entry = key && stored && typeof stored === "object" ? stored[key] : null;
    return entry && typeof entry === "object" ? { name: entry.name || "", email: entry.email || "" } : {};
  }

  /** The storage's new value with {name, email} for this account, the newest KEEP accounts only. */
  function remember(stored, account, { name, email }, now = Date.now()) {
    const key = accountKey(account);
    const entries = stored && typeof stored === "object" ? { ...stored } : {};
    if (!key) return entries;
    entries[key] = { name: String(name || ""), email: String(email || ""), savedAt: now };
    const newest = Object.entries(entries).sort((a, b) => (b[1].savedAt || 0) - (a[1].savedAt || 0)).slice(0, KEEP);
    return Object.fromEntries(newest);
  }

  const api = { STORAGE_KEY, LEGACY_KEY, accountKey, recall, remember };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.OSR = globalThis.OSR || {}).reporterMemory = api;
})();
