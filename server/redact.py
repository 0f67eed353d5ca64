"""Secrets never reach a ticket: the server redacts a report again before spooling it.

The extension redacts before sending (extension/lib/redact.js); this is the second line of
defence for an old extension, another client or a pattern the browser missed. The patterns
are the extension's, and tests/shared/redaction_cases.json holds the cases both must pass.
"""
import re

MARK = "[redacted]"

# A key is secret when its name contains one of these words (csrf_token, smtp_pass, ...).
SECRET_WORDS = (r"passw(?:or)?d|passwd|pwd|pass|secret|token|api[_-]?key|apikey|"
                r"session[_-]?id|sid|signature|authori[sz]ation|cookie|private[_-]?key")
FLAGS = re.ASCII | re.IGNORECASE
SECRET_KEY = re.compile(f"(?:^|[^a-z])(?:{SECRET_WORDS})(?:$|[^a-z])", FLAGS)
SECRET_KEY_EXACT = re.compile(r"^(?:key|pass|auth|otp|totp|code_verifier)$", FLAGS)

# key=value, 'key': 'value' (b'...' too), "key": "value", \"key\": \"value\"; a quote left
# open redacts to the end of the line. A key is a token holding a secret word (is_secret_key
# decides), starting only where no token character precedes it: a key pattern that could
# start anywhere made "a.a.a.…" quadratic (1 MB of details held a request thread for hours).
KEY_NAME = rf"(?<![\w.-])(?:(?=[\w.-]{{0,64}}(?:{SECRET_WORDS}))[\w.-]{{1,128}}|key|pass|auth)"
KEY_VALUE = re.compile(
    rf"""(\\{{0,8}}["']|)({KEY_NAME})\1(\s*[:=]\s*)(?:"""
    r"""([bBrRuU]{0,2})(["'])((?:\\.|(?!\5)[^\\\n])*)(\5|)"""  # quoted, Python prefix
    r"""|(\\{1,8}["'])((?:(?!\8)[^\n])*)\8"""  # quoted with escaped quotes
    r"""|(\[redacted\]|[^\s"'&#,;)}\]<>]+))""",  # bare
    FLAGS,
)
HEADER_LINE = re.compile(
    r"^([ \t]*(?:Proxy-)?Authorization|[ \t]*Cookie|[ \t]*Set-Cookie|"
    r"[ \t]*X-[\w-]{0,64}(?:Token|Key|Session)[\w-]{0,64})([ \t]*:[ \t]*)(.+)$",
    FLAGS | re.MULTILINE)
BEARER = re.compile(r"\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}", re.ASCII)
ODOO_CSRF = re.compile(r"\b[0-9a-f]{40}o\d{0,12}\b", re.ASCII)  # 40 hex, "o", an expiry
JWT = re.compile(r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*",
                 re.ASCII)
URL_USERINFO = re.compile(r"(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,31}://[^\s/:@]+):[^\s/?#]+@",
                          FLAGS)


def key_words(name) -> str:
    """camelCase keys as words: userPassword → user_Password, CSRFToken → CSRF_Token."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", str(name))
    return re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", spaced)


def is_secret_key(name) -> bool:
    key = key_words(name)
    return bool(SECRET_KEY.search(key) or SECRET_KEY_EXACT.search(key))


def _redact_key_value(match: re.Match) -> str:
    (key_quote, key, separator, prefix, quote, quoted, close, escaped_quote, escaped,
     bare) = match.groups()
    if not is_secret_key(key):
        return match.group()
    head = f"{key_quote}{key}{key_quote}{separator}"
    if quote is not None:
        return match.group() if quoted == MARK else f"{head}{prefix}{quote}{MARK}{close}"
    if escaped_quote is not None:
        return match.group() if escaped == MARK else f"{head}{escaped_quote}{MARK}{escaped_quote}"
    return match.group() if bare == MARK else f"{head}{MARK}"


def redact_text(text):
    """Secrets out of free text: tracebacks, messages, log lines, URLs in them."""
    if not isinstance(text, str) or not text:
        return text
    text = HEADER_LINE.sub(lambda m: f"{m.group(1)}{m.group(2)}{MARK}", text)
    text = BEARER.sub(lambda m: f"{m.group(1)} {MARK}", text)
    text = JWT.sub(MARK, text)
    text = URL_USERINFO.sub(r"\1@", text)  # the password goes; the user stays
    return ODOO_CSRF.sub(MARK, KEY_VALUE.sub(_redact_key_value, text))


def redact_object(value, depth: int = 0):
    """A copy of `value` with secret keys masked and every string redacted."""
    if depth > 12:
        return MARK  # as the extension: a value this deep is not data support needs
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, list):
        return [redact_object(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return {key: MARK if is_secret_key(key) and item not in (None, "", False)
                else redact_object(item, depth + 1) for key, item in value.items()}
    return value


# What a report carries that is not free text: ids, choices, the screenshot's data URL.
NOT_REDACTED = ("client_report_id", "kind", "screenshot", "checklist")


def redact_report(report: dict) -> dict:
    """The report with secrets redacted in every text a client sent."""
    return {key: value if key in NOT_REDACTED else redact_object(value)
            for key, value in report.items()}
