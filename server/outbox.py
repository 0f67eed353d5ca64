"""The durable outbox: an accepted report is on disk before the client hears 202.

Layout of the spool folder (one directory per report, moved whole by atomic renames):

    tmp/<owner>~<id>/            being written; discarded at start-up if its writer is gone
    queue/<id>/                  message.eml + state.json, waiting for (re)delivery
    sending/<id>~<owner>~<ms>/   claimed by one delivery worker (rename = claim)
    sent/<id>/                   delivered; message.eml removed after the retention time
    dead/<id>/                   given up (5xx or lifetime over), with the reason
    keys/<hash>.json             customer + client_report_id -> id (idempotent POST)
    keys/lock.<xx>               flock stripes: one POST per key at a time
    refs/<OSR-XXXXX>             reservation of each human reference

A report is acknowledged only after its files are fsynced, renamed into queue/ and
queue/ itself is fsynced (the Maildir and Postfix discipline, RFC 1123 §5.3.3).
"""
import hashlib
import logging
import os
import re
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from server import claims, delivery, worker
from server.history import History, history_path
from server.mail.fingerprint import fingerprint
from server.mail.message import envelope_sender, message_id, ticket_bytes
from server.spool import (
    fsync_dir,
    is_storage_full,
    json_bytes,
    locked,
    process_owner,
    read_json,
    remove_tree,
    replace_durably,
    write_durably,
)

log = logging.getLogger(__name__)

STATE_DIRS = {"queue": "queued", "sending": "sending", "sent": "sent", "dead": "failed"}
ID_PATTERN = re.compile(r"[0-9a-hjkmnp-tv-z]{26}")
_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


class StorageFull(Exception):
    """The spool's disk or quota is full: the report was not stored (and nothing was left)."""


@dataclass(frozen=True)
class Submission:
    """What POST /api/v1/reports answers about an accepted report."""

    id: str
    reference: str
    status: str
    created_at: datetime
    duplicate: bool = False


def new_report_id(now=None):
    """26 characters of Crockford base32: 48 bits of milliseconds, then 80 random bits."""
    millis = int((now if now is not None else time.time()) * 1000)
    number = (millis << 80) | secrets.randbits(80)
    return "".join(_CROCKFORD[(number >> shift) & 31] for shift in range(125, -1, -5))


def utcnow():
    return datetime.now(UTC)


class Outbox:
    """Stores reports durably and tells their delivery status; the worker drains it."""

    def __init__(self, directory, *, mail_from, lease_seconds=300.0, history=None,
                 sender_mode="server", thread_repeats=True):
        self.root = Path(directory).resolve()
        self.mail_from = mail_from
        self.lease_seconds = lease_seconds
        self.history = history
        self.ticket_options = {"sender_mode": sender_mode, "threading": thread_repeats}
        self.wakeup = threading.Event()
        for name in ("tmp", "keys", "refs", *STATE_DIRS):
            (self.root / name).mkdir(parents=True, exist_ok=True)

    # -- accepting -------------------------------------------------------------------

    def submit(self, customer, report):
        """Store `report` durably (or find its earlier copy) and return its Submission.

        Raises StorageFull when the disk (or the quota) is full; nothing is left behind.
        """
        try:
            return self._submit(customer, report)
        except OSError as error:
            if not is_storage_full(error):
                raise
            log.error("outbox: %s is full, report refused: %s", self.root, error)
            raise StorageFull(str(error)) from error

    def _submit(self, customer, report):
        key_path = self._key_path(customer.id, report.get("client_report_id"))
        if key_path is None:
            return self._accept(customer, report, None)
        # Held until the report is committed; the kernel frees it if this process dies.
        with locked(self.root / "keys" / f"lock.{key_path.name[:2]}"):
            existing = self._existing_submission(key_path)
            if existing is not None:
                return existing
            return self._accept(customer, report, key_path)

    def _accept(self, customer, report, key_path):
        """A new report: its key record first (so a crash leaves no unkeyed ticket), then it."""
        report_id, created_at = new_report_id(), utcnow()
        if key_path is not None:
            replace_durably(key_path, json_bytes({"id": report_id,
                                                  "created_at": created_at.isoformat()}))
        try:
            reference = self._store(customer, report, report_id, created_at)
        except BaseException:
            # Not acknowledged: free the key at once rather than make a retry wait for it.
            if key_path is not None:
                key_path.unlink(missing_ok=True)
            raise
        self.wakeup.set()
        return Submission(report_id, reference, "queued", created_at, duplicate=False)

    def _store(self, customer, report, report_id, created_at):
        """Build the ticket and commit it to queue/; returns its reference."""
        reference = self._reserve_reference(report_id)
        error_fingerprint = fingerprint(report)
        reporter = ((report.get("reporter") or {}).get("email") or "").lower()
        seen = self._seen(error_fingerprint, customer.id, reporter, created_at)
        try:
            message_bytes = ticket_bytes(customer, report, report_id=report_id,
                                         reference=reference, created_at=created_at,
                                         mail_from=self.mail_from, seen=seen,
                                         **self.ticket_options)
            state = {
                "id": report_id, "reference": reference, "customer_id": customer.id,
                "client_report_id": report.get("client_report_id"),
                "created_at": created_at.isoformat(), "lifetime_start": created_at.timestamp(),
                # The SMTP envelope, from the configuration: delivery never reads the headers.
                "envelope_from": envelope_sender(self.mail_from),
                "envelope_to": [customer.support_address],
                "attempts": 0, "next_attempt_at": 0.0, "last_error": None,
            }
            self._commit(report_id, message_bytes, state)
        except BaseException:
            # Not acknowledged (an unsafe header, a full disk, anything): the reference goes
            # back to the pool and nothing of the report stays behind.
            (self.root / "refs" / reference).unlink(missing_ok=True)
            raise
        self._remember(report_id=report_id, reference=reference, fingerprint=error_fingerprint,
                       customer_id=customer.id, reporter=reporter,
                       created_at=created_at.timestamp(),
                       message_id=message_id(report_id, self.mail_from))
        return reference

    def _seen(self, error_fingerprint, customer_id, reporter, created_at):
        """Earlier reports of this error (E3), or None: counts never stop a report."""
        if self.history is None:
            return None
        try:
            return self.history.seen(error_fingerprint, customer_id, reporter,
                                     created_at.timestamp())
        except sqlite3.Error:
            log.exception("history: cannot read %s", self.history.path)
            return None

    def _remember(self, **report):
        if self.history is None:
            return
        try:
            self.history.record(**report)
        except sqlite3.Error:
            log.exception("history: cannot record %s", report["report_id"])

    def _commit(self, report_id, message_bytes, state):
        """Write the report in tmp/, rename it into queue/; on failure nothing stays behind."""
        work = self.root / "tmp" / f"{process_owner()}~{report_id}"
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
        parked = self.root / "tmp" / f"{process_owner()}~{report_id}"
        try:
            os.rename(self.root / "queue" / report_id, parked)
        except OSError:
            return
        remove_tree(parked)

    def _reserve_reference(self, report_id):
        """A fresh human reference (OSR-XXXXX), reserved on disk so no other report gets it."""
        for _ in range(50):
            reference = "OSR-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(5))
            try:  # O_EXCL: of two reports drawing the same reference, one gets it
                write_durably(self.root / "refs" / reference, report_id.encode("ascii"))
            except FileExistsError:
                continue
            try:  # the reference survives a power cut, as the 202 does
                fsync_dir(self.root / "refs")
            except BaseException:
                (self.root / "refs" / reference).unlink(missing_ok=True)
                raise
            return reference
        raise RuntimeError("could not reserve a free ticket reference")

    # -- idempotency -------------------------------------------------------------------

    def _key_path(self, customer_id, client_report_id):
        if not client_report_id:
            return None
        digest = hashlib.sha256(f"{customer_id}\0{client_report_id}".encode()).hexdigest()
        return self.root / "keys" / f"{digest}.json"

    def _existing_submission(self, key_path):
        """The report already stored for this key, or None (called under the key's lock).

        A record whose report is in no folder was left by a writer that died before its
        commit, hence before any 202: nobody was promised that report, so it is replaced.
        """
        record = read_json(key_path)
        found = self.status(record["id"]) if record else None
        if found is None:
            return None
        return Submission(record["id"], found["reference"], found["status"],
                          datetime.fromisoformat(record["created_at"]), duplicate=True)

    # -- looking up ----------------------------------------------------------------------

    def locate(self, report_id):
        """(state dir name, item path) of a report, or None."""
        if not isinstance(report_id, str) or not ID_PATTERN.fullmatch(report_id):
            return None
        for _ in range(3):  # an item may move between two looks; look again
            for name in STATE_DIRS:
                if name == "sending":
                    claimed = list((self.root / "sending").glob(f"{report_id}~*"))
                    if claimed:
                        return name, claimed[0]
                    continue
                path = self.root / name / report_id
                if path.is_dir():
                    return name, path
        return None

    def status(self, report_id):
        """{"id","reference","status","customer_id", "sent_at"?, "reason"?, "failure_code"?}
        or None; "reason" is the mail server's own text, for the operator only."""
        details = self.inspect(report_id)
        if details is None:
            return None
        keys = ("id", "reference", "status", "customer_id", "sent_at", "reason")
        found = {key: details[key] for key in keys if details.get(key) is not None}
        code = failure_code(details)
        if code is not None:
            found["failure_code"] = code
        return found

    def inspect(self, report_id):
        """The full state of one report (for the CLI), or None."""
        for _ in range(3):
            found = self.locate(report_id)
            if found is None:
                return None
            state = read_json(found[1] / "state.json")
            if state is not None:
                status = STATE_DIRS[found[0]]
                if status == "sent" and not state.get("sent_at"):
                    state["sent_at"] = _mtime_iso(found[1])  # killed before recording the time
                return {**state, "status": status, "path": str(found[1])}
        return None

    def list(self, state_dir):
        """Ids of the reports in one state folder, oldest first."""
        names = os.listdir(self.root / state_dir)
        return sorted(name.split("~", 1)[0] for name in names)

    def counts(self):
        return {STATE_DIRS[name]: len(os.listdir(self.root / name)) for name in STATE_DIRS}


def failure_code(details):
    """Why a failed report failed, or why a waiting one's last attempt did: a FAILURE_CODE."""
    if details["status"] == "failed":
        code = details.get("failure_code")
        if code in delivery.FAILURE_CODES:
            return code
        # Failed before failure codes were recorded: only the reason tells.
        return "gave_up" if str(details.get("reason")).startswith("gave up") else "message_rejected"
    code = details.get("last_failure_code")
    return code if details["status"] == "queued" and code in delivery.FAILURE_CODES else None


def _mtime_iso(path):
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat()


def init_app(app):
    """Attach the outbox to `app` and start its delivery worker (DELIVERY_WORKER)."""
    outbox = outbox_from_config(app.config)
    app.extensions["outbox"] = outbox
    # Leftovers of processes that died mid-write, whether or not this one delivers.
    claims.discard_abandoned_writes(outbox)
    claims.discard_orphan_references(outbox)
    if app.config["DELIVERY_WORKER"]:
        worker.start_worker(outbox, delivery.settings_from_config(app.config))
    return outbox


def outbox_from_config(config):
    """The outbox the configuration names (the server's and the `outbox` command's)."""
    return Outbox(config["OUTBOX"], mail_from=config["MAIL_FROM"],
                  lease_seconds=delivery.lease_seconds(config),
                  history=History(history_path(config["OUTBOX"])),
                  sender_mode=config["MAIL_SENDER_MODE"], thread_repeats=config["MAIL_THREADING"])
