"""Header values written by construction, and the check of a serialized ticket before it is spooled.

Python's email package before 3.11.10 / 3.12.5 decodes an RFC 2047 encoded-word it finds
in a header value and writes the decoded text raw when it serializes (CVE-2024-6923): a
title "=?utf-8?b?...?=" carrying "\\nBcc: x" became a Bcc. So no client text is ever parsed
as a header here. Plain printable ASCII without "=?" that fits one line is written as is;
anything else as base64 encoded-words of its literal characters. Every line stays within
78 characters, so no serializer refolds (and so re-decodes) it (RFC 5322 §2.1.1). A
decoder turns our encoded-words back into exactly the text, "=?…?=" included, and no
further. Addresses are written only as plain dot-atoms without "=?".
"""
import base64
import re
from email.parser import BytesParser
from email.policy import default as default_policy

MAX_LINE = 78        # RFC 5322 §2.1.1: what a serializer keeps as it is
MAX_WORD = 75        # RFC 2047 §2: the longest encoded-word
HARD_LIMIT = 998     # RFC 5322 §2.1.1: no line may be longer
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
PLAIN_ADDRESS = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*@{_LABEL}(?:\.{_LABEL})*")
# A top-level domain of letters: the address must be deliverable on the internet.
_TOP_LEVEL_DOMAIN = re.compile(r"\.[A-Za-z]{2,}$")
_PLAIN_TEXT = re.compile(r"[!-~]+(?: [!-~]+)*")
# A Message-ID as we write it: <dot-atom@domain>, nothing around it.
MSG_ID = re.compile(rf"<{_ATEXT}(?:\.{_ATEXT})*@{_LABEL}(?:\.{_LABEL})*>")
MSG_ID_HEADERS = ("Message-ID", "In-Reply-To", "References")
# The headers a ticket carries besides those we write: the MIME structure's own.
MIME_HEADERS = ("MIME-Version", "Content-Type")


class UnsafeHeader(ValueError):
    """A header that cannot be written safely, or a serialized ticket that failed the check.

    The message names headers only, never their client text (it is logged).
    """


def is_plain_address(address: str) -> bool:
    """A dot-atom address (ASCII, no quotes, no comments) that holds no encoded-word."""
    return bool(PLAIN_ADDRESS.fullmatch(address)) and "=?" not in address


def is_deliverable_address(address: str) -> bool:
    """A plain address (above) whose domain ends in a top-level domain of letters."""
    return is_plain_address(address) and bool(_TOP_LEVEL_DOMAIN.search(address))


def unstructured(name: str, text: str) -> str:
    """`text` as the value of header `name`: plain when that is safe, else encoded-words."""
    if (_PLAIN_TEXT.fullmatch(text) and "=?" not in text
            and len(name) + 2 + len(text) <= MAX_LINE):
        return text
    return encoded_words(name, text)


def encoded_words(name: str, text: str) -> str:
    """`text` as base64 UTF-8 encoded-words, one per line, every line within MAX_LINE.

    A word ends after a space where it can: Python's reader keeps the fold between two
    words of a display name as a space (RFC 2047 §6.2 drops it), and a space there is
    one more space, not a word cut in two.
    """
    room = min(MAX_WORD, MAX_LINE - len(name) - 2)
    words, chunk = [], ""
    for char in text:
        if chunk and _word_length(chunk + char) > room:
            cut = chunk.rfind(" ") + 1 or len(chunk)
            words.append(_encoded_word(chunk[:cut]))
            chunk, room = chunk[cut:], min(MAX_WORD, MAX_LINE - 1)
        chunk += char
    words.append(_encoded_word(chunk))
    return "\n ".join(words)


def mailbox(name: str, display_name: str, address: str) -> str:
    """`display name <address>`, the name as encoded-words; the bare address if that is all."""
    if not is_plain_address(address):
        raise UnsafeHeader(f"{name}: not a plain address")
    display_name = shown_display_name(display_name, address)
    if not display_name:
        return address
    return encoded_words(name, display_name) + f"\n <{address}>"


def shown_display_name(display_name: str, address: str) -> str:
    """The display name as written: none beside an address too long for a line of its own.

    A longer line would be refolded by the next serializer, and a refold decodes the name.
    """
    return display_name if len(address) + 3 <= MAX_LINE else ""


def _encoded_word(text: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "?="


def _word_length(text: str) -> int:
    return len("=?utf-8?b??=") + 4 * -(-len(text.encode("utf-8")) // 3)


# -- the check before spooling ---------------------------------------------------------------


def check_serialized(data: bytes, intended: dict) -> None:
    """Raise UnsafeHeader unless `data`, parsed back, has exactly the `intended` headers.

    `intended` maps each header we set to its text, or to (display name, address) for a
    mailbox. Checked: the set of top-level headers (so no Cc, Bcc or second Subject), no
    parser defect anywhere, no CR or LF inside any decoded value, every raw header line a
    header or a continuation, and each value equal to what we meant to write.
    """
    _check_intended(intended)
    message = BytesParser(policy=default_policy).parsebytes(data)
    names = sorted(name.lower() for name in message.keys())
    expected = sorted(name.lower() for name in (*intended, *MIME_HEADERS))
    if names != expected:
        raise UnsafeHeader(f"headers {names} differ from {expected}")
    _check_raw_lines(data)
    for part in message.walk():
        if part.defects:
            raise UnsafeHeader(f"malformed part: {[type(d).__name__ for d in part.defects]}")
        for name, value in part.items():
            if value.defects or "\r" in str(value) or "\n" in str(value):
                raise UnsafeHeader(f"{name}: a line break or a defect in the value")
    for name, meant in intended.items():
        if isinstance(meant, tuple):
            _check_mailbox(message[name], name, *meant)
        elif str(message[name]) != meant:
            raise UnsafeHeader(f"{name}: not the intended text")


def _check_intended(intended: dict) -> None:
    """What we mean to write is itself sound: one author, message ids of our own shape."""
    if "Sender" in intended and "From" not in intended:
        raise UnsafeHeader("Sender without From")
    if "Sender" in intended and intended["Sender"][1] == intended["From"][1]:
        raise UnsafeHeader("Sender repeats From")
    for name in MSG_ID_HEADERS:
        if name in intended and not MSG_ID.fullmatch(intended[name]):
            raise UnsafeHeader(f"{name}: not a message id")


def _check_raw_lines(data: bytes) -> None:
    head = data.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    for line in head.split(b"\n"):
        if len(line) > HARD_LIMIT or not re.match(rb"[!-9;-~]+:|[ \t]", line):
            raise UnsafeHeader("a raw header line is neither a header nor a continuation")


def _check_mailbox(header, name: str, display_name: str, address: str) -> None:
    addresses = header.addresses
    if len(addresses) != 1 or addresses[0].addr_spec != address:
        raise UnsafeHeader(f"{name}: not the one intended address")
    # Python keeps the folding space between two encoded-words of a display name, which
    # RFC 2047 §6.2 drops: the words must match, the spacing may differ.
    written = shown_display_name(display_name, address)
    if "".join(addresses[0].display_name.split()) != "".join(written.split()):
        raise UnsafeHeader(f"{name}: not the intended display name")
