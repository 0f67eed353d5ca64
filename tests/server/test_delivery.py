"""Delivery: exclusive claims, retries with backoff, dead letters, recovery, retention."""
import os
import time

import pytest

from server import claims, delivery, worker
from server.delivery import DeliverySettings
from server.mail.backends import backend_from_url
from server.mail.backends.memory import MailBackend as MemoryBackend
from server.outbox import Outbox
from server.spool import process_owner
from tests.server.outbox_harness import dead_owner
from tests.server.samples import ACME, MAIL_FROM, error_report
from tests.smtp_sink import SmtpSink


@pytest.fixture
def outbox(tmp_path):
    return Outbox(tmp_path / "spool", mail_from=MAIL_FROM, lease_seconds=120)


@pytest.fixture
def sink():
    server = SmtpSink().start()
    yield server
    server.stop()


def settings_for(url, **overrides):
    values = {"retry_initial": 0.2, "retry_max": 0.8, "lifetime": 30.0, "retention": 3600.0,
              "smtp_timeout": 0.5, "poll": 0.05}
    return DeliverySettings(mail_url=url, **{**values, **overrides})


def submit(outbox, number=0):
    return outbox.submit(ACME, error_report(client_report_id=f"client-{number}"))


def deliver(outbox, settings):
    backend = backend_from_url(settings.mail_url, timeout=settings.smtp_timeout)
    try:
        return delivery.deliver_due(outbox, backend, settings)
    finally:
        backend.close()


def test_backoff_starts_at_initial_doubles_and_is_capped():
    settings = settings_for("memory://", retry_initial=60, retry_max=3600)
    assert [delivery.backoff(n, settings) for n in range(1, 9)] == [
        60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_delivered_report_is_sent_with_its_time(outbox, sink):
    submission = submit(outbox)
    assert deliver(outbox, settings_for(sink.url)) == {"sent": 1, "retry": 0, "failed": 0}
    status = outbox.status(submission.id)
    assert status["status"] == "sent" and status["sent_at"].endswith("+00:00")
    [message] = sink.wait_for(1)
    assert message["Message-ID"] == f"<{submission.id}@partner.example>"
    assert sink.envelopes == [("reporter@partner.example", ["support@partner.example"])]


@pytest.mark.parametrize("mode", ["421", "451", "drop", "hang"])
def test_temporary_failures_wait_with_backoff_then_arrive(outbox, sink, mode):
    submission = submit(outbox)
    settings = settings_for(sink.url)
    sink.set_mode("accept", script=[mode])
    before = time.time()
    assert deliver(outbox, settings)["retry"] == 1
    state = outbox.inspect(submission.id)
    assert state["status"] == "queued" and state["attempts"] == 1 and state["last_error"]
    assert before + 0.2 <= state["next_attempt_at"] <= time.time() + 0.2
    due_at = state["next_attempt_at"]
    assert delivery.due_reports(outbox, now=due_at - 0.01) == []
    assert delivery.due_reports(outbox, now=due_at) == [submission.id]
    time.sleep(max(0.0, due_at - time.time()))
    assert deliver(outbox, settings)["sent"] == 1
    assert len(sink.wait_for(1)) == 1 and outbox.status(submission.id)["status"] == "sent"


def test_permanent_failure_goes_to_dead_letters_with_the_reason(outbox, sink):
    submission = submit(outbox)
    sink.set_mode("550")
    assert deliver(outbox, settings_for(sink.url))["failed"] == 1
    status = outbox.status(submission.id)
    assert status["status"] == "failed" and status["reason"].startswith("550 5.7.1")
    assert (outbox.root / "dead" / submission.id / "message.eml").exists()


def test_gives_up_after_the_lifetime(outbox):
    submission = submit(outbox)
    settings = settings_for(SmtpSink().url, lifetime=0.3)  # never started: refused
    deadline = time.monotonic() + 5
    while outbox.status(submission.id)["status"] == "queued" and time.monotonic() < deadline:
        deliver(outbox, settings)
        time.sleep(0.05)
    status = outbox.status(submission.id)
    assert status["status"] == "failed"
    assert status["reason"].startswith("gave up after") and "refused" in status["reason"]


def test_retry_puts_a_dead_report_back_and_it_arrives(outbox, sink):
    submission = submit(outbox)
    sink.set_mode("550")
    deliver(outbox, settings_for(sink.url))
    sink.set_mode("accept")
    assert claims.retry_now(outbox, submission.id)
    assert outbox.status(submission.id) == {
        "id": submission.id, "reference": submission.reference, "customer_id": "acme",
        "status": "queued"}
    assert deliver(outbox, settings_for(sink.url))["sent"] == 1
    assert not claims.retry_now(outbox, submission.id)  # sent reports stay sent


def test_a_pass_stops_at_the_first_temporary_failure(outbox, sink):
    for number in range(3):
        submit(outbox, number)
    sink.set_mode("451")
    assert deliver(outbox, settings_for(sink.url)) == {"sent": 0, "retry": 1, "failed": 0}
    assert sink.attempts == 1


def test_only_one_worker_can_claim_a_report(outbox):
    submission = submit(outbox)
    first = claims.claim(outbox, submission.id)
    assert first is not None and claims.claim(outbox, submission.id) is None


def test_recovery_returns_claims_of_dead_processes_and_expired_leases(outbox):
    dead, live, expired = (submit(outbox, n).id for n in range(3))
    now_ms = int(time.time() * 1000)
    for report_id, owner, claimed_ms in [(dead, dead_owner(), now_ms),
                                         (live, process_owner(), now_ms),
                                         (expired, process_owner(), now_ms - 121_000)]:
        os.rename(outbox.root / "queue" / report_id,
                  outbox.root / "sending" / f"{report_id}~{owner}~{claimed_ms}")
    assert claims.recover(outbox) == 2
    assert sorted(outbox.list("queue")) == sorted([dead, expired])
    assert outbox.list("sending") == [live]


def test_recovery_discards_unacknowledged_writes_of_dead_writers_only(outbox):
    abandoned = outbox.root / "tmp" / f"{dead_owner()}~01m8fd9bng7gyhkvb9pydwdty3"
    in_progress = outbox.root / "tmp" / f"{process_owner()}~01m8fd9bng7gyhkvb9pydwdty4"
    for folder in (abandoned, in_progress):
        folder.mkdir()
        (folder / "message.eml").write_bytes(b"half a mess")
    claims.recover(outbox)
    assert not abandoned.exists() and in_progress.exists()


def test_retention_removes_delivered_messages_but_never_undelivered_ones(outbox):
    sent, waiting = submit(outbox, 1), submit(outbox, 2)
    MemoryBackend.outbox.clear()
    claimed = claims.claim(outbox, sent.id)
    delivery.deliver_claimed(outbox, claimed, MemoryBackend(), settings_for("memory://"))
    assert worker.purge_delivered(outbox, retention=3600) == 0
    assert worker.purge_delivered(outbox, retention=3600, now=time.time() + 3601) == 1
    assert not (outbox.root / "sent" / sent.id / "message.eml").exists()
    assert outbox.status(sent.id)["status"] == "sent"
    assert (outbox.root / "queue" / waiting.id / "message.eml").exists()


def test_retention_also_purges_a_delivery_whose_time_was_never_recorded(outbox):
    """Killed after the rename into sent/, before sent_at was written: the mtime tells."""
    submission = submit(outbox)
    item = outbox.root / "sent" / submission.id
    os.rename(outbox.root / "queue" / submission.id, item)
    os.utime(item, (time.time() - 7200, time.time() - 7200))
    assert worker.purge_delivered(outbox, retention=3600) == 1
    assert not (item / "message.eml").exists()


def test_worker_thread_delivers_soon_after_submit(outbox, sink):
    thread = worker.start_worker(outbox, settings_for(sink.url, poll=30))
    try:
        submission = submit(outbox)
        assert len(sink.wait_for(1, timeout=5)) == 1  # woken by submit, not by the 30 s poll
        deadline = time.monotonic() + 5
        while outbox.status(submission.id)["status"] != "sent" and time.monotonic() < deadline:
            time.sleep(0.02)
        assert outbox.status(submission.id)["status"] == "sent"
    finally:
        thread.stop()
        thread.join(5)


def test_a_failing_mail_server_is_not_hammered_by_each_new_report(outbox, sink):
    """After a temporary failure, new reports wait for the first retry instead of waking
    the worker at once (as Postfix defers a destination that is down)."""
    sink.set_mode("451")
    thread = worker.start_worker(outbox, settings_for(sink.url, retry_initial=1.0,
                                                      retry_max=1.0, poll=30))
    try:
        submit(outbox, 0)
        deadline = time.monotonic() + 5
        while sink.attempts == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        for number in range(1, 4):
            submit(outbox, number)
        time.sleep(0.5)
        assert sink.attempts == 1
        sink.set_mode("accept")
        assert len(sink.wait_for(4, timeout=10)) == 4
    finally:
        thread.stop()
        thread.join(5)


def test_an_unreadable_item_goes_to_dead_letters_instead_of_blocking(outbox):
    submission = submit(outbox)
    (outbox.root / "queue" / submission.id / "message.eml").unlink()
    assert deliver(outbox, settings_for("memory://"))["failed"] == 1
    assert outbox.status(submission.id)["reason"].startswith("spool item unreadable")


def test_an_app_without_worker_is_delivered_by_hand(app):
    """The API tests' `app` (memory backend, DELIVERY_WORKER off) drains with deliver_once."""
    MemoryBackend.outbox.clear()
    submission = app.extensions["outbox"].submit(ACME, error_report())
    assert app.extensions["outbox"].status(submission.id)["status"] == "queued"
    assert worker.deliver_once(app) == {"sent": 1, "retry": 0, "failed": 0}
    assert [m["Message-ID"] for m in MemoryBackend.outbox] == [
        f"<{submission.id}@localhost>"]
