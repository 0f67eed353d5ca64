// Secrets never leave the page: passwords, CSRF tokens, session ids, access
// tokens and API keys are replaced by a marker in URLs, captured text and
// structured data before anything is stored or sent. Over-redacting a harmless
// value costs little; leaking a token does not, so the patterns are generous.
"use strict";
(function (root) {
  const MARK = "[redacted]";

  // A key is secret when its name contains one of these words
  // (csrf_token, access_token, new_password, x-api-key, session_id, ...).
  const SECRET_WORDS = "passw(?:or)?d|passwd|pwd|secret|token|api[_-]?key|apikey|session[_-]?id|sid|signature|authori[sz]ation|cookie|private[_-]?key";
  const SECRET_KEY = new RegExp(`(?:^|[^a-z])(?:${SECRET_WORDS})(?:$|[^a-z])`, "i");
  const SECRET_KEY_EXACT = /^(?:key|pass|auth|otp|totp|code_verifier)$/i;

  // key=value, key: value, "key": "value", 'key': 'value' (Python reprs in
  // tracebacks), within query strings, hashes, JSON, headers and log lines.
  const KEY_NAME = `[\\w.-]*(?:${SECRET_WORDS})[\\w.-]*|key|pass|auth`;
  const KEY_VALUE = new RegExp(
    `(["']?)\\b(${KEY_NAME})\\1(\\s*[:=]\\s*)(?:(["'])((?:\\\\.|(?!\\4)[^\\\\])*)\\4|(\\[redacted\\]|[^\\s"'&#,;)}\\]<>]+))`,
    "gi",
  );
  const HEADER_LINE = /^(\s*(?:Proxy-)?Authorization|\s*Cookie|\s*Set-Cookie|\s*X-[\w-]*(?:Token|Key|Session)[\w-]*)(\s*:\s*)(.+)$/gim;
  const BEARER = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/g;
  // Odoo's CSRF token: 40 hex digits, "o", an expiry timestamp.
  const ODOO_CSRF = /\b[0-9a-f]{40}o\d{0,12}\b/g;
  const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+):[^\s/@]+@/gi;

  function isSecretKey(name) {
    const key = String(name);
    return SECRET_KEY.test(key) || SECRET_KEY_EXACT.test(key);
  }

  function redactKeyValues(text) {
    return text.replace(KEY_VALUE, (match, keyQuote, key, separator, valueQuote, quoted, bare) => {
      if (!isSecretKey(key)) return match;
      if ((quoted === undefined && bare === undefined) || (quoted || bare) === MARK) return match;
      const value = valueQuote ? `${valueQuote}${MARK}${valueQuote}` : MARK;
      return `${keyQuote}${key}${keyQuote}${separator}${value}`;
    });
  }

  /** Redact secrets from free text: tracebacks, messages, log lines, URLs in them. */
  function redactText(text) {
    if (typeof text !== "string" || !text) return text;
    return redactKeyValues(
      text
        .replace(HEADER_LINE, (match, name, separator) => `${name}${separator}${MARK}`)
        .replace(BEARER, (match, scheme) => `${scheme} ${MARK}`)
        // the password goes, not replaced: brackets in a URL's authority read as an IPv6 host
        .replace(URL_USERINFO, "$1@"),
    ).replace(ODOO_CSRF, MARK);
  }

  /** Redact a URL: secret query/hash parameters and a password in user info. */
  function redactUrl(url) {
    return redactText(url);
  }

  /** Deep copy of `value` with secret keys masked and every string redacted. */
  function redactObject(value, depth = 0) {
    if (depth > 12) return MARK; // bounded: a cyclic or absurdly deep value is not data support needs
    if (typeof value === "string") return redactText(value);
    if (Array.isArray(value)) return value.map((item) => redactObject(item, depth + 1));
    if (value && typeof value === "object") {
      const copy = {};
      for (const [key, item] of Object.entries(value)) {
        copy[key] = isSecretKey(key) && item !== null && item !== "" && item !== false
          ? MARK
          : redactObject(item, depth + 1);
      }
      return copy;
    }
    return value;
  }

  const api = { MARK, isSecretKey, redactText, redactUrl, redactObject };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (root.OSR = root.OSR || {}).redact = api;
})(globalThis);
