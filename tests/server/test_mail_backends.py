"""The mail backends share one contract; SMTP failures are classified for the outbox."""
import email
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest

from server.mail.backends import (
    Envelope,
    PermanentFailure,
    TemporaryFailure,
    backend_from_url,
    describe_url,
)
from server.mail.backends import file as file_backend
from server.mail.backends import memory as memory_backend
from server.mail.backends import smtp as smtp_backend
from tests.smtp_sink import SmtpSink


def sample_message(number=1, recipients=("support@partner.example",)):
    """An Envelope as delivery hands it over: the stored bytes and the configured recipients."""
    message = EmailMessage(policy=default_policy)
    message["From"] = "Reporter <reporter@partner.example>"
    message["To"] = "support@partner.example"
    message["Subject"] = f"[OSR-ABCDE] Acme Oy · Sales · Tilausta ei voi vahvistaa {number}"
    message["Message-ID"] = f"<report-{number}@partner.example>"
    message.set_content(f"Hei, tämä on viesti {number}.\n")
    return Envelope("reporter@partner.example", tuple(recipients), message.as_bytes())


@pytest.fixture
def sink():
    server = SmtpSink().start()
    yield server
    server.stop()


@pytest.fixture(params=["memory", "file", "smtp"])
def backend_and_inbox(request, tmp_path, sink):
    """Each backend with a function that returns what it delivered, parsed."""
    if request.param == "memory":
        memory_backend.MailBackend.outbox.clear()
        return backend_from_url("memory://"), lambda: list(memory_backend.MailBackend.outbox)
    if request.param == "file":
        folder = tmp_path / "mail"

        def read_folder():
            return [email.message_from_bytes(path.read_bytes(), policy=default_policy)
                    for path in sorted(folder.glob("*.eml"))]
        return backend_from_url(f"file://{folder}"), read_folder
    return backend_from_url(sink.url, timeout=5), lambda: sink.wait_for(2, timeout=5)


def test_every_backend_delivers_messages_and_counts_them(backend_and_inbox):
    backend, delivered = backend_and_inbox
    with backend:
        assert backend.send_messages([sample_message(1), sample_message(2)]) == 2
    received = delivered()
    assert [m["Message-ID"] for m in received] == ["<report-1@partner.example>",
                                                   "<report-2@partner.example>"]
    assert received[0]["Subject"] == sample_message(1).message()["Subject"]
    assert received[1].get_content() == "Hei, tämä on viesti 2.\n"


# An unusable MAIL_URL is refused, with the reason, where the operator sets it: the table of bad
# environment variables in test_config.py.
def test_mail_url_picks_the_backend_and_its_options(tmp_path):
    assert isinstance(backend_from_url("memory://"), memory_backend.MailBackend)
    assert backend_from_url(f"file://{tmp_path}").directory == tmp_path
    smtp = backend_from_url("smtp://user%40x:p%3Ass@mail.example:2525?starttls=true&timeout=7")
    assert (smtp.host, smtp.port) == ("mail.example", 2525)
    assert (smtp.username, smtp.password) == ("user@x", "p:ss")
    assert smtp.starttls and not smtp.use_ssl and smtp.timeout == 7.0
    smtps = backend_from_url("smtps://mail.example", timeout=3)
    assert (smtps.port, smtps.use_ssl, smtps.timeout) == (465, True, 3)
    assert backend_from_url("smtp://mail.example").port == 25


def test_password_is_masked_when_the_url_is_shown():
    assert describe_url("smtp://bob:secret@mail.example:25") == "smtp://bob:***@mail.example:25"
    assert describe_url("memory://") == "memory://"


def test_file_backend_writes_complete_files_named_by_message_id(tmp_path):
    backend = file_backend.MailBackend(tmp_path)
    backend.send_messages([sample_message(7), sample_message(7)])
    assert [p.name for p in tmp_path.iterdir()] == ["report-7_partner.example.eml"]


@pytest.mark.parametrize("tls", ["starttls", "ssl"])
def test_smtp_speaks_tls_and_authenticates(tmp_path, tls):
    sink = SmtpSink(tls=tls, users={"ticket": "s3cret"}, cert_dir=tmp_path).start()
    try:
        with backend_from_url(sink.url, timeout=5) as backend:
            assert backend.send_messages([sample_message()]) == 1
        assert sink.wait_for(1, timeout=5)[0]["Message-ID"] == "<report-1@partner.example>"
    finally:
        sink.stop()


def test_wrong_smtp_password_is_temporary_so_the_operator_can_fix_it(tmp_path):
    sink = SmtpSink(tls="starttls", users={"ticket": "s3cret"}, cert_dir=tmp_path).start()
    try:
        backend = backend_from_url(sink.url.replace("s3cret", "wrong"), timeout=5)
        with pytest.raises(TemporaryFailure, match="authentication"):
            backend.send_messages([sample_message()])
    finally:
        sink.stop()


@pytest.mark.parametrize("mode, failure, reason", [
    ("421", TemporaryFailure, "421"),
    ("451", TemporaryFailure, "451"),
    ("drop", TemporaryFailure, "closed the connection"),
    ("hang", TemporaryFailure, "timed out"),
    ("550", PermanentFailure, "550"),
])
def test_smtp_failures_are_classified(sink, mode, failure, reason):
    sink.set_mode(mode)
    backend = smtp_backend.MailBackend(sink.host, sink.port, timeout=0.5)
    with pytest.raises(failure, match=reason) as raised:
        backend.send_messages([sample_message()])
    assert raised.value.temporary is (failure is TemporaryFailure)
    backend.close()
    sink.set_mode("accept")
    assert sink.messages == []


def test_refused_connection_is_temporary():
    sink = SmtpSink()  # never started: the port refuses
    with pytest.raises(TemporaryFailure, match="refused"):
        backend_from_url(sink.url, timeout=1).send_messages([sample_message()])


def test_smtp_connection_is_reused_and_reopened_after_a_failure(sink):
    sink.set_mode("accept", script=["451"])
    backend = smtp_backend.MailBackend(sink.host, sink.port, timeout=2)
    with pytest.raises(TemporaryFailure):
        backend.send_messages([sample_message(1)])
    assert backend.connection is None
    assert backend.send_messages([sample_message(2), sample_message(3)]) == 2
    backend.close()
    assert [m["Message-ID"] for m in sink.wait_for(2)] == ["<report-2@partner.example>",
                                                           "<report-3@partner.example>"]


def test_smtp_recipients_are_the_envelopes_never_the_headers(sink):
    """G1: a header that names someone else reaches nobody; the stored bytes go out as stored."""
    message = EmailMessage(policy=default_policy)
    message["From"] = "reporter@partner.example"
    message["To"] = "attacker@evil.example"
    message["Cc"] = "cc@evil.example"
    message["Bcc"] = "bcc@evil.example"
    message["Subject"] = "=?utf-8?q?as_stored?="
    message.set_content("body\n")
    stored = message.as_bytes()
    with backend_from_url(sink.url, timeout=5) as backend:
        backend.send_messages([Envelope("reporter@partner.example",
                                        ("support@partner.example",), stored)])
    sink.wait_for(1, timeout=5)
    assert sink.envelopes == [("reporter@partner.example", ["support@partner.example"])]
    assert sink.raw[0].replace(b"\r\n", b"\n") == stored
