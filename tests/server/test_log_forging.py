"""Log forging (issue 9): client text is escaped in every log line, so one request writes
exactly its own lines, with no line break, escape sequence or NUL a client chose."""
import logging
import re
import socket
import time

import pytest

from server.logsafe import EscapingFormatter, printable

# Decoded by Werkzeug before our code logs the path; raw bytes go in headers (obs-text).
HOSTILE_PATHS = {
    "lf": "%0aFAKE%20200%20ok",
    "crlf": "%0d%0aFAKE%20line",
    "ansi": "%1b[31mred%1b[0m",
    "nul": "%00nul",
    "line-separator": "%e2%80%a8FAKE",
    "c1-csi": "%c2%9b31mred",
    "bidi-override": "%e2%80%aeevil",
    "backslash-lookalike": "%5cx0aFAKE",
}
HOSTILE_HEADER = b"ua \x9b31m \xc2\x85 \xe2\x80\xa8 end"
# Any character a terminal or a log reader acts on, except the line end itself.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def send_raw(port, path):
    """One request with `path` as sent on the wire, and hostile header bytes; its status."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: localhost\r\n"
                     b"User-Agent: " + HOSTILE_HEADER + b"\r\n"
                     b"Referer: http://x/\xe2\x80\xa8\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
    return int(answer.split(b" ", 2)[1])


def wait_for_lines(log_path, markers, per_marker, timeout=15.0):
    """The log's lines once each marker is on `per_marker` lines (or the deadline passed)."""
    deadline = time.monotonic() + timeout
    while True:
        text = log_path.read_bytes().decode("utf-8", "replace")
        lines = text.split("\n")
        done = all(sum(marker in line for line in lines) >= per_marker for marker in markers)
        if done or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


@pytest.mark.slow
def test_hostile_paths_write_one_escaped_line_each(server_process):
    server = server_process()
    markers = {}
    for name, hostile in HOSTILE_PATHS.items():
        marker = f"M{len(markers)}Z"
        markers[marker] = name
        # Our API refuses it (401, logged by server.errors) and gunicorn logs the access.
        assert send_raw(server.port, f"/api/v1/reports/{marker}{hostile}") == 401

    lines = wait_for_lines(server.log, markers, per_marker=2)

    for marker, name in markers.items():
        mine = [line for line in lines if marker in line]
        assert len(mine) == 2, (name, mine)  # the refusal and the access line, nothing more
        assert any("refused: 401 unauthorized" in line for line in mine), (name, mine)
        assert any('" 401 ' in line for line in mine), (name, mine)
    assert not [line for line in lines if CONTROL.search(line)]
    assert not [line for line in lines if line.startswith("FAKE")]
    refused = next(line for line in lines if "M0Z" in line and "refused" in line)
    assert "/api/v1/reports/M0Z\\x0aFAKE 200 ok refused" in refused
    lookalike = next(line for line in lines if "M7Z" in line and "refused" in line)
    assert "M7Z\\\\x0aFAKE" in lookalike  # a typed backslash is not mistaken for an escape
    access = next(line for line in lines if "M0Z" in line and "refused" not in line)
    assert "ua \\x9b31m" in access


@pytest.mark.parametrize("text, escaped", [
    ("a\nb", "a\\x0ab"), ("\x1b[31m", "\\x1b[31m"), ("\x00", "\\x00"), ("\u2028", "\\u2028"),
    ("\x9b", "\\x9b"), ("\u202e", "\\u202e"), ("C:\\x", "C:\\\\x"), ("Ääkkönen €", "Ääkkönen €"),
])
def test_printable_escapes_what_a_terminal_acts_on(text, escaped):
    assert printable(text) == escaped


def test_the_formatter_keeps_a_record_on_one_line_and_the_record_unchanged():
    formatter = EscapingFormatter("%(message)s")
    record = logging.LogRecord("server.test", logging.INFO, __file__, 1, "path %s refused",
                               ("/x\nFAKE",), None)
    assert formatter.format(record) == "path /x\\x0aFAKE refused"
    assert record.args == ("/x\nFAKE",)
