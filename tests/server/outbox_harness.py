"""Helpers for the outbox tests: a real server subprocess against the SMTP sink, the
`outbox` command, and the spool's folders and claim owners."""
import os
import subprocess
import sys
import time
from contextlib import contextmanager

import requests

from server.outbox.owners import process_owner
from tests.conftest import ROOT, ServerProcess
from tests.server.samples import MAIL_FROM
from tests.smtp_sink import SmtpSink

DEMO_AUTH = {"Authorization": "Bearer demo"}


@contextmanager
def server_mailing_to_a_sink(workdir):
    """A server subprocess (dev mode, fast retries) delivering to an SMTP sink of its own:
    (server, sink); the server is thrown away after (`discard`), the sink stopped."""
    with SmtpSink() as sink:
        server = ServerProcess(workdir, fast_env(sink))
        try:
            server.start()
            yield server, sink
        finally:
            server.discard()


def fast_env(sink, **extra):
    """Short retry settings (issue 3: SUPPORT_REPORTER_RETRY_*), mail to the sink."""
    env = {
        "SUPPORT_REPORTER_MAIL_URL": sink.url,
        "SUPPORT_REPORTER_MAIL_FROM": MAIL_FROM,
        "SUPPORT_REPORTER_RETRY_INITIAL_SECONDS": "0.2",
        "SUPPORT_REPORTER_RETRY_MAX_SECONDS": "1",
        "SUPPORT_REPORTER_DELIVERY_POLL_SECONDS": "0.1",
        "SUPPORT_REPORTER_SMTP_TIMEOUT": "1",
        "SUPPORT_REPORTER_RATE_LIMIT": "100000 per minute",
        "SUPPORT_REPORTER_RATE_LIMIT_REPORTS": "100000 per minute",
        "SUPPORT_REPORTER_WORKERS": "2",
    }
    env.update({f"SUPPORT_REPORTER_{key}": str(value) for key, value in extra.items()})
    return env


def post_report(server, body, timeout=10):
    return requests.post(server.url + "/api/v1/reports", json=body, headers=DEMO_AUTH,
                         timeout=timeout)


def report_status(server, report_id):
    response = requests.get(f"{server.url}/api/v1/reports/{report_id}", headers=DEMO_AUTH,
                            timeout=5)
    response.raise_for_status()
    return response.json()


def wait_for_status(server, report_id, wanted, timeout=15):
    """Poll the status endpoint until it says `wanted`; returns the last answer."""
    deadline = time.monotonic() + timeout
    while True:
        answer = report_status(server, report_id)
        if answer["status"] == wanted or time.monotonic() > deadline:
            return answer
        time.sleep(0.1)


def outbox_command(server, *args, timeout=30):
    """`python -m server outbox ...` with the server's environment (same spool)."""
    return subprocess.run([sys.executable, "-m", "server", "outbox", *args], cwd=ROOT,
                          env=server.env, capture_output=True, text=True, timeout=timeout)


def spool_counts(spool):
    folders = ("tmp", "queue", "sending", "sent", "dead")
    return {name: len(os.listdir(spool / name)) for name in folders}


def dead_owner():
    """An owner string naming a process that has exited."""
    child = subprocess.Popen(["true"])
    child.wait()
    return f"{process_owner().rsplit('.', 2)[0]}.{child.pid}.12345"
