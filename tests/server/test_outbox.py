"""The outbox accepts a report only once it is safely on disk, and only once per client id."""
import email
import json
import os
import re
import threading
import time
from email.policy import default as default_policy

import pytest

from server.outbox import durable
from server.outbox.owners import process_owner
from server.outbox.reports import Outbox, StorageFull
from server.outbox.spool import Spool
from tests.server.outbox_harness import dead_owner
from tests.server.samples import ACME, MAIL_FROM, error_report


@pytest.fixture
def outbox(tmp_path):
    return Outbox(Spool(tmp_path / "spool"), mail_from=MAIL_FROM)


def test_submit_stores_the_ticket_and_its_state_in_the_queue(outbox):
    submission = outbox.submit(ACME, error_report())
    assert re.fullmatch(r"OSR-[2-9A-Z]{5}", submission.reference)
    assert submission.status == "queued" and not submission.duplicate
    assert submission.created_at.tzinfo is not None
    item = outbox.spool.root / "queue" / submission.id
    assert sorted(os.listdir(item)) == ["message.eml", "state.json"]
    assert os.listdir(outbox.spool.root / "tmp") == []
    state = json.loads((item / "state.json").read_text())
    assert state["envelope_to"] == ["support@partner.example"]
    assert state["envelope_from"] == "reporter@partner.example"
    message = email.message_from_bytes((item / "message.eml").read_bytes(), policy=default_policy)
    assert message["Message-ID"] == f"<{submission.id}@partner.example>"
    assert message["Subject"].startswith(f"[{submission.reference}] Acme Oy · Sales")


def test_submit_fsyncs_files_and_queue_before_it_returns(outbox, monkeypatch):
    """The 202 promise: data fsynced, renamed into queue/, queue/ fsynced (issue 3)."""
    events = []
    real_fsync, real_rename = os.fsync, os.rename
    monkeypatch.setattr(durable.os, "fsync",
                        lambda fd: (events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}"))),
                                    real_fsync(fd)))
    monkeypatch.setattr(durable.os, "rename",
                        lambda a, b: (events.append(("rename", str(b))), real_rename(a, b)))
    submission = outbox.submit(ACME, error_report())
    queue_dir = str(outbox.spool.root / "queue")
    into_queue = events.index(("rename", f"{queue_dir}/{submission.id}"))
    synced_before = [path for kind, path in events[:into_queue] if kind == "fsync"]
    assert any(path.endswith("message.eml") for path in synced_before)
    assert any(path.endswith("state.json") for path in synced_before)
    assert ("fsync", queue_dir) in events[into_queue:]


def test_same_client_report_id_five_times_is_one_report(outbox):
    submissions = [outbox.submit(ACME, error_report()) for _ in range(5)]
    assert {s.id for s in submissions} == {submissions[0].id}
    assert {s.reference for s in submissions} == {submissions[0].reference}
    assert [s.duplicate for s in submissions] == [False, True, True, True, True]
    assert outbox.spool.counts()["queued"] == 1


def test_idempotency_survives_a_restart(outbox):
    first = outbox.submit(ACME, error_report())
    reopened = Outbox(Spool(outbox.spool.root), mail_from=MAIL_FROM)
    again = reopened.submit(ACME, error_report())
    assert (again.id, again.reference, again.duplicate) == (first.id, first.reference, True)
    assert again.created_at == first.created_at


def test_client_report_ids_are_per_customer(outbox):
    import dataclasses

    other = dataclasses.replace(ACME, id="globex", name="Globex")
    assert outbox.submit(ACME, error_report()).id != outbox.submit(other, error_report()).id


def test_racing_duplicates_create_one_report(outbox):
    results = []

    def post():
        results.append(outbox.submit(ACME, error_report()))
    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len({s.id for s in results}) == 1 and len(results) == 8
    assert sum(not s.duplicate for s in results) == 1
    assert outbox.spool.counts()["queued"] == 1


def test_key_left_by_a_crashed_writer_is_taken_over(outbox):
    """A writer killed between the key and the queue never answered 202: start over."""
    key = outbox.spool.key_path(ACME.id, error_report()["client_report_id"])
    key.write_text(json.dumps({"id": "01m8fd9bng7gyhkvb9pydwdty3",
                               "created_at": "2026-11-27T10:00:00+00:00",
                               "owner": dead_owner(), "written_at": 0}))
    submission = outbox.submit(ACME, error_report())
    assert not submission.duplicate and submission.id != "01m8fd9bng7gyhkvb9pydwdty3"
    assert outbox.submit(ACME, error_report()).id == submission.id


@pytest.mark.parametrize("client_report_id", [f"retried-{n}" for n in range(5)])
def test_racing_retries_after_a_crashed_writer_create_one_report(outbox, client_report_id):
    """The client re-posts from several tabs after a crash: the stale key is taken over once."""
    report = error_report(client_report_id=client_report_id)
    outbox.spool.key_path(ACME.id, client_report_id).write_text(json.dumps(
        {"id": "01m8fd9bng7gyhkvb9pydwdty3", "created_at": "2026-11-27T10:00:00+00:00"}))
    results = []
    threads = [threading.Thread(target=lambda: results.append(outbox.submit(ACME, report)))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(results) == 8 and len({s.id for s in results}) == 1
    assert results[0].id != "01m8fd9bng7gyhkvb9pydwdty3"
    assert outbox.spool.counts()["queued"] == 1


@pytest.mark.parametrize("bad_id", ["../../etc/passwd", "", "01M8FD9BNG7GYHKVB9PYDWDTY3", None, 42])
def test_status_of_unknown_or_malformed_ids_is_none(outbox, bad_id):
    assert outbox.status(bad_id) is None


def test_status_follows_the_report_through_its_folders(outbox):
    submission = outbox.submit(ACME, error_report())
    expected = {"id": submission.id, "reference": submission.reference, "customer_id": "acme"}
    assert outbox.status(submission.id) == {**expected, "status": "queued"}
    claimed = outbox.spool.root / "sending" / f"{submission.id}~{process_owner()}~1"
    os.rename(outbox.spool.root / "queue" / submission.id, claimed)
    assert outbox.status(submission.id) == {**expected, "status": "sending"}
    os.rename(claimed, outbox.spool.root / "dead" / submission.id)
    assert outbox.status(submission.id)["status"] == "failed"


def test_a_failed_write_frees_the_client_report_id_for_the_retry(outbox, monkeypatch):
    def disk_full(*args):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(outbox.spool, "accept", disk_full)
    with pytest.raises(StorageFull):
        outbox.submit(ACME, error_report())
    monkeypatch.undo()
    assert os.listdir(outbox.spool.root / "refs") == []  # issue 9: the reservation is released
    started = time.monotonic()
    submission = outbox.submit(ACME, error_report())
    assert not submission.duplicate and time.monotonic() - started < 1
    assert outbox.status(submission.id)["status"] == "queued"
