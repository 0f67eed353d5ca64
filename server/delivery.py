"""The delivery worker: claims queued reports one at a time and hands them to the mail backend.

A claim is an atomic rename of queue/<id> into sending/<id>~<owner>~<ms>, so among any
number of workers (gunicorn workers, two servers on one spool, `outbox deliver`) exactly
one holds a report. A claim is taken back only when its owner process is gone or its
lease ran out. The one duplicate SMTP cannot rule out (killed after the server's 250,
before sent/ is reached) is sent again with the same Message-ID.
"""
import atexit
import logging
import os
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser

from server.mail.backends import DeliveryError, backend_from_url, describe_url
from server.outbox import (
    fsync_dir,
    json_bytes,
    owner_alive,
    process_owner,
    read_json,
    remove_tree,
    replace_durably,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeliverySettings:
    mail_url: str
    retry_initial: float = 60.0
    retry_max: float = 3600.0
    lifetime: float = 5 * 86400.0
    retention: float = 7 * 86400.0
    smtp_timeout: float = 30.0
    poll: float = 2.0


def settings_from_config(config):
    """DeliverySettings from the app's configuration (defaults as Postfix would choose)."""
    default_mail_url = "file://" + os.path.abspath("var/mail")
    return DeliverySettings(
        mail_url=config.get("MAIL_URL") or default_mail_url,
        retry_initial=float(config.get("RETRY_INITIAL_SECONDS", 60)),
        retry_max=float(config.get("RETRY_MAX_SECONDS", 3600)),
        lifetime=float(config.get("RETRY_LIFETIME_SECONDS", 5 * 86400)),
        retention=float(config.get("RETENTION_SECONDS", 7 * 86400)),
        smtp_timeout=float(config.get("SMTP_TIMEOUT", 30)),
        poll=float(config.get("DELIVERY_POLL_SECONDS", 2)),
    )


def lease_seconds(config):
    """How long a live process may hold a claim: several SMTP timeouts, at least two minutes."""
    return max(120.0, 6 * float(config.get("SMTP_TIMEOUT", 30)))


def backoff(attempts, settings):
    """Seconds to wait after the `attempts`-th failure: initial, doubling, capped."""
    return min(settings.retry_max, settings.retry_initial * (2 ** max(0, attempts - 1)))


# -- claims ---------------------------------------------------------------------------------


def claim(outbox, report_id):
    """Rename queue/<id> into sending/; the claimed path, or None if someone else was faster."""
    target = outbox.root / "sending" / f"{report_id}~{process_owner()}~{int(time.time() * 1000)}"
    try:
        os.rename(outbox.root / "queue" / report_id, target)
    except OSError:  # gone: another worker claimed it (or it was retried) first
        return None
    return target


def claim_is_stale(name, lease, now=None):
    """True when the claim's owner is gone or its lease has run out."""
    try:
        _, owner, claimed_ms = name.split("~")
        claimed_at = int(claimed_ms) / 1000
    except ValueError:
        return True
    return not owner_alive(owner) or (now or time.time()) - claimed_at > lease


def recover(outbox):
    """Start-up (and periodic) repair: drop unacknowledged writes, return abandoned claims."""
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
    for name in os.listdir(outbox.root / "tmp"):
        owner = name.split("~", 1)[0]
        path = outbox.root / "tmp" / name
        if ("~" in name and not owner_alive(owner)) or _age(path) > 3600:
            if path.is_dir():
                remove_tree(path)
            else:
                path.unlink(missing_ok=True)
    return returned


def _age(path):
    try:
        return time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


# -- one delivery -----------------------------------------------------------------------------


def due_reports(outbox, now=None):
    """Queued ids whose next attempt is due, oldest first."""
    now = now or time.time()
    due = []
    for report_id in outbox.list("queue"):
        state = read_json(outbox.root / "queue" / report_id / "state.json")
        if state is not None and state.get("next_attempt_at", 0) <= now:
            due.append(report_id)
    return due


def deliver_due(outbox, backend, settings, stopping=None):
    """One pass over the queue; returns {"sent", "retry", "failed"} counts.

    The pass stops at the first temporary failure: when the mail server is down or
    hanging, trying every other report now would only multiply the waiting.
    """
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for report_id in due_reports(outbox):
        claimed = claim(outbox, report_id)
        if claimed is None:
            continue
        outcome = deliver_claimed(outbox, claimed, backend, settings)
        counts[outcome] += 1
        if outcome == "retry" or (stopping is not None and stopping.is_set()):
            break
    return counts


def deliver_claimed(outbox, claimed, backend, settings):
    """Send one claimed report and move it to sent/, back to queue/ or to dead/."""
    state = read_json(claimed / "state.json")
    try:
        message = BytesParser(policy=policy.default).parsebytes(
            (claimed / "message.eml").read_bytes())
    except OSError as exc:  # a damaged item must not block its claim forever
        state["reason"] = f"spool item unreadable: {exc}"
        state["failed_at"] = _iso(time.time())
        _move(outbox, claimed, state, "dead")
        log.error("outbox: %s moved to dead letters: %s", state["id"], state["reason"])
        return "failed"
    state["attempts"] = state.get("attempts", 0) + 1
    state["last_attempt_at"] = _iso(time.time())
    try:
        backend.send_messages([message])
    except DeliveryError as failure:
        return _after_failure(outbox, claimed, state, failure, settings)
    state["sent_at"] = _iso(time.time())
    state["last_error"] = None
    # Rename first: after the SMTP 250 the only thing that matters is leaving sending/
    # (a crash here means a second copy); the state's sent_at can follow.
    sent = outbox.root / "sent" / state["id"]
    os.rename(claimed, sent)
    fsync_dir(sent.parent)
    replace_durably(sent / "state.json", json_bytes(state))
    log.info("outbox: %s %s sent", state["id"], state["reference"])
    return "sent"


def _after_failure(outbox, claimed, state, failure, settings):
    state["last_error"] = failure.reason
    now = time.time()
    give_up_at = state.get("lifetime_start", 0) + settings.lifetime
    if not failure.temporary:
        state["reason"] = failure.reason
    elif now >= give_up_at:
        state["reason"] = f"gave up after {state['attempts']} attempts: {failure.reason}"
    else:
        # The last attempt falls exactly at the end of the lifetime, never after it.
        state["next_attempt_at"] = min(now + backoff(state["attempts"], settings), give_up_at)
        _move(outbox, claimed, state, "queue")
        log.warning("outbox: %s temporary failure (%s); next attempt in %.1fs", state["id"],
                    failure.reason, state["next_attempt_at"] - now)
        return "retry"
    state["failed_at"] = _iso(time.time())
    _move(outbox, claimed, state, "dead")
    log.error("outbox: %s %s failed: %s", state["id"], state["reference"], state["reason"])
    return "failed"


def _move(outbox, claimed, state, state_dir):
    replace_durably(claimed / "state.json", json_bytes(state))
    os.rename(claimed, outbox.root / state_dir / state["id"])
    fsync_dir(outbox.root / state_dir)


def _iso(seconds):
    return datetime.fromtimestamp(seconds, UTC).isoformat()


# -- operator actions -----------------------------------------------------------------------


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
    state.update(next_attempt_at=0.0, lifetime_start=time.time(), reason=None)
    state.pop("failed_at", None)
    _move(outbox, held, state, "queue")
    outbox.wakeup.set()
    return True


def purge_delivered(outbox, retention, now=None):
    """Remove delivered messages older than `retention` seconds; their small state stays."""
    now = now or time.time()
    purged = 0
    for report_id in outbox.list("sent"):
        item = outbox.root / "sent" / report_id
        state = read_json(item / "state.json")
        message = item / "message.eml"
        if state is None or not message.exists():
            continue
        sent_at = datetime.fromisoformat(state["sent_at"]).timestamp()
        if now - sent_at >= retention:
            message.unlink(missing_ok=True)
            purged += 1
    return purged


# -- the worker thread ----------------------------------------------------------------------


class DeliveryWorker(threading.Thread):
    """Drains the outbox in the background of a server process (or of `outbox deliver`)."""

    def __init__(self, outbox, settings):
        super().__init__(name="outbox-delivery", daemon=True)
        self.outbox = outbox
        self.settings = settings
        self.stopping = threading.Event()
        self.next_purge = 0.0

    def run(self):
        log.info("outbox: delivering %s via %s", self.outbox.root,
                 describe_url(self.settings.mail_url))
        while not self.stopping.is_set():
            # Cleared before the pass: a report accepted during it wakes the next one at once.
            self.outbox.wakeup.clear()
            try:
                self.run_once()
            except Exception:  # keep the worker alive whatever one pass met
                log.exception("outbox: delivery pass failed")
            self.outbox.wakeup.wait(self.settings.poll)

    def run_once(self):
        recover(self.outbox)
        backend = backend_from_url(self.settings.mail_url, timeout=self.settings.smtp_timeout)
        try:
            counts = deliver_due(self.outbox, backend, self.settings, self.stopping)
        finally:
            backend.close()
        if time.monotonic() >= self.next_purge:  # reading every sent item each poll is waste
            purge_delivered(self.outbox, self.settings.retention)
            self.next_purge = time.monotonic() + min(300.0, max(1.0, self.settings.retention / 10))
        return counts

    def stop(self):
        self.stopping.set()
        self.outbox.wakeup.set()

    def finish(self):
        """At process exit: let the message in flight reach sent/ instead of being resent."""
        self.stop()
        if self.is_alive():
            self.join(4 * self.settings.smtp_timeout + 5)


def deliver_once(app):
    """One delivery pass for `app` (tests and tools that run with DELIVERY_WORKER off)."""
    worker = DeliveryWorker(app.extensions["outbox"], settings_from_config(app.config))
    return worker.run_once()


def start_worker(outbox, settings):
    """Recover what a crash left, then deliver in a background thread until the process exits."""
    recover(outbox)
    worker = DeliveryWorker(outbox, settings)
    worker.start()
    # A daemon thread dies mid-send at interpreter exit (gunicorn's graceful stop included);
    # an SMTP 250 not yet recorded would mean a second copy, so wait for it at exit.
    atexit.register(worker.finish)
    return worker
