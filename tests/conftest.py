"""Fixtures shared by every test: a real SMTP server and the server as a subprocess."""
import collections
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parent.parent
# `make test-fast` sets OSR_FUZZ=fast; `make test` runs the generated-input tests in full.
FAST_FUZZ = os.environ.get("OSR_FUZZ") == "fast"


def fuzz_examples(full):
    """Hypothesis's max_examples: `full` in `make test`, a tenth in the quick loop."""
    return max(10, full // 10) if FAST_FUZZ else full


def wait_until_answering(proc, url, what, log_tail, timeout, request_timeout=2, pause=0.1):
    """Returns once a GET of `url` answers OK; raises with `log_tail()` when `proc` (the
    `what` serving it) exits first or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited:\n{log_tail()}")
        try:
            if requests.get(url, timeout=request_timeout).ok:
                return
        except requests.RequestException:  # not listening yet, or slow on a loaded machine
            time.sleep(pause)
    raise RuntimeError(f"{what} did not answer in {timeout} s:\n{log_tail()}")


@pytest.fixture
def smtp_server():
    with SmtpSink() as sink:
        yield sink


@pytest.fixture
def mail_server(server_process, smtp_server):
    """The server as a subprocess (dev mode, demo key), mailing to the SMTP sink."""
    return server_process(env={"SUPPORT_REPORTER_MAIL_URL": smtp_server.url})


def send_json(connection, method, path, headers=None, body=None):
    """One request on an http.client `connection` (`body` sent as JSON), then closes it:
    status, headers and the raw response body."""
    headers = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    try:
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """`python -m server serve` as a real subprocess, as `make run` starts it."""

    def __init__(self, workdir, env):
        self.workdir = Path(workdir)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "SUPPORT_REPORTER_HOST": "127.0.0.1",
            "SUPPORT_REPORTER_PORT": str(self.port),
            "SUPPORT_REPORTER_OUTBOX": str(self.workdir / "outbox"),
            "PYTHONUNBUFFERED": "1",
            # The outbox is looked at every 0.2 s, not every second: mail arrives sooner and
            # a stop does not wait out the delivery thread's sleep. A test may set its own.
            "SUPPORT_REPORTER_DELIVERY_POLL_SECONDS": "0.2",
            **env,
        }
        self.proc = None
        self.log = self.workdir / "server.log"

    @property
    def outbox(self):
        """The server's spool folder (server/outbox/spool.py owns what is inside)."""
        return Path(self.env["SUPPORT_REPORTER_OUTBOX"])

    def start(self, timeout=40.0):
        self.workdir.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "server", "serve"], cwd=ROOT, env=self.env,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        wait_until_answering(self.proc, self.url + "/healthz", "server",
                             lambda: self.log.read_text()[-3000:], timeout)
        return self

    def kill(self, sig=signal.SIGKILL):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=10)

    def stop(self):
        self.kill(signal.SIGTERM)

    def discard(self):
        """Done with, its spool thrown away: killed at once, not stopped gracefully.

        A graceful stop only waits out gunicorn's workers (they look for it once a second),
        1–2 s a test. Under coverage (setup.cfg's `patch = subprocess` passes
        COVERAGE_PROCESS_CONFIG on) the server must exit cleanly to write its data.
        """
        if "COVERAGE_PROCESS_CONFIG" in os.environ:
            self.stop()
        else:
            self.kill()


@pytest.fixture
def server_process(tmp_path):
    """Factory: `server_process(env={...})` starts a server; each is discarded after."""
    started = []

    def start(env=None, workdir=None):
        proc = ServerProcess(workdir or tmp_path / f"server{len(started)}", env or {})
        started.append(proc)
        return proc.start()

    yield start
    for proc in started:
        proc.discard()


@pytest.fixture(scope="session")
def playwright():
    """The one Playwright of the session: a second one in the same thread refuses to start,
    so the fixture lives here, shared by the fixture-page and the real-Odoo browser tests."""
    chromium = "/usr/lib/chromium/chromium"
    if not Path(chromium).exists():
        pytest.fail(f"{chromium} missing: `make browsers` installs Debian's package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def chromium(playwright, tmp_path_factory):
    """The one English Chromium with the extension that every browser test shares (issue 12).

    A launch costs seconds on a loaded machine; a test gets it reset (`browser` fixtures),
    and only a test needing another language, a fresh worker or a policy launches its own.
    """
    from tests.e2e.conftest import launch

    browser = launch(playwright, tmp_path_factory.mktemp("chromium"))
    yield browser
    browser.context.close()


MEASUREMENT = "measurement"


def pytest_collection_modifyitems(items):
    """Every test has a node id of its own: pytest-xdist runs one item per id, dropping the rest.

    schemathesis (4.32 under pytest 9.2) names each operation's item `test[POST /path]`, but
    pytest 9.2 builds a test's id from its callspec, which schemathesis does not give: all
    operations got the function's id. The name's bracket is put back as the id's params.
    """
    for item in items:
        original = getattr(item, "originalname", item.name)
        if item.name != original and not item.nodeid.endswith("]"):
            item._id = item.id.with_params(item.name[len(original) + 1:-1])
    shared = [nodeid for nodeid, count in collections.Counter(i.nodeid for i in items).items()
              if count > 1]
    if shared:
        raise pytest.UsageError(f"tests share a node id, so some would not run: {shared}")


def pytest_terminal_summary(terminalreporter):
    """Numbers a test measured (`record_property("measurement", text)`), shown in every run.

    Pytest captures a passing test's output, so a count printed there would never be seen.
    """
    lines = [f"{report.nodeid}: {value}"
             for reports in terminalreporter.stats.values() for report in reports
             if getattr(report, "when", None) == "call"
             for name, value in getattr(report, "user_properties", ())
             if name == MEASUREMENT]
    if lines:
        terminalreporter.section("measurements")
        for line in lines:
            terminalreporter.write_line(line)
