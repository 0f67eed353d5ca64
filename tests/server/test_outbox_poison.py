"""Issue 9: poisoned reports in the spool cannot hold up the others (real server, real SMTP)."""
import os
import time
from pathlib import Path

import pytest

from server.customers import demo_customer
from server.outbox.reports import Outbox
from server.outbox.spool import Spool
from tests.server.outbox_harness import fast_env, post_report, report_status, wait_for_status
from tests.server.samples import MAIL_FROM, error_report, report_body
from tests.smtp_sink import SmtpSink

POLL_SECONDS = 2.0


@pytest.fixture
def sink():
    server = SmtpSink().start()
    yield server
    server.stop()


def headers_end_after_subject(raw):
    """What an injected blank line in the Subject did: To, From and the rest became body."""
    subject_end = raw.index(b"\n", raw.index(b"Subject:")) + 1
    return raw[:subject_end] + b"\n" + raw[subject_end:]


def write_poisoned_reports(spool, staging, count):
    """`count` queued reports whose stored message has no To, as the issue found them."""
    outbox = Outbox(Spool(staging), mail_from=MAIL_FROM)
    ids = []
    for number in range(count):
        report_id = outbox.submit(demo_customer(),
                                  error_report(client_report_id=f"poison-{number}")).id
        message = outbox.spool.root / "queue" / report_id / "message.eml"
        message.write_bytes(headers_end_after_subject(message.read_bytes()))
        ids.append(report_id)
    for report_id in ids:  # into the live spool only once poisoned
        os.rename(outbox.spool.root / "queue" / report_id, spool / "queue" / report_id)
    return ids


@pytest.mark.slow
def test_eight_poisoned_reports_do_not_delay_a_normal_one(server_process, sink, tmp_path,
                                                           record_property):
    # Old behaviour: the first poisoned report paused the pass for RETRY_INITIAL_SECONDS.
    server = server_process(env=fast_env(sink, DELIVERY_POLL_SECONDS=POLL_SECONDS,
                                         RETRY_INITIAL_SECONDS=30, RETRY_MAX_SECONDS=60))
    spool = Path(server.env["SUPPORT_REPORTER_OUTBOX"])
    poisoned = write_poisoned_reports(spool, tmp_path / "staging", 8)
    response = post_report(server, report_body())
    accepted = time.monotonic()
    assert response.status_code == 202, response.text
    normal = response.json()["id"]
    wanted = f"<{normal}@partner.example>"
    deadline = accepted + POLL_SECONDS
    while wanted not in {m["Message-ID"] for m in sink.messages} and time.monotonic() < deadline:
        time.sleep(0.02)
    waited = time.monotonic() - accepted
    record_property("measurement", f"normal report delivered {waited:.2f}s after its 202, "
                                   f"behind 8 poisoned reports (poll {POLL_SECONDS}s)")
    assert wanted in {m["Message-ID"] for m in sink.messages}, \
        f"not delivered within one poll interval ({POLL_SECONDS}s)"
    assert wait_for_status(server, normal, "sent")["status"] == "sent"
    # Whatever the poisoned reports became, no RCPT ever went anywhere but support.
    assert {rcpt for _, rcpts in sink.envelopes for rcpt in rcpts} == {"support@example.com"}
    for report_id in poisoned:
        answer = wait_for_status(server, report_id, "failed", timeout=POLL_SECONDS * 2)
        assert answer["status"] in ("failed", "sent"), answer
        if answer["status"] == "failed":
            assert answer["failure"]["code"] == "message_unusable"
            assert "recipients refused" not in str(answer)  # the raw text stays in the spool
    assert report_status(server, normal).get("failure") is None
