"""`python -m server outbox status | deliver --once | retry` on a spool (issue 3)."""
import json

import pytest

from server import cli
from server.outbox import Outbox
from tests.server.samples import ACME, MAIL_FROM, error_report
from tests.smtp_sink import SmtpSink


@pytest.fixture
def spool(tmp_path, monkeypatch):
    """The environment the command reads: spool folder and a file mail backend."""
    monkeypatch.delenv("SUPPORT_REPORTER_CONFIG", raising=False)
    monkeypatch.setenv("SUPPORT_REPORTER_OUTBOX", str(tmp_path / "spool"))
    monkeypatch.setenv("SUPPORT_REPORTER_MAIL_URL", f"file://{tmp_path / 'mail'}")
    monkeypatch.setenv("SUPPORT_REPORTER_MAIL_FROM", MAIL_FROM)
    return Outbox(tmp_path / "spool", mail_from=MAIL_FROM)


def test_status_lists_counts_and_waiting_reports(spool, capsys):
    submission = spool.submit(ACME, error_report())
    assert cli.main(["outbox", "status"]) == 0
    out = capsys.readouterr().out
    assert "queued: 1  sending: 0  sent: 0  failed: 0" in out
    assert f"{submission.id}  {submission.reference}  queued" in out


def test_status_of_one_report_as_json(spool, capsys):
    submission = spool.submit(ACME, error_report())
    assert cli.main(["status", submission.id, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["id"], shown["status"], shown["attempts"]) == (submission.id, "queued", 0)


def test_unknown_report_is_an_error(spool, capsys):
    assert cli.main(["status", "01m8fd9bng7gyhkvb9pydwdty3"]) == 1
    assert "no report 01m8fd9bng7gyhkvb9pydwdty3" in capsys.readouterr().err
    assert cli.main(["retry", "01m8fd9bng7gyhkvb9pydwdty3"]) == 1


def test_deliver_once_sends_what_is_due(spool, tmp_path, capsys):
    submission = spool.submit(ACME, error_report())
    assert cli.main(["deliver", "--once"]) == 0
    assert "sent: 1" in capsys.readouterr().out
    assert spool.status(submission.id)["status"] == "sent"
    assert [path.name for path in (tmp_path / "mail").iterdir()] == [
        f"{submission.id}_partner.example.eml"]


def test_retry_requeues_a_failed_report(spool, monkeypatch, capsys):
    sink = SmtpSink().start()
    try:
        sink.set_mode("550")
        monkeypatch.setenv("SUPPORT_REPORTER_MAIL_URL", sink.url)
        submission = spool.submit(ACME, error_report())
        assert cli.main(["deliver", "--once"]) == 0
        assert spool.status(submission.id)["reason"] == "550 5.7.1 mailbox unavailable"
        assert cli.main(["retry", submission.id]) == 0
        assert spool.status(submission.id) == {
            "id": submission.id, "reference": submission.reference, "customer_id": "acme",
            "status": "queued"}
        sink.set_mode("accept")
        assert cli.main(["deliver", "--once"]) == 0
        assert [m["Message-ID"] for m in sink.wait_for(1)] == [f"<{submission.id}@partner.example>"]
    finally:
        sink.stop()


def test_a_bad_configuration_is_named_not_a_traceback(spool, monkeypatch, capsys):
    monkeypatch.setenv("SUPPORT_REPORTER_RETRY_INITIAL_SECONDS", "soon")
    assert cli.main(["status"]) == 2
    error = capsys.readouterr().err
    assert "retry_initial_seconds (SUPPORT_REPORTER_RETRY_INITIAL_SECONDS)" in error
