"""Issue 9: hostile text cannot steer a ticket, against the real server and a real SMTP server.

Every client string that reaches a header (title, module, reporter name and e-mail) is
posted with RFC 2047 encoded-words hiding a Bcc, Cc, To or a blank line (CVE-2024-6923 on
this Python), and with the raw breakers the fields always refused. Each case is answered
with a 422, or becomes a ticket whose only RCPT is the support address, with one Subject,
one To, no Cc or Bcc, and the literal "=?…?=" text where the reporter put it (G1).
"""
import re
import time
from email.parser import BytesParser
from email.policy import default as default_policy

import pytest
import requests

from server.customers import DEMO_KEY
from server.mail import message as ticket_module
from tests.server.hostile import ATTACKER, HIDDEN, WORDS, b_word
from tests.server.outbox_harness import post_report, server_mailing_to_a_sink
from tests.server.samples import report_body

SUPPORT = "support@example.com"  # the demo customer's configured address
REPORTER = {"name": "Maija Meikäläinen", "email": "maija@acme.example"}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """One server subprocess (dev mode, the demo customer) delivering to one SMTP sink."""
    with server_mailing_to_a_sink(tmp_path_factory.mktemp("hostile")) as server_and_sink:
        yield server_and_sink


def body_with(field, value):
    """The sample report with `value` in one field that reaches a header."""
    if field == "title":
        return report_body(title=f"Validation Error when confirming {value}")
    if field == "module":
        return report_body(module=f"Sales {value}")
    if field == "reporter.name":
        return report_body(reporter={**REPORTER, "name": f"Maija {value}"})
    if field == "reporter.email":
        return report_body(reporter={**REPORTER, "email": value})
    raise ValueError(field)


def case(field, value, outcome, name):
    return pytest.param(field, value, outcome, id=f"{field}-{name}")


def cases():
    """(field, value, outcome): "ticket" (delivered, literal) or the 422's field message key."""
    for name, word in WORDS.items():
        for field in ("title", "module", "reporter.name"):
            yield case(field, word, "ticket", name)
        yield case("reporter.email", f"{word}@acme.example", "invalid_email", name)
    # A plain-looking local part that still decodes (base64 is atext), and a quoted one.
    yield case("reporter.email", b_word(HIDDEN["bcc-lf"]) + "@acme.example", "invalid_email",
               "b-word-local-part")
    yield case("reporter.email", f'"x\\nBcc: {ATTACKER}"@acme.example', "invalid_email",
               "quoted-local-part")
    yield case("reporter.email", f"maija@acme.example, {ATTACKER}", "invalid_email", "two")
    # What held before issue 9 (keep it so): raw breakers refused, display names harmless.
    for breaker_name, breaker in [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r"),
                                  ("u2028", "\u2028"), ("nel", "\x85")]:
        for field in ("title", "module", "reporter.name"):
            yield case(field, f"x{breaker}Bcc: {ATTACKER}", "line_break", f"raw-{breaker_name}")
        yield case("reporter.email", f"maija@acme.example{breaker}Bcc: {ATTACKER}",
                   "line_break", f"raw-{breaker_name}")
    for field in ("title", "module", "reporter.name"):
        yield case(field, f"x\tBcc: {ATTACKER}", "control_character", "raw-tab")
    yield case("reporter.name", f'Maija <{ATTACKER}>, "Evil" <{ATTACKER}>', "ticket",
               "display-name-with-addresses")
    yield case("reporter.name", 'Meikäläinen, Maija (Acme) "\\" ;:', "ticket",
               "display-name-specials")


def wait_for_message(sink, message_id, timeout=15.0):
    """(envelope, raw bytes) of the message with `message_id`, as the sink received it."""
    deadline = time.monotonic() + timeout
    wanted = f"Message-ID: {message_id}".encode()
    while time.monotonic() < deadline:
        with sink.lock:
            for envelope, raw in zip(sink.envelopes, sink.raw, strict=True):
                if wanted in raw.split(b"\r\n\r\n", 1)[0]:
                    return envelope, raw
        time.sleep(0.05)
    raise AssertionError(f"{message_id} never arrived")


def header_block(raw):
    return raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]


@pytest.mark.parametrize("field, value, outcome", list(cases()))
def test_hostile_text_is_refused_or_reaches_only_the_support_address(live, field, value,
                                                                     outcome):
    server, sink = live
    body = body_with(field, value)
    response = post_report(server, body)
    if outcome != "ticket":
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["code"] == "validation_failed"
        assert list(error["fields"]) == [field]
        return
    assert response.status_code == 202, response.text
    accepted = response.json()
    envelope, raw = wait_for_message(sink, f"<{accepted['id']}@partner.example>")
    assert envelope == ("reporter@partner.example", [SUPPORT])  # the only RCPT
    names = [line.split(b":", 1)[0].lower() for line in header_block(raw).split(b"\n")
             if not line[:1].isspace()]
    assert names.count(b"subject") == 1 and names.count(b"to") == 1
    assert b"cc" not in names and b"bcc" not in names
    message = BytesParser(policy=default_policy).parsebytes(raw.replace(b"\r\n", b"\n"))
    assert [a.addr_spec for a in message["To"].addresses] == [SUPPORT]
    assert [a.addr_spec for a in message["Reply-To"].addresses] == [REPORTER["email"]]
    assert message["Subject"] == (f"[{accepted['reference']}] Demo Customer · "
                                  f"{body['module']} · {body['title']}")
    if field in ("title", "module"):
        assert value in message["Subject"]  # shown literally, "=?…?=" and all
    else:
        shown = message["Reply-To"].addresses[0].display_name
        assert "".join(shown.split()) == "".join(body["reporter"]["name"].split())
    # The body is whole: the text part still ends with the fingerprint line.
    text = message.get_body(("plain",)).get_content()
    assert re.search(r"\n\S[^\n]*: [0-9a-f]{16}\n$", text)


def test_every_rcpt_of_the_suite_was_the_support_address(live):
    """Run after the table (same module): not one message went anywhere else."""
    server, sink = live
    response = post_report(server, body_with("title", WORDS["b-bcc-lf"]))
    assert response.status_code == 202
    wait_for_message(sink, f"<{response.json()['id']}@partner.example>")
    with sink.lock:
        recipients = {rcpt for _, rcpts in sink.envelopes for rcpt in rcpts}
    assert recipients == {SUPPORT}


@pytest.mark.parametrize("language, text", [
    ("fi", "Virheellinen sähköpostiosoite."),
    ("sv", "Ogiltig e-postadress."),
    ("en", "Not a valid email address."),
])
def test_an_encoded_word_address_is_refused_in_the_reporters_language(live, language, text):
    server, _ = live
    response = requests.post(
        server.url + "/api/v1/reports", timeout=10,
        json=body_with("reporter.email", WORDS["q-bcc-lf"] + "@acme.example"),
        headers={"Authorization": f"Bearer {DEMO_KEY}", "Accept-Language": language})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"reporter.email": [text]}


# -- the safety net: a ticket that fails its check is refused, nothing is spooled ----------------


@pytest.mark.parametrize("language, start", [
    ("fi", "Ilmoituksesta ei voitu tehdä turvallista sähköpostia"),
    ("sv", "Rapporten kunde inte göras till ett säkert e-postmeddelande"),
    ("en", "The report could not be made into a safe e-mail"),
])
def test_a_ticket_failing_the_pre_spool_check_is_a_422_and_leaves_nothing(
        app, client, auth, monkeypatch, language, start):
    """If the header builder ever wrote client text as is (the pre-issue-9 way), the check
    catches the decoded line break before anything is spooled."""
    monkeypatch.setattr(ticket_module, "unstructured", lambda name, text: text)
    response = client.post("/api/v1/reports", json=body_with("title", WORDS["b-bcc-lf"]),
                           headers={**auth, "Accept-Language": language})
    assert response.status_code == 422, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == "unsafe_header" and error["message"].startswith(start)
    outbox = app.extensions["outbox"]
    leftovers = {name: sorted(p.name for p in (outbox.spool.root / name).iterdir())
                 for name in ("tmp", "queue", "keys", "refs")}
    assert leftovers == {"tmp": [], "queue": [], "keys": leftovers["keys"], "refs": []}
    assert not [name for name in leftovers["keys"] if name.endswith(".json")]
