"""The spool: the outbox's folders, and the one place that knows their layout and names.

    tmp/<owner>~<id>/            being written; discarded once its writer is gone
    queue/<id>/                  message.eml + state.json, waiting for (re)delivery
    sending/<id>~<owner>~<ms>/   claimed by one process (the rename is the claim)
    sent/<id>/                   delivered; message.eml removed after the retention time
    dead/<id>/                   given up (5xx or lifetime over), with the reason
    keys/<hash>.json             customer + client_report_id -> id (idempotent POST)
    keys/lock.<xx>               flock stripes: one POST per key at a time
    refs/<OSR-XXXXX>             reservation of each human reference

A report moves between folders whole, by atomic renames. It reaches queue/ only after its
files are fsynced, and queue/ itself is fsynced before anyone hears 202 (the Maildir and
Postfix discipline, RFC 1123 §5.3.3). A claim is held by exactly one process among any
number of them (gunicorn workers, two servers on one spool, `outbox deliver`) and is taken
back only when its owner is gone or its lease ran out.
"""
import hashlib
import logging
import os
import re
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from server.outbox.durable import (
    fsync_dir,
    json_bytes,
    locked,
    read_json,
    remove_tree,
    replace_durably,
    write_durably,
)
from server.outbox.owners import owner_alive, process_owner

log = logging.getLogger(__name__)

# The folders a report passes through, and the status each one means.
STATUSES = {"queue": "queued", "sending": "sending", "sent": "sent", "dead": "failed"}
ID_PATTERN = re.compile(r"[0-9a-hjkmnp-tv-z]{26}")
_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
# A tmp/ entry (or a reference) this old was left by a writer that can no longer finish it.
ABANDONED_SECONDS = 3600


def new_report_id(now=None):
    """26 characters of Crockford base32: 48 bits of milliseconds, then 80 random bits."""
    millis = int((now if now is not None else time.time()) * 1000)
    number = (millis << 80) | secrets.randbits(80)
    return "".join(_CROCKFORD[(number >> shift) & 31] for shift in range(125, -1, -5))


def is_report_id(value):
    """True for a well-formed report id: nothing else ever becomes part of a path."""
    return isinstance(value, str) and ID_PATTERN.fullmatch(value) is not None


def lease_seconds(config):
    """How long a live process may hold a claim: several SMTP timeouts, at least two minutes."""
    return max(120.0, 6 * float(config["SMTP_TIMEOUT"]))


@dataclass(frozen=True)
class Item:
    """One report's folder in the spool: where it is and what it holds."""

    report_id: str
    folder: str  # a key of STATUSES
    path: Path

    @property
    def message_file(self):
        return self.path / "message.eml"

    def read_state(self):
        """The report's state.json: None when missing, ValueError when damaged."""
        return read_json(self.path / "state.json")


class Spool:
    """Owns the spool folder: every path, every name and every move of a report."""

    def __init__(self, directory, lease_seconds=300.0):
        self.root = Path(directory).resolve()
        self.lease_seconds = lease_seconds
        # Rung when a report is due at once (accepted, retried): the worker wakes up.
        self.wakeup = threading.Event()
        for name in ("tmp", "keys", "refs", *STATUSES):
            (self.root / name).mkdir(parents=True, exist_ok=True)

    # -- names: each one built in one place and read in one place -------------------

    def _claim_path(self, report_id):
        claimed_ms = int(time.time() * 1000)
        return self.root / "sending" / f"{report_id}~{process_owner()}~{claimed_ms}"

    @staticmethod
    def _read_claim_name(name):
        """(id, owner, claimed at in seconds) of a sending/ entry; owner None if malformed."""
        report_id, *rest = name.split("~")
        try:
            owner, claimed_ms = rest
            return report_id, owner, int(claimed_ms) / 1000
        except ValueError:
            return report_id, None, None

    def _work_path(self, report_id):
        return self.root / "tmp" / f"{process_owner()}~{report_id}"

    @staticmethod
    def _read_work_name(name):
        """(owner, id) of a tmp/ entry; (None, None) for anything else."""
        owner, separator, report_id = name.partition("~")
        return (owner, report_id) if separator else (None, None)

    # -- accepting ------------------------------------------------------------------

    def accept(self, report_id, message_bytes, state):
        """Write a report in tmp/, rename it into queue/; on failure nothing stays behind."""
        work = self._work_path(report_id)
        work.mkdir()
        try:
            write_durably(work / "message.eml", message_bytes)
            write_durably(work / "state.json", json_bytes(state))
            fsync_dir(work)
            os.rename(work, self.root / "queue" / report_id)
        except BaseException:
            remove_tree(work)
            raise
        try:
            fsync_dir(self.root / "queue")
        except BaseException:
            self._withdraw(report_id)
            raise
        try:
            fsync_dir(self.root / "tmp")  # the report is durable: this only tidies tmp/
        except OSError as error:
            log.warning("outbox: could not fsync %s/tmp: %s", self.root, error)

    def _withdraw(self, report_id):
        """Take back a report whose commit failed (no 202), unless a worker already took it."""
        parked = self._work_path(report_id)
        try:
            os.rename(self.root / "queue" / report_id, parked)
        except OSError:
            return
        remove_tree(parked)

    def key_path(self, customer_id, client_report_id):
        """Where the id of a customer's client_report_id is kept; None without one."""
        if not client_report_id:
            return None
        digest = hashlib.sha256(f"{customer_id}\0{client_report_id}".encode()).hexdigest()
        return self.root / "keys" / f"{digest}.json"

    def key_lock(self, key_path):
        """Held while a POST with this key is stored; the kernel frees it if the process dies."""
        return locked(self.root / "keys" / f"lock.{key_path.name[:2]}")

    def reserve_reference(self, reference, report_id):
        """Reserve a human reference for `report_id` on disk; False if another report has it."""
        path = self.root / "refs" / reference
        try:  # O_EXCL: of two reports drawing the same reference, one gets it
            write_durably(path, report_id.encode("ascii"))
        except FileExistsError:
            return False
        try:  # the reference survives a power cut, as the 202 does
            fsync_dir(path.parent)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return True

    def release_reference(self, reference):
        (self.root / "refs" / reference).unlink(missing_ok=True)

    # -- claiming and moving ----------------------------------------------------------

    def claim(self, report_id, from_folders=("queue",)):
        """Rename the report into sending/ under this process's name: its Item, or None when
        another process was faster or the report is in none of `from_folders`."""
        if not is_report_id(report_id):
            return None
        target = self._claim_path(report_id)
        for folder in from_folders:
            try:
                os.rename(self.root / folder / report_id, target)
            except OSError:  # not there: claimed (or retried) by another process first
                continue
            return Item(report_id, "sending", target)
        return None

    def release(self, claimed, state):
        """Record `state` and put the claimed report back in queue/ for a later attempt."""
        self._move(claimed, state, "queue")

    def move_to_dead(self, claimed, state):
        """Record `state` (with its reason) and give the claimed report up."""
        self._move(claimed, state, "dead")

    def move_to_sent(self, claimed, state):
        """After the mail server took it: leave sending/ first (a crash now means a second
        copy, with the same Message-ID), then record `state`."""
        sent = self.root / "sent" / claimed.report_id
        os.rename(claimed.path, sent)
        fsync_dir(sent.parent)
        replace_durably(sent / "state.json", json_bytes(state))

    def _move(self, claimed, state, folder):
        replace_durably(claimed.path / "state.json", json_bytes(state))
        os.rename(claimed.path, self.root / folder / claimed.report_id)
        fsync_dir(self.root / folder)

    def set_aside_damaged_state(self, claimed):
        """Keep a damaged state.json as state.json.damaged for the operator; False if none."""
        path = claimed.path / "state.json"
        try:
            os.replace(path, path.with_name("state.json.damaged"))
        except FileNotFoundError:
            return False
        return True

    # -- repairing what crashes left ------------------------------------------------

    def recover(self):
        """Start-up (and periodic) repair: return abandoned claims, drop unacknowledged writes."""
        returned = 0
        for name in os.listdir(self.root / "sending"):
            report_id, owner, claimed_at = self._read_claim_name(name)
            if not self._claim_is_stale(owner, claimed_at):
                continue
            try:
                os.rename(self.root / "sending" / name, self.root / "queue" / report_id)
            except OSError:
                continue  # another process took it back first
            returned += 1
            log.warning("outbox: claim %s abandoned; %s back in the queue "
                        "(it is sent again with the same Message-ID)", name, report_id)
        if returned:
            fsync_dir(self.root / "queue")
        self.discard_abandoned_writes()
        return returned

    def _claim_is_stale(self, owner, claimed_at, now=None):
        """True when the claim's owner is gone (or unreadable) or its lease has run out."""
        if owner is None:
            return True
        return not owner_alive(owner) or (now or time.time()) - claimed_at > self.lease_seconds

    def discard_abandoned_writes(self):
        """tmp/ entries whose writer died never got a 202: nobody was promised them."""
        for name in os.listdir(self.root / "tmp"):
            owner, _ = self._read_work_name(name)
            path = self.root / "tmp" / name
            if (owner is not None and not owner_alive(owner)) or _age(path) > ABANDONED_SECONDS:
                if path.is_dir():
                    remove_tree(path)
                else:
                    path.unlink(missing_ok=True)

    def discard_orphan_references(self, now=None):
        """refs/ entries of reports that exist nowhere: their writer died before its commit.

        An hour's grace (as for tmp/) keeps the reservation of a writer still at work.
        """
        now = now or time.time()
        known = {report_id for folder in STATUSES for report_id in self.list(folder)}
        known.update(self._read_work_name(name)[1] for name in os.listdir(self.root / "tmp"))
        removed = 0
        for path in (self.root / "refs").iterdir():
            try:
                report_id = path.read_text("ascii", "replace").strip()
            except FileNotFoundError:
                continue
            if report_id not in known and now - _mtime(path, now) > ABANDONED_SECONDS:
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    def purge_delivered(self, retention, now=None):
        """Remove delivered messages older than `retention` seconds; their small state stays."""
        now = now or time.time()
        purged = 0
        for item in self.items("sent"):
            state = item.read_state()
            if state is None or not item.message_file.exists():
                continue
            if now - _sent_time(item, state) >= retention:
                item.message_file.unlink(missing_ok=True)
                purged += 1
        return purged

    # -- looking up -----------------------------------------------------------------

    def items(self, folder):
        """The reports in one folder (a key of STATUSES), oldest first."""
        found = []
        for name in os.listdir(self.root / folder):
            report_id = self._read_claim_name(name)[0] if folder == "sending" else name
            found.append(Item(report_id, folder, self.root / folder / name))
        return sorted(found, key=lambda item: item.report_id)

    def list(self, folder):
        """Ids of the reports in one folder, oldest first."""
        return [item.report_id for item in self.items(folder)]

    def counts(self):
        return {STATUSES[folder]: len(os.listdir(self.root / folder)) for folder in STATUSES}

    def locate(self, report_id):
        """The report's Item, wherever it is, or None."""
        if not is_report_id(report_id):
            return None
        for _ in range(3):  # an item may move between two looks; look again
            for folder in STATUSES:
                if folder == "sending":
                    claimed = [item for item in self.items(folder) if item.report_id == report_id]
                    if claimed:
                        return claimed[0]
                elif (self.root / folder / report_id).is_dir():
                    return Item(report_id, folder, self.root / folder / report_id)
        return None

    def inspect(self, report_id):
        """The full state of one report, with its "status" and "path", or None."""
        for _ in range(3):
            item = self.locate(report_id)
            if item is None:
                return None
            state = item.read_state()
            if state is not None:
                if item.folder == "sent" and not state.get("sent_at"):
                    state["sent_at"] = datetime.fromtimestamp(_sent_time(item, state),
                                                              UTC).isoformat()
                return {**state, "status": STATUSES[item.folder], "path": str(item.path)}
        return None


def _sent_time(item, state):
    """When a report was sent; killed before recording it, when it reached sent/ (mtime)."""
    sent_at = state.get("sent_at")
    return datetime.fromisoformat(sent_at).timestamp() if sent_at else item.path.stat().st_mtime


def _mtime(path, default):
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return default


def _age(path):
    try:
        return time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return 0.0
