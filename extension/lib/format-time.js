// G6's promise shown in the user's language and time zone: "by Tuesday 3 June, 14:00 EEST".
"use strict";
(function () {
  const ANSWER_BY_FORMAT = Object.freeze({
    weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit", timeZoneName: "short",
  });

  /** `iso` (ISO 8601) formatted for `locale` in `timeZone` (the user's own when omitted); "" if invalid. */
  function formatAnswerBy(iso, locale, timeZone) {
    const date = new Date(iso);
    if (!iso || Number.isNaN(date.getTime())) return "";
    const options = timeZone ? { ...ANSWER_BY_FORMAT, timeZone } : ANSWER_BY_FORMAT;
    return new Intl.DateTimeFormat(locale || undefined, options).format(date);
  }

  /** A short date and time for lists (the popup's recent reports). */
  function formatShort(iso, locale, timeZone) {
    const date = new Date(iso);
    if (!iso || Number.isNaN(date.getTime())) return "";
    const options = { dateStyle: "short", timeStyle: "short", ...(timeZone ? { timeZone } : {}) };
    return new Intl.DateTimeFormat(locale || undefined, options).format(date);
  }

  const api = { formatAnswerBy, formatShort };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.OSR = globalThis.OSR || {}).formatTime = api;
})();
