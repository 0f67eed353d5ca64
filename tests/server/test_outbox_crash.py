"""SIGKILL the server at random moments while it accepts and delivers: every 202 arrives (issue 3).

The client behaves like the extension: a report that got no answer is posted again,
with the same client_report_id, after the restart. The kill schedule comes from a seed,
printed with the result; `OSR_CRASH_SEED=<seed>` replays it (the threads' timing still
varies). The redelivery count appears in pytest's "measurements" section (tests/conftest.py).
"""
import collections
import json
import os
import random
import threading
import time

import pytest
import requests

from tests.conftest import MEASUREMENT
from tests.server.outbox_harness import (
    fast_env,
    post_report,
    spool_counts,
)
from tests.server.samples import report_body

CYCLES = 20
SEED_VARIABLE = "OSR_CRASH_SEED"


def crash_seed() -> int:
    """The seed of this run: $OSR_CRASH_SEED to replay one, else a new one."""
    return int(os.environ.get(SEED_VARIABLE) or time.time_ns() % 2**32)


def post_until_stopped(server, pending, acknowledged, refused, stop, lock, rng):
    """Post pending reports (oldest first) until told to stop or the server dies.

    A thread cannot fail the test by raising; answers other than 202 go to `refused`.
    """
    while not stop.is_set():
        with lock:
            if not pending:
                pending.append(report_body())
            body = pending[0] if rng.random() < 0.3 else pending.pop()
        try:
            response = post_report(server, body, timeout=5)
        except requests.RequestException:
            with lock:
                if body not in pending:
                    pending.append(body)  # no answer: the client will send it again
            return
        if response.status_code != 202:
            refused.append((response.status_code, response.text[:300]))
            return
        with lock:
            acknowledged[body["client_report_id"]].add(response.json()["id"])
            if body in pending:
                pending.remove(body)


def client_report_id_of(message):
    [report] = [part for part in message.iter_attachments() if part.get_filename() == "report.json"]
    return json.loads(report.get_content())["client_report_id"]


@pytest.mark.slow
def test_reports_survive_sigkill_at_random_moments(server_process, smtp_server, tmp_path,
                                                  record_property):
    seed = crash_seed()
    replay = f"{SEED_VARIABLE}={seed}"
    record_property(MEASUREMENT, f"kill schedule seed: {replay}")  # shown even if it fails
    rng = random.Random(seed)
    spool = tmp_path / "spool"
    env = fast_env(smtp_server, OUTBOX=spool)
    acknowledged = collections.defaultdict(set)  # client_report_id -> ids answered with 202
    pending, refused, lock = [], [], threading.Lock()
    for cycle in range(CYCLES):
        # Now and then the mail server stalls, so that kills also hit retries and claims.
        smtp_server.set_mode("accept", script=rng.choice([[], [], ["451"], ["drop"]]))
        server = server_process(env=env, workdir=tmp_path / f"cycle{cycle}")
        stop = threading.Event()
        posters = [threading.Thread(target=post_until_stopped,
                                    args=(server, pending, acknowledged, refused, stop, lock,
                                          random.Random(rng.random())))
                   for _ in range(3)]
        for poster in posters:
            poster.start()
        time.sleep(rng.uniform(0.05, 0.8))
        server.kill()
        stop.set()
        for poster in posters:
            poster.join(10)
        assert not any(poster.is_alive() for poster in posters), replay
        assert refused == [], f"every answered POST is a 202 ({replay})"

    server = server_process(env=env, workdir=tmp_path / "final")
    with lock:
        for body in list(pending):  # the last unanswered reports, sent once more
            response = post_report(server, body)
            assert response.status_code == 202, replay
            acknowledged[body["client_report_id"]].add(response.json()["id"])
    expected = {f"<{i}@partner.example>" for ids in acknowledged.values() for i in ids}
    smtp_server.wait_for(len(expected), timeout=60)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (
            spool_counts(spool)["queue"] + spool_counts(spool)["sending"]):
        time.sleep(0.1)
    time.sleep(0.5)

    counts = smtp_server.message_id_counts()
    redeliveries = sum(count - 1 for count in counts.values())
    record_property(MEASUREMENT, (
        f"{CYCLES} SIGKILL cycles, {len(expected)} reports acknowledged, "
        f"{sum(counts.values())} messages received, {redeliveries} redelivered with the same "
        "Message-ID"))
    assert all(len(ids) == 1 for ids in acknowledged.values()), \
        f"one id per client_report_id ({replay})"
    assert set(counts) == expected, f"every 202 delivered, nothing unacknowledged sent ({replay})"
    message_ids_per_report = collections.defaultdict(set)
    for message in smtp_server.messages:
        message_ids_per_report[client_report_id_of(message)].add(message["Message-ID"])
    assert all(len(ids) == 1 for ids in message_ids_per_report.values()), \
        f"no report under two Message-IDs ({replay})"
    assert redeliveries <= max(2, len(expected) // 10), f"redeliveries must stay rare ({replay})"
    assert spool_counts(spool)["dead"] == 0 and spool_counts(spool)["tmp"] == 0, replay
