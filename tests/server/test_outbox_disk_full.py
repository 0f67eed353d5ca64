"""Issue 9: a full disk answers 503 with Retry-After, never a false 202, and leaves nothing.

The spool lives on a real, small tmpfs (this needs root or CAP_SYS_ADMIN; without it the
test is skipped and says why), so every write of an accept can meet ENOSPC for real.
"""
import email
import os
import subprocess
import time
from email.policy import default as default_policy
from pathlib import Path

import pytest
import requests

from server.i18n import t
from tests.server.outbox_harness import DEMO_AUTH, dead_owner
from tests.server.samples import report_body

DISK_BYTES = 4 * 1024 * 1024


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB tmpfs, unmounted after the test."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    try:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={DISK_BYTES}", "tmpfs", str(mount_point)],
            capture_output=True, text=True, timeout=30)
    except FileNotFoundError:
        pytest.skip("no mount command: a small tmpfs for the disk-full test cannot be made")
    if mounted.returncode != 0:
        pytest.skip("mounting a small tmpfs is not permitted here (root or CAP_SYS_ADMIN is "
                    f"needed for the real disk-full test): {mounted.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=True, timeout=30)


def post(server, body, language="fi"):
    return requests.post(server.url + "/api/v1/reports", json=body, timeout=30,
                         headers={**DEMO_AUTH, "Accept-Language": language})


def leave_free(disk, filler, pages):
    """Fill the disk up to exactly `pages` free pages (tmpfs counts whole pages)."""
    filler.unlink(missing_ok=True)
    stats = os.statvfs(disk)
    filler.write_bytes(b"\0" * max(0, (stats.f_bavail - pages) * stats.f_frsize))


def assert_spool_holds_exactly(spool, accepted):
    """The accepted reports, whole, and nothing of the refused ones."""
    assert sorted(os.listdir(spool / "queue")) == sorted(a["id"] for a in accepted)
    assert sorted(os.listdir(spool / "refs")) == sorted(a["reference"] for a in accepted)
    assert os.listdir(spool / "tmp") == []
    keys = os.listdir(spool / "keys")
    assert not [name for name in keys if name.startswith(".")], keys  # no half-written record
    assert len([name for name in keys if name.endswith(".json")]) == len(accepted)
    for answer in accepted:
        raw = (spool / "queue" / answer["id"] / "message.eml").read_bytes()
        message = email.message_from_bytes(raw, policy=default_policy)
        assert message["Message-ID"] == f"<{answer['id']}@localhost>"
        assert message["X-Support-Reference"] == answer["reference"]


@pytest.mark.slow
def test_a_full_disk_answers_503_and_leaves_nothing_behind(server_process, small_disk,
                                                           record_property):
    spool = small_disk / "outbox"
    server = server_process(env={
        "SUPPORT_REPORTER_OUTBOX": str(spool), "SUPPORT_REPORTER_MAIL_URL": "memory://",
        "SUPPORT_REPORTER_DELIVERY_WORKER": "false", "SUPPORT_REPORTER_WORKERS": "1"})
    filler = small_disk / "filler"
    accepted, answers = [], []
    # 0, 1, 2, ... free pages: the disk runs out at each step of an accept in turn (the
    # key record, the reference, the message, its state), until a report fits.
    for pages in range(16):
        leave_free(small_disk, filler, pages)
        body = report_body()
        response = post(server, body, language=("fi", "sv", "en")[pages % 3])
        answers.append(response.status_code)
        if response.status_code == 202:
            accepted.append(response.json())
        else:
            assert response.status_code == 503, response.text
            assert response.headers["Retry-After"] == "300"
            assert response.json()["error"] == {
                "code": "storage_full", "fields": {},
                "message": t("storage_full", ("fi", "sv", "en")[pages % 3], retry_after=300)}
            refused_body = body
        assert_spool_holds_exactly(spool, accepted)
    record_property("measurement", "free pages 0..15 on a 4 MB tmpfs: "
                                   + " ".join(map(str, answers)))
    assert answers[0] == 503 and 202 in answers  # both sides of the edge were reached

    # Space freed: the client's retry of a refused report is accepted, as a new report.
    filler.unlink()
    retried = post(server, refused_body)
    assert retried.status_code == 202, retried.text
    assert_spool_holds_exactly(spool, [*accepted, retried.json()])


@pytest.mark.slow
def test_leftovers_of_dead_writers_are_cleaned_at_start_up(server_process, tmp_path):
    """Issue 9: a writer killed mid-accept left tmp/ and refs/ entries; start-up removes them."""
    spool = tmp_path / "spool"
    for folder in ("tmp", "refs", "queue"):
        (spool / folder).mkdir(parents=True)
    half_written = spool / "tmp" / f"{dead_owner()}~01m8fd9bng7gyhkvb9pydwdty3"
    half_written.mkdir()
    (half_written / "message.eml").write_bytes(b"half a mess")
    orphan, kept = spool / "refs" / "OSR-AAAAA", spool / "refs" / "OSR-BBBBB"
    orphan.write_text("01m8fd9bng7gyhkvb9pydwdty3")
    kept.write_text("01m8fd9bng7gyhkvb9pydwdty4")
    (spool / "queue" / "01m8fd9bng7gyhkvb9pydwdty4").mkdir()  # a real report keeps its ref
    an_hour_ago = time.time() - 3700
    for path in (orphan, kept):
        os.utime(path, (an_hour_ago, an_hour_ago))
    server_process(env={"SUPPORT_REPORTER_OUTBOX": str(spool),
                        "SUPPORT_REPORTER_DELIVERY_WORKER": "false"})
    assert not half_written.exists() and not orphan.exists()
    assert Path(kept).exists()
