"""One delivery: send a claimed report through the mail backend, then record the outcome.

Temporary failures (4xx, refused, dropped or hanging connections) go back to the queue
with exponential backoff until the lifetime is over; permanent ones (5xx) go to dead/
with the reason. The one duplicate SMTP cannot rule out (killed after the server's 250,
before sent/ is reached) is sent again with the same Message-ID.
"""
import logging
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from server.claims import claim, release
from server.mail.backends import DeliveryError, Envelope
from server.spool import fsync_dir, json_bytes, read_json, replace_durably

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeliverySettings:
    """The delivery worker's part of the configuration, in seconds."""

    mail_url: str
    retry_initial: float
    retry_max: float
    lifetime: float
    retention: float
    smtp_timeout: float
    poll: float
    odoo: object = None  # OdooSettings when MAIL_URL is odoo+https:// (helpdesk backend)


def settings_from_config(config):
    """DeliverySettings from the validated configuration (server/config.py has the defaults)."""
    return DeliverySettings(
        mail_url=config["MAIL_URL"],
        retry_initial=float(config["RETRY_INITIAL_SECONDS"]),
        retry_max=float(config["RETRY_MAX_SECONDS"]),
        lifetime=float(config["RETRY_LIFETIME_SECONDS"]),
        retention=float(config["RETENTION_SECONDS"]),
        smtp_timeout=float(config["SMTP_TIMEOUT"]),
        poll=float(config["DELIVERY_POLL_SECONDS"]),
        odoo=odoo_settings(config),
    )


def odoo_settings(config, with_history=True):
    """The Odoo helpdesk backend's settings: login, helpdesk options, the history file."""
    from server.customers import HelpdeskOptions
    from server.history import History, history_path
    from server.mail.backends.odoo import SCHEMES, OdooSettings

    if not config["MAIL_URL"].lower().startswith(tuple(f"{s}:" for s in SCHEMES)):
        return None
    return OdooSettings(
        user=config["ODOO_USER"], api_key=config["ODOO_API_KEY"],
        defaults=HelpdeskOptions(partner=None, team=config["ODOO_TEAM"] or None,
                                 category=config["ODOO_CATEGORY"] or None,
                                 tags=tuple(config["ODOO_TAGS"])),
        customers=tuple((c.id, c.helpdesk, c.language) for c in config["CUSTOMERS"]),
        history=History(history_path(config["OUTBOX"])) if with_history else None)


def lease_seconds(config):
    """How long a live process may hold a claim: several SMTP timeouts, at least two minutes."""
    return max(120.0, 6 * float(config["SMTP_TIMEOUT"]))


def backoff(attempts, settings):
    """Seconds to wait after the `attempts`-th failure: initial, doubling, capped."""
    return min(settings.retry_max, settings.retry_initial * (2 ** max(0, attempts - 1)))


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
        # Sent byte for byte as checked before spooling, to the recipients in the state.
        envelope = Envelope(state["envelope_from"], tuple(state["envelope_to"]),
                            (claimed / "message.eml").read_bytes())
    except OSError as exc:  # a damaged item must not block its claim forever
        state["reason"] = f"spool item unreadable: {exc}"
        state["failed_at"] = _iso(time.time())
        release(outbox, claimed, state, "dead")
        log.error("outbox: %s moved to dead letters: %s", state["id"], state["reason"])
        return "failed"
    state["attempts"] = state.get("attempts", 0) + 1
    state["last_attempt_at"] = _iso(time.time())
    try:
        backend.send_messages([envelope])
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
        release(outbox, claimed, state, "queue")
        log.warning("outbox: %s temporary failure (%s); next attempt in %.1fs", state["id"],
                    failure.reason, state["next_attempt_at"] - now)
        return "retry"
    state["failed_at"] = _iso(time.time())
    release(outbox, claimed, state, "dead")
    log.error("outbox: %s %s failed: %s", state["id"], state["reference"], state["reason"])
    return "failed"


def _iso(seconds):
    return datetime.fromtimestamp(seconds, UTC).isoformat()
