"""Delivery: exclusive claims, retries with backoff, dead letters, recovery, retention."""
import os
import smtplib
import time

import pytest

from server.__main__ import main
from server.mail.backends import TemporaryFailure, backend_from_url
from server.mail.backends.memory import MailBackend as MemoryBackend
from server.outbox import delivery, worker
from server.outbox.delivery import DeliverySettings
from server.outbox.owners import process_owner
from server.outbox.reports import Outbox
from server.outbox.spool import Spool
from tests.server.outbox_harness import dead_owner
from tests.server.samples import ACME, MAIL_FROM, error_report
from tests.smtp_sink import SmtpSink


@pytest.fixture
def outbox(tmp_path):
    return Outbox(Spool(tmp_path / "spool", lease_seconds=120), mail_from=MAIL_FROM)


@pytest.fixture
def sink():
    server = SmtpSink().start()
    yield server
    server.stop()


def settings_for(url, **overrides):
    values = {"retry_initial": 0.2, "retry_max": 0.8, "lifetime": 30.0, "retention": 3600.0,
              "smtp_timeout": 0.5, "poll": 0.05, "max_attempts": 24}
    return DeliverySettings(mail_url=url, **{**values, **overrides})


def submit(outbox, number=0):
    return outbox.submit(ACME, error_report(client_report_id=f"client-{number}"))


def poison(outbox, report_id, edit):
    """Rewrite a queued report's stored message with `edit(bytes) -> bytes`."""
    path = outbox.spool.root / "queue" / report_id / "message.eml"
    path.write_bytes(edit(path.read_bytes()))


def headers_end_after_subject(raw):
    """A blank line after Subject: To, From and the rest fall into the body (issue 9)."""
    subject_end = raw.index(b"\n", raw.index(b"Subject:")) + 1
    return raw[:subject_end] + b"\n" + raw[subject_end:]


def deliver(outbox, settings):
    backend = backend_from_url(settings.mail_url, timeout=settings.smtp_timeout)
    try:
        return delivery.deliver_due(outbox.spool, backend, settings)
    finally:
        backend.close()


def test_backoff_starts_at_initial_doubles_and_is_capped():
    settings = settings_for("memory://", retry_initial=60, retry_max=3600)
    assert [delivery.backoff(n, settings) for n in range(1, 9)] == [
        60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_delivered_report_is_sent_with_its_time(outbox, sink):
    submission = submit(outbox)
    assert deliver(outbox, settings_for(sink.url)) == {"sent": 1, "retry": 0, "failed": 0,
                                                      "paused": 0}
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
    state = outbox.spool.inspect(submission.id)
    assert state["status"] == "queued" and state["attempts"] == 1 and state["last_error"]
    assert before + 0.2 <= state["next_attempt_at"] <= time.time() + 0.2
    due_at = state["next_attempt_at"]
    assert delivery.due_reports(outbox.spool, now=due_at - 0.01) == []
    assert delivery.due_reports(outbox.spool, now=due_at) == [submission.id]
    time.sleep(max(0.0, due_at - time.time()))
    assert deliver(outbox, settings)["sent"] == 1
    assert len(sink.wait_for(1)) == 1 and outbox.status(submission.id)["status"] == "sent"


def test_permanent_failure_goes_to_dead_letters_with_the_reason(outbox, sink):
    submission = submit(outbox)
    sink.set_mode("550")
    assert deliver(outbox, settings_for(sink.url))["failed"] == 1
    status = outbox.status(submission.id)
    assert status["status"] == "failed" and status["reason"].startswith("550 5.7.1")
    assert outbox.spool.inspect(submission.id)["failure_code"] == "message_rejected"
    assert (outbox.spool.root / "dead" / submission.id / "message.eml").exists()


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
    assert outbox.spool.inspect(submission.id)["failure_code"] == "gave_up"


def test_retry_puts_a_dead_report_back_and_it_arrives(outbox, sink):
    submission = submit(outbox)
    sink.set_mode("550")
    deliver(outbox, settings_for(sink.url))
    sink.set_mode("accept")
    assert delivery.retry_now(outbox.spool, submission.id)
    assert outbox.status(submission.id) == {
        "id": submission.id, "reference": submission.reference, "customer_id": "acme",
        "status": "queued"}
    assert deliver(outbox, settings_for(sink.url))["sent"] == 1
    assert not delivery.retry_now(outbox.spool, submission.id)  # sent reports stay sent


def test_a_failing_mail_server_pauses_the_pass(outbox, sink):
    """421 (closing) says the server, not the message, fails: the others wait too."""
    for number in range(3):
        submit(outbox, number)
    sink.set_mode("421")
    assert deliver(outbox, settings_for(sink.url)) == {"sent": 0, "retry": 1, "failed": 0,
                                                       "paused": 1}
    assert sink.attempts == 1


def test_a_refused_message_does_not_delay_the_others(outbox, sink):
    """Issue 9: a 4xx to one message's DATA is that message's failure; the pass goes on."""
    refused, *others = (submit(outbox, number) for number in range(3))
    sink.set_mode("accept", script=["451"])
    assert deliver(outbox, settings_for(sink.url)) == {"sent": 2, "retry": 1, "failed": 0,
                                                       "paused": 0}
    assert sorted(m["Message-ID"] for m in sink.wait_for(2)) == sorted(
        f"<{s.id}@partner.example>" for s in others)
    state = outbox.spool.inspect(refused.id)
    assert (state["status"], state["message_failures"]) == ("queued", 1)
    assert state["last_failure_code"] == "message_rejected"


def test_a_message_without_recipients_goes_to_dead_letters_and_others_are_sent(outbox, sink):
    """Issue 9: headers ended early by an injected blank line: no To left to send to.

    Whether the backend refuses it (recipients from the headers) or sends it to the
    configured address only, it never holds the queue.
    """
    poisoned = [submit(outbox, number).id for number in range(8)]
    for report_id in poisoned:
        poison(outbox, report_id, headers_end_after_subject)
    normal = submit(outbox, 99)
    counts = deliver(outbox, settings_for(sink.url))
    assert counts["paused"] == 0 and counts["retry"] == 0
    assert outbox.status(normal.id)["status"] == "sent"
    assert f"<{normal.id}@partner.example>" in {m["Message-ID"] for m in sink.messages}
    assert {rcpt for _, rcpts in sink.envelopes for rcpt in rcpts} == {"support@partner.example"}
    for report_id in poisoned:
        state = outbox.spool.inspect(report_id)
        assert state["status"] in ("failed", "sent")
        if state["status"] == "failed":
            assert state["failure_code"] == "message_unusable"
            assert "names no recipient" in state["reason"]


def test_recipients_refused_with_an_empty_list_is_permanent_and_the_message_s_own():
    try:
        try:
            raise smtplib.SMTPRecipientsRefused({})
        except smtplib.SMTPRecipientsRefused as refused:
            raise TemporaryFailure("recipients refused: ") from refused
    except TemporaryFailure as failure:
        classified = delivery.classify_failure(failure)
    assert (classified.temporary, classified.message_only, classified.code) == (
        False, True, "message_unusable")


def test_a_message_the_backend_cannot_handle_is_set_aside(outbox, sink):
    """smtplib raises outside its own exceptions (ValueError) on two Resent- blocks when it
    reads the recipients from the headers: retried, bounded, never blocking. (A backend
    that takes the recipients from the state sends it to the support address instead.)"""
    odd, normal = submit(outbox, 1), submit(outbox, 2)
    poison(outbox, odd.id, lambda raw: b"Resent-Date: a\nResent-Date: b\n" + raw)
    settings = settings_for(sink.url, retry_initial=0.01, retry_max=0.01, max_attempts=3)
    assert deliver(outbox, settings)["sent"] >= 1
    assert outbox.status(normal.id)["status"] == "sent"
    deadline = time.monotonic() + 5
    while outbox.status(odd.id)["status"] == "queued" and time.monotonic() < deadline:
        deliver(outbox, settings)
        time.sleep(0.02)
    state = outbox.spool.inspect(odd.id)
    assert {rcpt for _, rcpts in sink.envelopes for rcpt in rcpts} == {"support@partner.example"}
    if state["status"] != "sent":
        assert (state["status"], state["attempts"], state["failure_code"]) == (
            "failed", 3, "gave_up")
        assert "ValueError" in state["reason"]


def test_an_exception_outside_the_backend_s_own_is_the_message_s_and_temporary():
    classified = delivery.classify_failure(UnicodeEncodeError("ascii", "ü", 0, 1, "no"))
    assert (classified.temporary, classified.message_only, classified.code) == (
        True, True, "message_unusable")


def test_a_message_refused_every_time_ends_in_dead_letters_after_max_attempts(outbox, sink):
    submission = submit(outbox)
    sink.set_mode("451")
    settings = settings_for(sink.url, retry_initial=0.01, retry_max=0.01, max_attempts=4)
    deadline = time.monotonic() + 5
    while outbox.status(submission.id)["status"] == "queued" and time.monotonic() < deadline:
        deliver(outbox, settings)
        time.sleep(0.02)
    state = outbox.spool.inspect(submission.id)
    assert (state["status"], state["attempts"], sink.attempts) == ("failed", 4, 4)
    assert state["reason"] == "gave up after 4 attempts: 451 4.3.0 try again later"
    assert state["failure_code"] == "gave_up"


def test_a_mail_server_that_is_down_does_not_use_up_the_attempts(outbox):
    """Connection failures are bounded by the lifetime, not by max_attempts."""
    submission = submit(outbox)
    settings = settings_for(SmtpSink().url, retry_initial=0.01, retry_max=0.01, max_attempts=2)
    for _ in range(4):
        assert deliver(outbox, settings)["paused"] == 1
        time.sleep(0.02)
    state = outbox.spool.inspect(submission.id)
    assert (state["status"], state["attempts"]) == ("queued", 4)
    assert outbox.status(submission.id)["failure_code"] == "mail_server_unreachable"


def test_a_damaged_state_goes_to_dead_letters_without_blocking(outbox, sink):
    damaged, normal = submit(outbox, 1), submit(outbox, 2)
    (outbox.spool.root / "queue" / damaged.id / "state.json").write_bytes(b'{"id": "trunc')
    assert deliver(outbox, settings_for(sink.url))["sent"] == 1
    assert outbox.status(normal.id)["status"] == "sent"
    item = outbox.spool.root / "dead" / damaged.id
    assert (item / "state.json.damaged").read_bytes() == b'{"id": "trunc'
    assert outbox.spool.inspect(damaged.id)["failure_code"] == "message_unusable"
    assert "state.json damaged" in outbox.spool.inspect(damaged.id)["reason"]


def test_only_one_worker_can_claim_a_report(outbox):
    submission = submit(outbox)
    first = outbox.spool.claim(submission.id)
    assert first is not None and outbox.spool.claim(submission.id) is None


def test_recovery_returns_claims_of_dead_processes_and_expired_leases(outbox):
    dead, live, expired = (submit(outbox, n).id for n in range(3))
    now_ms = int(time.time() * 1000)
    for report_id, owner, claimed_ms in [(dead, dead_owner(), now_ms),
                                         (live, process_owner(), now_ms),
                                         (expired, process_owner(), now_ms - 121_000)]:
        os.rename(outbox.spool.root / "queue" / report_id,
                  outbox.spool.root / "sending" / f"{report_id}~{owner}~{claimed_ms}")
    assert outbox.spool.recover() == 2
    assert sorted(outbox.spool.list("queue")) == sorted([dead, expired])
    assert outbox.spool.list("sending") == [live]


def test_recovery_discards_unacknowledged_writes_of_dead_writers_only(outbox):
    abandoned = outbox.spool.root / "tmp" / f"{dead_owner()}~01m8fd9bng7gyhkvb9pydwdty3"
    in_progress = outbox.spool.root / "tmp" / f"{process_owner()}~01m8fd9bng7gyhkvb9pydwdty4"
    for folder in (abandoned, in_progress):
        folder.mkdir()
        (folder / "message.eml").write_bytes(b"half a mess")
    outbox.spool.recover()
    assert not abandoned.exists() and in_progress.exists()


def test_retention_removes_delivered_messages_but_never_undelivered_ones(outbox):
    sent, waiting = submit(outbox, 1), submit(outbox, 2)
    MemoryBackend.outbox.clear()
    claimed = outbox.spool.claim(sent.id)
    delivery.deliver_claimed(outbox.spool, claimed, MemoryBackend(), settings_for("memory://"))
    assert outbox.spool.purge_delivered(retention=3600) == 0
    assert outbox.spool.purge_delivered(retention=3600, now=time.time() + 3601) == 1
    assert not (outbox.spool.root / "sent" / sent.id / "message.eml").exists()
    assert outbox.status(sent.id)["status"] == "sent"
    assert (outbox.spool.root / "queue" / waiting.id / "message.eml").exists()


def test_retention_also_purges_a_delivery_whose_time_was_never_recorded(outbox):
    """Killed after the rename into sent/, before sent_at was written: the mtime tells."""
    submission = submit(outbox)
    item = outbox.spool.root / "sent" / submission.id
    os.rename(outbox.spool.root / "queue" / submission.id, item)
    os.utime(item, (time.time() - 7200, time.time() - 7200))
    assert outbox.spool.purge_delivered(retention=3600) == 1
    assert not (item / "message.eml").exists()


def test_worker_thread_delivers_soon_after_submit(outbox, sink):
    thread = worker.start_worker(outbox.spool, settings_for(sink.url, poll=30))
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
    """After a failure of the mail server, new reports wait for the first retry instead of
    waking the worker at once (as Postfix defers a destination that is down)."""
    sink.set_mode("421")
    thread = worker.start_worker(outbox.spool, settings_for(sink.url, retry_initial=1.0,
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
    (outbox.spool.root / "queue" / submission.id / "message.eml").unlink()
    assert deliver(outbox, settings_for("memory://"))["failed"] == 1
    assert outbox.status(submission.id)["reason"].startswith("spool item unreadable")


def test_an_app_without_worker_is_drained_by_the_outbox_command(app, monkeypatch, capsys):
    """The API tests' `app` (DELIVERY_WORKER off) drains with `outbox deliver --once`."""
    monkeypatch.delenv("SUPPORT_REPORTER_CONFIG", raising=False)
    monkeypatch.setenv("SUPPORT_REPORTER_OUTBOX", app.config["OUTBOX"])
    monkeypatch.setenv("SUPPORT_REPORTER_MAIL_URL", "memory://")
    MemoryBackend.outbox.clear()
    submission = app.extensions["outbox"].submit(ACME, error_report())
    assert app.extensions["outbox"].status(submission.id)["status"] == "queued"
    assert main(["outbox", "deliver", "--once"]) == 0
    assert capsys.readouterr().out == "sent: 1  retry: 0  failed: 0  paused: 0\n"
    assert [m["Message-ID"] for m in MemoryBackend.outbox] == [
        f"<{submission.id}@localhost>"]
    assert app.extensions["outbox"].status(submission.id)["status"] == "sent"


def test_orphan_references_are_released_after_an_hour_only(outbox):
    """refs/ of a writer that died before its commit (issue 9); a writer at work keeps its own."""
    kept = submit(outbox, 1)
    refs = outbox.spool.root / "refs"
    (refs / "OSR-AAAAA").write_text("01m8fd9bng7gyhkvb9pydwdty3")  # its writer is at work
    (refs / "OSR-BBBBB").write_text("01m8fd9bng7gyhkvb9pydwdty4")  # its writer died
    (refs / "OSR-CCCCC").write_bytes(b"")  # cut short by a full disk
    an_hour_ago = time.time() - 3601
    for name in ("OSR-BBBBB", "OSR-CCCCC", kept.reference):
        os.utime(refs / name, (an_hour_ago, an_hour_ago))
    assert outbox.spool.discard_orphan_references() == 2
    assert sorted(os.listdir(refs)) == sorted(["OSR-AAAAA", kept.reference])
