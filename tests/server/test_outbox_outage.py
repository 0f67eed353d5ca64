"""A real server subprocess, a real SMTP server that fails: nothing accepted is lost (issue 3)."""
import time

import pytest
import requests

from server.i18n import t
from tests.server.outbox_harness import (
    DEMO_AUTH,
    fast_env,
    outbox_command,
    post_report,
    wait_for_status,
)
from tests.server.samples import report_body
from tests.smtp_sink import SmtpSink


@pytest.fixture
def sink():
    server = SmtpSink()
    yield server
    server.stop()


def expected_message_ids(accepted):
    return {f"<{answer['id']}@partner.example>" for answer in accepted}


@pytest.mark.slow
def test_fifty_reports_accepted_during_an_outage_arrive_exactly_once(server_process, sink):
    server = server_process(env=fast_env(sink))  # the sink is down: connections are refused
    accepted = []
    for _ in range(50):
        response = post_report(server, report_body())
        assert response.status_code == 202, response.text
        accepted.append(response.json())
    statuses = {wait_for_status(server, a["id"], "queued", timeout=1)["status"] for a in accepted}
    # A delivery worker may be mid-attempt against the dead port: "sending" is not a failure.
    assert statuses <= {"queued", "sending"}, statuses
    time.sleep(0.5)  # let a few retries fail against the dead port
    sink.start()
    assert len(sink.wait_for(50, timeout=60)) == 50
    for answer in accepted:
        assert wait_for_status(server, answer["id"], "sent")["status"] == "sent"
    time.sleep(0.5)  # a duplicate would arrive now
    counts = sink.message_id_counts()
    assert set(counts) == expected_message_ids(accepted)
    assert set(counts.values()) == {1}


@pytest.mark.slow
def test_temporary_failures_are_retried_until_delivered(server_process, sink):
    sink.start()
    sink.set_mode("accept", script=["421", "451", "drop", "hang"])
    server = server_process(env=fast_env(sink))
    response = post_report(server, report_body())
    assert response.status_code == 202
    report_id = response.json()["id"]
    [message] = sink.wait_for(1, timeout=30)
    assert message["Message-ID"] == f"<{report_id}@partner.example>"
    assert sink.attempts == 5
    assert wait_for_status(server, report_id, "sent")["status"] == "sent"


@pytest.mark.slow
def test_permanent_failure_is_reported_failed_by_endpoint_and_command(server_process, sink):
    sink.start()
    sink.set_mode("550")
    server = server_process(env=fast_env(sink))
    report_id = post_report(server, report_body()).json()["id"]
    status = wait_for_status(server, report_id, "failed")
    assert status["status"] == "failed"
    # Issue 9: a code and a message in the customer's language (fi), never the server's text.
    assert status["failure"] == {"code": "message_rejected",
                                 "message": t("delivery_message_rejected", "fi")}
    swedish = requests.get(f"{server.url}/api/v1/reports/{report_id}", timeout=5,
                           headers={**DEMO_AUTH, "Accept-Language": "sv-SE"})
    assert swedish.json()["failure"]["message"] == t("delivery_message_rejected", "sv")
    assert "550" not in swedish.text and "mailbox unavailable" not in swedish.text
    shown = outbox_command(server, "status", report_id)
    assert shown.returncode == 0, shown.stderr
    assert "status: failed" in shown.stdout
    assert "reason: 550 5.7.1 mailbox unavailable" in shown.stdout
    listing = outbox_command(server, "status")
    assert "failed: 1" in listing.stdout and report_id in listing.stdout

    sink.set_mode("accept")
    retried = outbox_command(server, "retry", report_id)
    assert retried.returncode == 0, retried.stderr
    assert wait_for_status(server, report_id, "sent")["status"] == "sent"
    assert [m["Message-ID"] for m in sink.wait_for(1)] == [f"<{report_id}@partner.example>"]
    assert outbox_command(server, "retry", report_id).returncode == 1  # sent stays sent


@pytest.mark.slow
def test_a_hanging_mail_server_does_not_slow_the_post(server_process, sink):
    """The web request only writes the spool; SMTP waits happen in the worker (issue 3)."""
    sink.start()
    sink.set_mode("hang")
    server = server_process(env=fast_env(sink, SMTP_TIMEOUT=20))
    accepted, slowest = [], 0.0
    for _ in range(10):
        started = time.monotonic()
        response = post_report(server, report_body())
        slowest = max(slowest, time.monotonic() - started)
        assert response.status_code == 202
        accepted.append(response.json())
    assert slowest < 3.0, f"a POST took {slowest:.1f}s while SMTP hangs for 20s"
    deadline = time.monotonic() + 5
    while sink.attempts == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sink.attempts >= 1  # the worker really is stuck in the hanging session
    sink.set_mode("accept")  # releases the hanging session with a 451: retried, then sent
    assert len(sink.wait_for(10, timeout=30)) == 10
    assert set(sink.message_id_counts()) == expected_message_ids(accepted)
