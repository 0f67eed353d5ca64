"""E3 over mail: counts of one error across users and customers, a customer's repeats
threaded under its first ticket, and how the sender is written (real server with two
gunicorn workers, real SMTP sink, one SQLite history beside the outbox)."""
import concurrent.futures
import uuid

import pytest
import requests

from server.customers import hash_key
from tests.conftest import ServerProcess
from tests.server.outbox_harness import fast_env
from tests.server.samples import ACME_KEY, MAIL_FROM, bearer, report_body
from tests.smtp_sink import SmtpSink

pytestmark = pytest.mark.slow  # a real server with two workers per test
GLOBEX_KEY = "globex-test-key-0987654321"
SERVER_ADDRESS = "reporter@partner.example"


def config(tmp_path, **settings):
    lines = [f"{key} = {value}" for key, value in settings.items()] + [
        "[[customers]]", 'id = "acme"', 'name = "Acme Oy"', 'language = "en"',
        f'key_sha256 = "{hash_key(ACME_KEY)}"', 'support_address = "support@partner.example"',
        "[[customers]]", 'id = "globex"', 'name = "Globex Ab"', 'language = "sv"',
        f'key_sha256 = "{hash_key(GLOBEX_KEY)}"', 'support_address = "support@partner.example"']
    path = tmp_path / "reporter.toml"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


@pytest.fixture
def running(tmp_path):
    """start(**settings) → (server, sink); both stopped after the test."""
    started = []

    def start(**settings):
        sink = SmtpSink().start()
        env = fast_env(sink, CONFIG=config(tmp_path, **settings))
        server = ServerProcess(tmp_path / f"server{len(started)}", env).start()
        started.append((server, sink))
        return server, sink

    yield start
    for server, sink in started:
        server.discard()
        sink.stop()


def post(server, key, email, order=42, exception="odoo.exceptions.ValidationError"):
    body = report_body(reporter={"name": email.split("@")[0].title(), "email": email})
    body["error"]["exception"] = exception
    body["error"]["message"] = f"The order S{order:05d} of 'Customer {order}' has no address."
    body["context"]["record_id"] = order
    answer = requests.post(server.url + "/api/v1/reports", json=body, headers=bearer(key),
                           timeout=30)
    assert answer.status_code == 202, answer.text
    return answer.json()["reference"]


def by_reference(sink, count):
    messages = sink.wait_for(count, timeout=30)
    assert len(messages) == count
    return {str(m["X-Support-Reference"]): m for m in messages}


def text(message):
    return message.get_body(("plain",)).get_content()


def test_counts_and_threads_hold_across_users_and_customers(running):
    server, sink = running()
    a1 = post(server, ACME_KEY, "maija@acme.example", order=42)
    a2 = post(server, ACME_KEY, "kalle@acme.example", order=7731)
    g1 = post(server, GLOBEX_KEY, "sven@globex.example", order=5)
    g2 = post(server, GLOBEX_KEY, "sven@globex.example", order=6)
    other = post(server, ACME_KEY, "maija@acme.example", exception="odoo.exceptions.UserError")
    mail = by_reference(sink, 5)
    fingerprints = {str(mail[ref]["X-Support-Fingerprint"]) for ref in (a1, a2, g1, g2)}
    assert len(fingerprints) == 1
    assert str(mail[other]["X-Support-Fingerprint"]) not in fingerprints
    # The first of each customer starts a thread; repeats reply to it.
    assert mail[a1]["In-Reply-To"] is None and mail[g1]["In-Reply-To"] is None
    assert str(mail[a2]["In-Reply-To"]) == str(mail[a1]["Message-ID"])
    assert str(mail[a2]["References"]) == str(mail[a1]["Message-ID"])
    assert str(mail[g2]["In-Reply-To"]) == str(mail[g1]["Message-ID"])
    assert mail[other]["In-Reply-To"] is None
    # Counts in the customer's language, this report included.
    assert "Seen" not in text(mail[a1]) and "Seen" not in text(mail[other])
    assert "Seen 2 times by 2 users at 1 customers in the last 30 days, first seen " in (
        text(mail[a2]))
    assert f"Earlier tickets: {a1}\n" in text(mail[a2])
    assert "Sett 3 gånger av 3 användare hos 2 kunder de senaste 30 dagarna" in text(mail[g1])
    assert "Sett 4 gånger av 3 användare hos 2 kunder" in text(mail[g2])
    assert f"Tidigare ärenden: {a1}, {a2}, {g1}\n" in text(mail[g2])
    assert "Seen 2 times" in mail[a2].get_body(("html",)).get_content()


def test_reports_racing_through_two_workers_are_all_counted(running):
    server, sink = running()
    emails = [f"user{n}.{uuid.uuid4().hex[:6]}@acme.example" for n in range(12)]
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda email: post(server, ACME_KEY, email, order=len(email)), emails))
    last = post(server, ACME_KEY, emails[0], order=99)
    mail = by_reference(sink, 13)
    assert "Seen 13 times by 12 users at 1 customers" in text(mail[last])


def test_threading_can_be_switched_off(running):
    server, sink = running(mail_threading="false")
    post(server, ACME_KEY, "maija@acme.example")
    second = post(server, ACME_KEY, "maija@acme.example", order=43)
    mail = by_reference(sink, 2)
    assert mail[second]["In-Reply-To"] is None and mail[second]["References"] is None
    assert "Seen 2 times by 1 users" in text(mail[second])


@pytest.mark.parametrize("mode", ["server", "reporter"])
def test_the_sender_mode_writes_from_sender_and_reply_to(running, mode):
    server, sink = running(mail_sender_mode=f'"{mode}"')
    reference = post(server, ACME_KEY, "maija@acme.example")
    [message] = by_reference(sink, 1).values()
    [(envelope_from, recipients)] = sink.envelopes
    assert envelope_from == SERVER_ADDRESS and recipients == ["support@partner.example"]
    assert str(message["X-Support-Reference"]) == reference
    if mode == "server":
        assert message["From"].addresses[0].addr_spec == SERVER_ADDRESS
        assert message["Reply-To"].addresses[0].addr_spec == "maija@acme.example"
        assert message["Sender"] is None
    else:
        assert message["From"].addresses[0].addr_spec == "maija@acme.example"
        assert message["From"].addresses[0].display_name == "Maija"
        assert message["Sender"].addresses[0].addr_spec == SERVER_ADDRESS
        assert message["Reply-To"] is None
    assert MAIL_FROM.endswith(f"<{SERVER_ADDRESS}>")
