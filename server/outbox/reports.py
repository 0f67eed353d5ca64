"""The reports the outbox holds: accepting one durably (or finding its earlier copy) and
telling its status. Where and how it is stored is the spool's business (spool.py).
"""
import logging
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from server.mail.fingerprint import fingerprint
from server.mail.message import envelope_sender, message_id, ticket_bytes
from server.outbox.delivery import FAILURE_CODES
from server.outbox.durable import is_storage_full, json_bytes, read_json, replace_durably
from server.outbox.spool import new_report_id

log = logging.getLogger(__name__)

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


def utcnow():
    return datetime.now(UTC)


class Outbox:
    """Accepts reports into its spool and tells their delivery status; the worker drains it."""

    def __init__(self, spool, *, mail_from, history=None, sender_mode="server",
                 thread_repeats=True):
        self.spool = spool
        self.mail_from = mail_from
        self.history = history
        self.ticket_options = {"sender_mode": sender_mode, "threading": thread_repeats}

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
            log.error("outbox: %s is full, report refused: %s", self.spool.root, error)
            raise StorageFull(str(error)) from error

    def _submit(self, customer, report):
        key_path = self.spool.key_path(customer.id, report.get("client_report_id"))
        if key_path is None:
            return self._accept(customer, report, None)
        with self.spool.key_lock(key_path):  # held until the report is committed
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
        # Rung only now: the history knows the report before any delivery of it (the Odoo
        # backend records the helpdesk ticket there).
        self.spool.wakeup.set()
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
            self.spool.accept(report_id, message_bytes, state)
        except BaseException:
            # Not acknowledged (an unsafe header, a full disk, anything): the reference goes
            # back to the pool and nothing of the report stays behind.
            self.spool.release_reference(reference)
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

    def _reserve_reference(self, report_id):
        """A fresh human reference (OSR-XXXXX), reserved so that no other report gets it."""
        for _ in range(50):
            reference = "OSR-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(5))
            if self.spool.reserve_reference(reference, report_id):
                return reference
        raise RuntimeError("could not reserve a free ticket reference")

    # -- idempotency -------------------------------------------------------------------

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

    def status(self, report_id):
        """{"id","reference","status","customer_id", "sent_at"?, "reason"?, "failure_code"?}
        or None; "reason" is the mail server's own text, for the operator only."""
        details = self.spool.inspect(report_id)
        if details is None:
            return None
        keys = ("id", "reference", "status", "customer_id", "sent_at", "reason")
        found = {key: details[key] for key in keys if details.get(key) is not None}
        code = failure_code(details)
        if code is not None:
            found["failure_code"] = code
        return found


def failure_code(details):
    """Why a failed report failed, or why a waiting one's last attempt did: a FAILURE_CODE."""
    if details["status"] == "failed":
        code = details.get("failure_code")
        if code in FAILURE_CODES:
            return code
        # Failed before failure codes were recorded: only the reason tells.
        return "gave_up" if str(details.get("reason")).startswith("gave up") else "message_rejected"
    code = details.get("last_failure_code")
    return code if details["status"] == "queued" and code in FAILURE_CODES else None
