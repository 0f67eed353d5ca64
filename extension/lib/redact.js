// Secrets never leave the page: passwords, CSRF tokens, session ids, access
// tokens and API keys are replaced by a marker in URLs, captured text and
// structured data before anything is stored or sent. Over-redacting a harmless
// value costs little; leaking a token does not, so the patterns are generous.
"use strict";
(function () {
  const MARK = "[redacted]";

  // A key is secret when its name contains one of these words
  // (csrf_token, access_token, new_password, x-api-key, session_id, smtp_pass, ...).
  // server/redact.py holds the same patterns; tests/shared/redaction_cases.json tests both.
  const SECRET_WORDS = "passw(?:or)?d|passwd|pwd|pass|secret|token|api[_-]?key|apikey|session[_-]?id|sid|signature|authori[sz]ation|cookie|private[_-]?key";
  const SECRET_KEY = new RegExp(`(?:^|[^a-z])(?:${SECRET_WORDS})(?:$|[^a-z])`, "i");
  const SECRET_KEY_EXACT = /^(?:key|pass|auth|otp|totp|code_verifier)$/i;

  // key=value, key: value, "key": "value", 'key': 'value' (Python reprs in tracebacks,
  // b'...' bytes too), \"key\": \"value\" (JSON escaped inside a string), within query
  // strings, hashes, JSON, headers and log lines. A quote left open redacts to the line end.
  // A key is a token holding a secret word (isSecretKey decides), starting only where no
  // token character precedes it: a key pattern that could start anywhere made "a.a.a.…"
  // quadratic (seconds for 16 KB).
  const KEY_NAME = `(?<![\\w.-])(?:(?=[\\w.-]{0,64}(?:${SECRET_WORDS}))[\\w.-]{1,128}|key|pass|auth)`;
  const KEY_VALUE = new RegExp(
    `(\\\\{0,8}["']|)(${KEY_NAME})\\1(\\s*[:=]\\s*)(?:` +
      `([bBrRuU]{0,2})(["'])((?:\\\\.|(?!\\5)[^\\\\\\n])*)(\\5|)` + // quoted, Python prefix
      `|(\\\\{1,8}["'])((?:(?!\\8)[^\\n])*)\\8` + // quoted with escaped quotes
      `|(\\[redacted\\]|[^\\s"'&#,;)}\\]<>]+))`, // bare
    "gi",
  );
  const HEADER_LINE = /^([ \t]*(?:Proxy-)?Authorization|[ \t]*Cookie|[ \t]*Set-Cookie|[ \t]*X-[\w-]{0,64}(?:Token|Key|Session)[\w-]{0,64})([ \t]*:[ \t]*)(.+)$/gim;
  const BEARER = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/g;
  // Odoo's CSRF token: 40 hex digits, "o", an expiry timestamp.
  const ODOO_CSRF = /\b[0-9a-f]{40}o\d{0,12}\b/g;
  // A JSON Web Token (OAuth id and access tokens): three base64url parts, the first `{"`.
  const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
  // The password goes up to the last @ of the authority (a password may hold an @).
  const URL_USERINFO = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,31}:\/\/[^\s/:@]+):[^\s/?#]+@/gi;

  /** camelCase and PascalCase keys as words: userPassword → user_Password, CSRFToken → CSRF_Token. */
  function keyWords(name) {
    return String(name).replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2");
  }

  function isSecretKey(name) {
    const key = keyWords(name);
    return SECRET_KEY.test(key) || SECRET_KEY_EXACT.test(key);
  }

  function redactKeyValues(text) {
    return text.replace(KEY_VALUE, (match, keyQuote, key, separator, prefix, quote, quoted, close, escapedQuote, escaped, bare) => {
      if (!isSecretKey(key)) return match;
      const head = `${keyQuote}${key}${keyQuote}${separator}`;
      if (quote !== undefined) return quoted === MARK ? match : `${head}${prefix}${quote}${MARK}${close}`;
      if (escapedQuote !== undefined) return escaped === MARK ? match : `${head}${escapedQuote}${MARK}${escapedQuote}`;
      return bare === MARK ? match : `${head}${MARK}`;
    });
  }

  /** Redact secrets from free text: tracebacks, messages, log lines, URLs in them. */
  function redactText(text) {
    if (typeof text !== "string" || !text) return text;
    return redactKeyValues(
      text
        .replace(HEADER_LINE, (match, name, separator) => `${name}${separator}${MARK}`)
        .replace(BEARER, (match, scheme) => `${scheme} ${MARK}`)
        .replace(JWT, MARK)
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
  else (globalThis.OSR = globalThis.OSR || {}).redact = api;
})();
