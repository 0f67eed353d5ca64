"""The error's fingerprint: the same for twins of one error, different for another error.

E3: one error hits several users and customers, each with their own records. What differs
between twins is volatile (record ids, numbers, amounts, dates, quoted names, references
like S00042 or INV/2026/00012, e-mail addresses, line numbers); what makes an error is
the exception, its message with those parts taken out, and the innermost frames of its
traceback (file and function). The fingerprint is a hash of exactly that.
"""
import hashlib
import re

INNERMOST_FRAMES = 3

# Order matters: each pattern runs on what the previous ones left.
_VOLATILE = [
    # e-mail addresses
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "<email>"),
    # a record as Odoo names it in access errors: "Marc Demo (id=6)", "S00042 (id=42, …)"
    (re.compile(r"(^|[,:]\s*|- )[^\n(,:]{1,80}?\s*\(id=\d+[^)\n]*\)", re.M), r"\1<record>"),
    # quoted names: 'x', b'x', "x", «x», “x”, ‘x’, „x“ (one line, bounded; not an apostrophe)
    (re.compile(r"(?:(?<!\w)|(?<=\bb))'[^'\n]{0,200}'(?!\w)|\"[^\"\n]{0,200}\"|«[^»\n]{0,200}»"
                r"|“[^”\n]{0,200}”|‘[^’\n]{0,200}’|„[^“\n]{0,200}“"), "<q>"),
    # dates and times: 2026-11-30, 30.11.2026, 11/30/2026, 12:30:05, 2026-11-30T12:30:05Z
    (re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?z?\b"
                r"|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{1,2}:\d{2}(?::\d{2})?\b"), "<date>"),
    # uuids, hashes, hex ids
    # (letters and digits both: a long plain number is a number)
    (re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b|\b0x[0-9a-f]+\b"),
     "<hex>"),
    # document references: S00042, SO042, INV/2026/00012, WH/OUT/00005, BNK1/2026/0007
    (re.compile(r"\b[a-z]{1,6}\d{0,2}(?:/[a-z0-9]{1,8})*/\d+\b|\b[a-z]{1,4}\d{3,}\b"),
     "<ref>"),
    # numbers and amounts: 42, 1 234,50, 1,234.50, -3.5
    (re.compile(r"[-+]?\d(?:[\d\u00a0\u202f ,.']*\d)?"), "<n>"),
    # a list of ids, however long: [42], (42,), [42, 43] all read the same
    (re.compile(r"<n>(?:\s*,\s*<n>)*\s*,?(?=\s*[)\]])"), "<n>"),
    # so is a list of records: "S00042 (id=42), S00043 (id=43)", one per line or not
    (re.compile(r"<record>(?:[\s,-]*<record>)+"), "<record>"),
]
_FRAME = re.compile(r'^\s*File "(?P<path>[^"]+)", line \d+, in (?P<function>\S+)', re.M)
_EXCEPTION_LINE = re.compile(r"^(?P<name>[A-Za-z_][\w.]*(?:Error|Exception|Warning|Denied|"
                             r"Missing|Redirect|Interrupt|Exit|Fault))\b:?", re.M)


def normalize_text(text):
    """`text` with every volatile part replaced by a placeholder, lower case, one line."""
    text = str(text or "").lower()
    for pattern, placeholder in _VOLATILE:
        text = pattern.sub(placeholder, text)
    return " ".join(text.split())


def frame_of(path, function):
    """A frame as `file:function`, the file from its addons or package folder on (no prefix)."""
    path = path.replace("\\", "/")
    for anchor, keep in (("/odoo/addons/", ""), ("/addons/", ""), ("/odoo/", "odoo/"),
                         ("/site-packages/", "")):
        if anchor in path:
            path = keep + path.rsplit(anchor, 1)[1]
            break
    else:
        path = "/".join(path.split("/")[-2:])
    return f"{path}:{function}"


def innermost_frames(traceback, count=INNERMOST_FRAMES):
    """The last `count` frames of a Python traceback, innermost last, without line numbers."""
    frames = [frame_of(m["path"], m["function"]) for m in _FRAME.finditer(traceback or "")]
    return frames[-count:]


def exception_name(error):
    """The exception's class (`odoo.exceptions.UserError` → `UserError`), or ''."""
    name = error.get("exception") or ""
    if not name:
        lines = _EXCEPTION_LINE.findall(error.get("details") or "")
        name = lines[-1] if lines else ""
    return name.rsplit(".", 1)[-1]


def fingerprint_parts(report):
    """What the fingerprint is made of, each part already normalised (for tests and logs)."""
    error = report.get("error") or {}
    context = report.get("context") or {}
    rpc = context.get("rpc") or {}
    message = error.get("message") or error.get("title") or report.get("title") or ""
    return {
        "kind": report.get("kind") or "",
        "error_kind": error.get("kind") or "",
        "exception": exception_name(error),
        "message": normalize_text(message),
        "frames": " > ".join(innermost_frames(error.get("details"))),
        "model": rpc.get("model") or context.get("model") or "",
        "method": rpc.get("method") or "",
    }


def fingerprint(report):
    """16 hex digits naming the error of `report` (see the module's docstring)."""
    parts = fingerprint_parts(report)
    text = "\x1f".join(f"{key}={value}" for key, value in parts.items())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
