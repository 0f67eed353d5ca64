"""Who holds a report: a claim is an atomic rename of queue/<id> into sending/.

Renamed into sending/<id>~<owner>~<ms>, a report is held by exactly one process among
any number of them (gunicorn workers, two servers on one spool, `outbox deliver`). A
claim is taken back only when its owner process is gone or its lease ran out.
"""
import logging
import os
import time

from server.spool import (
    fsync_dir,
    json_bytes,
    owner_alive,
    process_owner,
    read_json,
    remove_tree,
    replace_durably,
)

log = logging.getLogger(__name__)
# A tmp/ entry this old was left by a writer that can no longer finish it.
TMP_ABANDONED_SECONDS = 3600


def claim(outbox, report_id):
    """Rename queue/<id> into sending/; the claimed path, or None if someone else was faster."""
    target = outbox.root / "sending" / f"{report_id}~{process_owner()}~{int(time.time() * 1000)}"
    try:
        os.rename(outbox.root / "queue" / report_id, target)
    except OSError:  # gone: another worker claimed it (or it was retried) first
        return None
    return target


def release(outbox, claimed, state, state_dir):
    """Record `state`, then move the claimed report into queue/, sent/ or dead/."""
    replace_durably(claimed / "state.json", json_bytes(state))
    os.rename(claimed, outbox.root / state_dir / state["id"])
    fsync_dir(outbox.root / state_dir)


def claim_is_stale(name, lease, now=None):
    """True when the claim's owner is gone or its lease has run out."""
    try:
        _, owner, claimed_ms = name.split("~")
        claimed_at = int(claimed_ms) / 1000
    except ValueError:
        return True
    return not owner_alive(owner) or (now or time.time()) - claimed_at > lease


def recover(outbox):
    """Start-up (and periodic) repair: return abandoned claims, drop unacknowledged writes."""
    returned = 0
    for name in os.listdir(outbox.root / "sending"):
        if claim_is_stale(name, outbox.lease_seconds):
            report_id = name.split("~", 1)[0]
            try:
                os.rename(outbox.root / "sending" / name, outbox.root / "queue" / report_id)
            except OSError:
                continue  # another worker took it back first
            returned += 1
            log.warning("outbox: claim %s abandoned; %s back in the queue "
                        "(it is sent again with the same Message-ID)", name, report_id)
    if returned:
        fsync_dir(outbox.root / "queue")
    discard_abandoned_writes(outbox)
    return returned


def discard_abandoned_writes(outbox):
    """tmp/ entries whose writer died never got a 202: nobody was promised them."""
    for name in os.listdir(outbox.root / "tmp"):
        owner = name.split("~", 1)[0]
        path = outbox.root / "tmp" / name
        if ("~" in name and not owner_alive(owner)) or age(path) > TMP_ABANDONED_SECONDS:
            if path.is_dir():
                remove_tree(path)
            else:
                path.unlink(missing_ok=True)


def discard_orphan_references(outbox, now=None):
    """refs/ entries of reports that exist nowhere: their writer died before its commit.

    An hour's grace (as for tmp/) keeps the reservation of a writer still at work.
    """
    now = now or time.time()
    known = {name.split("~", 1)[0] for folder in ("queue", "sending", "sent", "dead")
             for name in os.listdir(outbox.root / folder)}
    known.update(name.rsplit("~", 1)[-1] for name in os.listdir(outbox.root / "tmp"))
    removed = 0
    for path in (outbox.root / "refs").iterdir():
        try:
            report_id = path.read_text("ascii", "replace").strip()
        except FileNotFoundError:
            continue
        if report_id not in known and now - _mtime(path, now) > TMP_ABANDONED_SECONDS:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _mtime(path, default):
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return default


def age(path):
    try:
        return time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def retry_now(outbox, report_id):
    """Put a failed or waiting report back for immediate delivery; False if not possible."""
    found = outbox.locate(report_id)
    if found is None or found[0] not in ("dead", "queue"):
        return False
    held = outbox.root / "sending" / f"{report_id}~{process_owner()}~{int(time.time() * 1000)}"
    try:
        os.rename(found[1], held)  # hold it like a claim so no worker sends it meanwhile
    except OSError:
        return False
    state = read_json(held / "state.json")
    state.update(next_attempt_at=0.0, lifetime_start=time.time(), reason=None,
                 failure_code=None, last_failure_code=None, message_failures=0)
    state.pop("failed_at", None)
    release(outbox, held, state, "queue")
    outbox.wakeup.set()
    return True
