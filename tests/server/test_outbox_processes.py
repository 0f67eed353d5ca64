"""Idempotent POSTs across restarts, and two server processes sharing one spool (issue 3)."""
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.server.outbox_harness import (
    fast_env,
    post_report,
    spool_counts,
    wait_for_status,
)
from tests.server.samples import report_body


@pytest.mark.slow
def test_same_client_report_id_five_times_across_a_restart_is_one_email(server_process, smtp_server,
                                                                        tmp_path):
    env = fast_env(smtp_server, OUTBOX=tmp_path / "spool")
    body = report_body()
    server = server_process(env=env)
    answers = [post_report(server, body).json() for _ in range(3)]
    server.stop()
    server = server_process(env=env)
    answers += [post_report(server, body).json() for _ in range(2)]
    assert len({(a["id"], a["reference"]) for a in answers}) == 1
    assert wait_for_status(server, answers[0]["id"], "sent")["status"] == "sent"
    time.sleep(0.5)
    received = [message["Message-ID"] for message in smtp_server.messages]
    assert received == [f"<{answers[0]['id']}@partner.example>"]


@pytest.mark.slow
def test_two_servers_on_one_spool_send_each_report_once(server_process, smtp_server, tmp_path):
    spool = tmp_path / "spool"
    servers = [server_process(env=fast_env(smtp_server, OUTBOX=spool)) for _ in range(2)]
    shared_body = report_body()

    def post(number):
        body = shared_body if number % 5 == 0 else report_body()  # 0, 5, 10…: both servers
        response = post_report(servers[number % 2], body)
        assert response.status_code == 202, response.text
        return response.json()["id"]

    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = set(pool.map(post, range(40)))
    assert len(ids) == 33  # 32 distinct reports + one posted 8 times, 4 to each server
    assert len(smtp_server.wait_for(33, timeout=30)) == 33
    deadline = time.monotonic() + 10
    while spool_counts(spool)["sent"] < 33 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    counts = smtp_server.message_id_counts()
    assert set(counts) == {f"<{report_id}@partner.example>" for report_id in ids}
    assert set(counts.values()) == {1}
    assert spool_counts(spool) == {"tmp": 0, "queue": 0, "sending": 0, "sent": 33, "dead": 0}


@pytest.mark.slow
def test_delivery_threads_start_in_the_gunicorn_workers_not_the_master(server_process,
                                                                       smtp_server):
    """A thread started before fork would not survive it: each worker must start its own."""
    server = server_process(env=fast_env(smtp_server, WORKERS=3))
    deadline = time.monotonic() + 20  # healthz answered from the first worker booted
    while server.log.read_text().count("outbox: delivering") < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.log.read_text().count("outbox: delivering") == 3
    master = server.proc.pid
    workers = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    assert len(workers) == 3
    # gunicorn's arbiter is one thread; a worker has its main thread and the delivery thread.
    assert len(os.listdir(f"/proc/{master}/task")) == 1
    assert all(len(os.listdir(f"/proc/{pid}/task")) >= 2 for pid in workers)
    answer = post_report(server, report_body()).json()
    assert wait_for_status(server, answer["id"], "sent")["status"] == "sent"
    server.stop()
    assert server.proc.returncode == 0  # SIGTERM: workers finish their pass and exit
