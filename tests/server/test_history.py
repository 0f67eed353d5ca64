"""The history file: counts in the 30-day window, the thread root per customer, and the
bound on how often a ticket's stage is read from the helpdesk (across processes)."""
import multiprocessing

import pytest

from server.history import WINDOW_SECONDS, History

NOW = 1_800_000_000.0


def record(history, n, customer="acme", reporter="maija@acme.example", fp="f" * 16, at=NOW):
    history.record(report_id=f"id{n}", reference=f"OSR-{n:05d}", fingerprint=fp,
                   customer_id=customer, reporter=reporter, created_at=at,
                   message_id=f"<id{n}@partner.example>")


def test_the_window_counts_reports_users_and_customers_and_keeps_each_customers_root(tmp_path):
    history = History(tmp_path / "h.sqlite3")
    record(history, 1, at=NOW - WINDOW_SECONDS - 1)  # too old to count
    record(history, 2, at=NOW - 100)
    record(history, 3, customer="globex", reporter="sven@globex.example", at=NOW - 50)
    record(history, 4, fp="0" * 16, at=NOW - 10)  # another error
    record(history, 2, at=NOW)  # the same report again changes nothing
    seen = history.seen("f" * 16, "acme", "kalle@acme.example", now=NOW)
    assert (seen.count, seen.users, seen.customers) == (3, 3, 2)
    assert seen.first_seen == NOW - 100 and seen.earlier == ("OSR-00002", "OSR-00003")
    assert seen.thread_root == "<id2@partner.example>"
    assert history.seen("f" * 16, "initech", "x@initech.example", now=NOW).thread_root is None
    assert history.seen("e" * 16, "acme", "maija@acme.example", now=NOW).count == 1


def test_earlier_tickets_name_their_helpdesk_numbers_once_known(tmp_path):
    history = History(tmp_path / "h.sqlite3")
    record(history, 2, at=NOW - 100)
    history.record_ticket("OSR-00002", 9, "HT00009")
    assert history.seen("f" * 16, "acme", "m@acme.example", now=NOW).earlier == (
        "OSR-00002 (HT00009)",)
    assert history.ticket("OSR-00002") == {"ticket_id": 9, "number": "HT00009", "stage": None,
                                           "closed": None, "fetched_at": None}


def claim(path, queue):
    queue.put(History(path).claim_stage_refresh("OSR-00002", 60.0, now=NOW))


@pytest.mark.slow
def test_one_stage_read_per_interval_whatever_the_number_of_processes(tmp_path):
    path = tmp_path / "h.sqlite3"
    history = History(path)
    history.record_ticket("OSR-00002", 9, "HT00009")
    queue = multiprocessing.get_context("spawn").Queue()
    workers = [multiprocessing.get_context("spawn").Process(target=claim, args=(path, queue))
               for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert sorted(queue.get(timeout=5) for _ in workers) == [False, False, False, True]
    assert not history.claim_stage_refresh("OSR-00002", 60.0, now=NOW + 59)
    assert history.claim_stage_refresh("OSR-00002", 60.0, now=NOW + 60)
    history.record_stage("OSR-00002", "In Progress", False)
    assert history.ticket("OSR-00002")["stage"] == "In Progress"
    assert not history.claim_stage_refresh("OSR-404", 60.0, now=NOW)
