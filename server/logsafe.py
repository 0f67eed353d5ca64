"""Log lines a client cannot forge: client text is escaped before it reaches a log (issue 9).

A request path is decoded before our code sees it, so `/x%0aFAKE` would write a second,
fake line, `%1b[31m` an ANSI escape and `%00` a NUL. Control characters (C0, DEL, C1), line
and paragraph separators and bidirectional overrides become `\\xNN` / `\\uNNNN`; the backslash
itself becomes `\\\\`, so an escape in the log always means the client sent that character.
"""
import logging
import re

from gunicorn.glogging import Logger, SafeAtoms

CONTROLS = "\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
UNSAFE = re.compile(f"[\\\\{CONTROLS}]")
# The formatter's safety net leaves backslashes alone: text escaped at the source stays as is.
CONTROL = re.compile(f"[{CONTROLS}]")


def escape_character(match: re.Match) -> str:
    char = match.group()
    if char == "\\":
        return "\\\\"
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(value) -> str:
    """Client text on one line, every character a terminal could act on escaped."""
    return UNSAFE.sub(escape_character, str(value))


def without_controls(text: str) -> str:
    """Any text on one line: control characters escaped, backslashes kept."""
    return CONTROL.sub(escape_character, text)


class EscapingFormatter(logging.Formatter):
    """A safety net for every log call: one record, one line (a traceback line by line).

    Client text should still go through `printable` where it is logged, so that it stays
    unambiguous under any handler the host installs.
    """

    def format(self, record: logging.LogRecord) -> str:
        original = record.msg, record.args
        record.msg, record.args = without_controls(record.getMessage()), None
        try:
            return super().format(record)
        finally:
            record.msg, record.args = original

    def formatException(self, exc_info) -> str:  # noqa: N802 (logging's name)
        lines = super().formatException(exc_info).split("\n")
        return "\n".join(without_controls(line) for line in lines)


class EscapingAtoms(SafeAtoms):
    """gunicorn's access log values (request line, headers) with client text escaped."""

    def __init__(self, atoms):
        super().__init__({key: printable(value) if isinstance(value, str) else value
                          for key, value in atoms.items()})


class EscapingLogger(Logger):
    """gunicorn's logger with an access log a client cannot forge lines in.

    For a gunicorn run by hand: `--logger-class server.logsafe.EscapingLogger`.
    """

    atoms_wrapper_class = EscapingAtoms
