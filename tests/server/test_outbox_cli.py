"""`python -m server outbox status | deliver --once | retry` on a spool (issue 3), and the
same command under Flask's CLI (`flask --app server outbox ...`)."""
import json
import os
import subprocess
import sys

import pytest

from server.__main__ import main
from server.outbox.reports import Outbox
from server.outbox.spool import Spool
from tests.conftest import ROOT
from tests.server.samples import ACME, MAIL_FROM, error_report
from tests.smtp_sink import SmtpSink


@pytest.fixture
def outbox(tmp_path, monkeypatch):
    """The environment the command reads: spool folder and a file mail backend."""
    monkeypatch.delenv("SUPPORT_REPORTER_CONFIG", raising=False)
    monkeypatch.setenv("SUPPORT_REPORTER_OUTBOX", str(tmp_path / "spool"))
    monkeypatch.setenv("SUPPORT_REPORTER_MAIL_URL", f"file://{tmp_path / 'mail'}")
    monkeypatch.setenv("SUPPORT_REPORTER_MAIL_FROM", MAIL_FROM)
    return Outbox(Spool(tmp_path / "spool"), mail_from=MAIL_FROM)


def test_status_lists_counts_and_waiting_reports(outbox, capsys):
    submission = outbox.submit(ACME, error_report())
    assert main(["outbox", "status"]) == 0
    out = capsys.readouterr().out
    assert "queued: 1  sending: 0  sent: 0  failed: 0" in out
    assert f"{submission.id}  {submission.reference}  queued" in out


def test_status_of_one_report_as_json(outbox, capsys):
    submission = outbox.submit(ACME, error_report())
    assert main(["outbox", "status", submission.id, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["id"], shown["status"], shown["attempts"]) == (submission.id, "queued", 0)


def test_unknown_report_is_an_error(outbox, capsys):
    assert main(["outbox", "status", "01m8fd9bng7gyhkvb9pydwdty3"]) == 1
    assert "no report 01m8fd9bng7gyhkvb9pydwdty3" in capsys.readouterr().err
    assert main(["outbox", "retry", "01m8fd9bng7gyhkvb9pydwdty3"]) == 1


def test_a_misspelt_command_is_a_usage_error(outbox, capsys):
    assert main(["outbox", "stauts"]) == 2
    assert "No such command 'stauts'" in capsys.readouterr().err


def test_deliver_once_sends_what_is_due(outbox, tmp_path, capsys):
    submission = outbox.submit(ACME, error_report())
    assert main(["outbox", "deliver", "--once"]) == 0
    assert "sent: 1" in capsys.readouterr().out
    assert outbox.status(submission.id)["status"] == "sent"
    assert [path.name for path in (tmp_path / "mail").iterdir()] == [
        f"{submission.id}_partner.example.eml"]


def test_retry_requeues_a_failed_report(outbox, monkeypatch, capsys):
    sink = SmtpSink().start()
    try:
        sink.set_mode("550")
        monkeypatch.setenv("SUPPORT_REPORTER_MAIL_URL", sink.url)
        submission = outbox.submit(ACME, error_report())
        assert main(["outbox", "deliver", "--once"]) == 0
        assert outbox.status(submission.id)["reason"] == "550 5.7.1 mailbox unavailable"
        assert main(["outbox", "retry", submission.id]) == 0
        assert outbox.status(submission.id) == {
            "id": submission.id, "reference": submission.reference, "customer_id": "acme",
            "status": "queued"}
        sink.set_mode("accept")
        assert main(["outbox", "deliver", "--once"]) == 0
        assert [m["Message-ID"] for m in sink.wait_for(1)] == [f"<{submission.id}@partner.example>"]
    finally:
        sink.stop()


def test_a_bad_configuration_is_named_not_a_traceback(outbox, monkeypatch, capsys):
    monkeypatch.setenv("SUPPORT_REPORTER_RETRY_INITIAL_SECONDS", "soon")
    assert main(["outbox", "status"]) == 2
    error = capsys.readouterr().err
    assert "retry_initial_seconds (SUPPORT_REPORTER_RETRY_INITIAL_SECONDS)" in error


def flask_outbox(*args):
    """`flask --app server outbox ...` in a process of its own, as an operator types it."""
    return subprocess.run([sys.executable, "-m", "flask", "--app", "server", "outbox", *args],
                          cwd=ROOT, env=os.environ, capture_output=True, text=True, timeout=60)


def test_flasks_cli_runs_the_same_command_and_delivers_nothing_by_looking(outbox, tmp_path):
    submission = outbox.submit(ACME, error_report())
    shown = flask_outbox("status")
    assert shown.returncode == 0, shown.stderr
    assert "queued: 1  sending: 0  sent: 0  failed: 0" in shown.stdout
    assert f"{submission.id}  {submission.reference}  queued" in shown.stdout
    # Looking builds no app, so no delivery thread: the report still waits, no mail went out.
    assert outbox.status(submission.id)["status"] == "queued"
    assert list((tmp_path / "mail").glob("*")) == []
    unknown = flask_outbox("status", "01m8fd9bng7gyhkvb9pydwdty3")
    assert unknown.returncode == 1 and "no report 01m8fd9bng7gyhkvb9pydwdty3" in unknown.stderr
    delivered = flask_outbox("deliver", "--once")
    assert delivered.returncode == 0 and "sent: 1" in delivered.stdout, delivered.stderr
    assert outbox.status(submission.id)["status"] == "sent"


def test_flasks_cli_names_a_bad_configuration_with_status_2(outbox, monkeypatch):
    monkeypatch.setenv("SUPPORT_REPORTER_RETRY_INITIAL_SECONDS", "soon")
    answer = flask_outbox("status")
    assert answer.returncode == 2 and answer.stdout == ""
    assert answer.stderr.startswith("configuration error: retry_initial_seconds "
                                    "(SUPPORT_REPORTER_RETRY_INITIAL_SECONDS)"), answer.stderr
