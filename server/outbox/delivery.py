"""One delivery: send a claimed report through the mail backend, then record the outcome.

Temporary failures (4xx, refused, dropped or hanging connections) go back to the queue
with exponential backoff until the lifetime is over; permanent ones (5xx) go to dead/
with the reason. The one duplicate SMTP cannot rule out (killed after the server's 250,
before sent/ is reached) is sent again with the same Message-ID.

Failures are told apart by scope. A failure of the mail server (down, hanging, closing
with 421) pauses the pass: every other report would meet it too. A refusal of one
message (its recipients or its DATA refused, a damaged spool item) is that message's
alone: the pass goes on with the others, and after RETRY_MAX_ATTEMPTS such refusals the
message goes to dead letters with the reason, so no message can hold the queue.
"""
import logging
import smtplib
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from server.mail.backends import DeliveryError, Envelope

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
    max_attempts: int = 24
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
        max_attempts=int(config["RETRY_MAX_ATTEMPTS"]),
        odoo=odoo_settings(config),
    )


def odoo_settings(config, with_history=True):
    """The Odoo helpdesk backend's settings: login, helpdesk options, the history file."""
    from server.customers import HelpdeskOptions
    from server.history import History, history_path
    from server.mail.backends import ODOO_SCHEMES
    from server.mail.backends.odoo import OdooSettings

    if not config["MAIL_URL"].lower().startswith(tuple(f"{s}:" for s in ODOO_SCHEMES)):
        return None
    return OdooSettings(
        user=config["ODOO_USER"], api_key=config["ODOO_API_KEY"],
        defaults=HelpdeskOptions(partner=None, team=config["ODOO_TEAM"] or None,
                                 category=config["ODOO_CATEGORY"] or None,
                                 tags=tuple(config["ODOO_TAGS"])),
        customers=tuple((c.id, c.helpdesk, c.language) for c in config["CUSTOMERS"]),
        history=History(history_path(config["OUTBOX"])) if with_history else None)


def backoff(attempts, settings):
    """Seconds to wait after the `attempts`-th failure: initial, doubling, capped."""
    return min(settings.retry_max, settings.retry_initial * (2 ** max(0, attempts - 1)))


# -- classifying a failure -------------------------------------------------------------

# What a client may learn about a failed delivery; the server's own text stays in the spool.
FAILURE_CODES = ("recipient_refused", "message_rejected", "message_unusable",
                 "mail_server_unreachable", "gave_up")


@dataclass(frozen=True)
class Failure:
    """One failed attempt: the raw reason (operator only), its code, and its scope."""

    reason: str
    code: str
    temporary: bool
    message_only: bool  # False: the mail server itself failed, so the pass pauses


def classify_failure(error):
    """A Failure for what sending one message raised (a DeliveryError or anything else)."""
    if not isinstance(error, DeliveryError):
        # Raised while this one message was handled (say, a header the backend cannot
        # write): the next message may well go through.
        return Failure(f"{type(error).__name__}: {error}", "message_unusable",
                       temporary=True, message_only=True)
    cause = error.__cause__
    if isinstance(cause, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in cause.recipients.values()]
        if not codes:
            # smtplib found no recipient in the message at all: no retry can add one.
            return Failure("recipients refused: the message names no recipient",
                           "message_unusable", temporary=False, message_only=True)
        if 421 in codes:  # "service closing": the server, not this message
            return Failure(error.reason, "mail_server_unreachable", True, message_only=False)
        return Failure(error.reason, "recipient_refused", error.temporary, message_only=True)
    if (isinstance(cause, smtplib.SMTPSenderRefused | smtplib.SMTPDataError)
            and cause.smtp_code != 421):
        return Failure(error.reason, "message_rejected", error.temporary, message_only=True)
    if error.temporary:
        return Failure(error.reason, "mail_server_unreachable", True, message_only=False)
    return Failure(error.reason, "message_rejected", False, message_only=True)


# -- one delivery -----------------------------------------------------------------------------


def due_reports(spool, now=None):
    """Queued ids whose next attempt is due, oldest first (a damaged state is due at once)."""
    now = now or time.time()
    due = []
    for item in spool.items("queue"):
        try:
            state = item.read_state()
        except ValueError:  # not JSON: claimed and moved to dead letters with the reason
            state = None
        next_at = state.get("next_attempt_at", 0) if isinstance(state, dict) else 0
        if not isinstance(next_at, int | float) or next_at <= now:
            due.append(item.report_id)
    return due


def deliver_due(spool, backend, settings, stopping=None):
    """One pass over the queue; returns {"sent", "retry", "failed", "paused"} counts.

    Only a failure of the mail server itself ends the pass ("paused": 1): when it is down
    or hanging, trying every other report now would only multiply the waiting. A refusal
    of one message does not delay the others.
    """
    counts = {"sent": 0, "retry": 0, "failed": 0, "paused": 0}
    for report_id in due_reports(spool):
        claimed = spool.claim(report_id)
        if claimed is None:
            continue
        outcome = deliver_claimed(spool, claimed, backend, settings)
        if outcome == "paused":
            counts["retry"] += 1
            counts["paused"] = 1
            break
        counts[outcome] += 1
        if stopping is not None and stopping.is_set():
            break
    return counts


def deliver_claimed(spool, claimed, backend, settings):
    """Send one claimed report and move it to sent/, back to queue/ or to dead/.

    Returns "sent", "failed", "retry" (this message was refused for now) or "paused"
    (the mail server failed: the caller stops its pass).
    """
    state, problem = _claimed_state(spool, claimed)
    if state is None:
        state = {"id": claimed.report_id, "reference": "", "attempts": 0}
        return _to_dead_letters(spool, claimed, state, f"spool item unreadable: {problem}",
                                "message_unusable")
    try:
        # Sent byte for byte as checked before spooling, to the recipients in the state.
        envelope = Envelope(state["envelope_from"], tuple(state["envelope_to"]),
                            claimed.message_file.read_bytes())
    except (OSError, KeyError, TypeError) as exc:  # a damaged item must not block its claim
        return _to_dead_letters(spool, claimed, state, f"spool item unreadable: {exc}",
                                "message_unusable")
    state["attempts"] = state.get("attempts", 0) + 1
    state["last_attempt_at"] = _iso(time.time())
    try:
        backend.send_messages([envelope])
    except DeliveryError as error:
        return _after_failure(spool, claimed, state, classify_failure(error), settings)
    except Exception as error:  # whatever one message causes must not stop the queue
        log.exception("outbox: %s could not be handed to the mail backend", state["id"])
        backend.close()  # the session is in an unknown state: the next message starts afresh
        return _after_failure(spool, claimed, state, classify_failure(error), settings)
    state["sent_at"] = _iso(time.time())
    state["last_error"] = state["last_failure_code"] = None
    spool.move_to_sent(claimed, state)
    log.info("outbox: %s %s sent", state["id"], state["reference"])
    return "sent"


def _claimed_state(spool, claimed):
    """(state, None), or (None, what is wrong) when state.json is missing or damaged."""
    try:
        state = claimed.read_state()
    except ValueError:
        state = None
    if isinstance(state, dict) and state.get("id") == claimed.report_id:
        return state, None
    if spool.set_aside_damaged_state(claimed):  # the operator may want it
        return None, "state.json damaged (kept as state.json.damaged)"
    return None, "state.json missing"


def _after_failure(spool, claimed, state, failure, settings):
    state["last_error"] = failure.reason
    state["last_failure_code"] = failure.code
    if not failure.temporary:
        return _to_dead_letters(spool, claimed, state, failure.reason, failure.code)
    if failure.message_only:
        # Only refusals of this message count: a mail server that is down says nothing
        # about the message, and RETRY_LIFETIME_SECONDS bounds that wait.
        state["message_failures"] = state.get("message_failures", 0) + 1
    now = time.time()
    give_up_at = state.get("lifetime_start", 0) + settings.lifetime
    if now >= give_up_at or state.get("message_failures", 0) >= settings.max_attempts:
        reason = f"gave up after {state['attempts']} attempts: {failure.reason}"
        return _to_dead_letters(spool, claimed, state, reason, "gave_up")
    # The last attempt falls exactly at the end of the lifetime, never after it.
    state["next_attempt_at"] = min(now + backoff(state["attempts"], settings), give_up_at)
    spool.release(claimed, state)
    log.warning("outbox: %s temporary failure (%s); next attempt in %.1fs", state["id"],
                failure.reason, state["next_attempt_at"] - now)
    return "retry" if failure.message_only else "paused"


def _to_dead_letters(spool, claimed, state, reason, code):
    state["reason"] = reason
    state["failure_code"] = code
    state["failed_at"] = _iso(time.time())
    spool.move_to_dead(claimed, state)
    log.error("outbox: %s %s failed: %s", state["id"], state["reference"], reason)
    return "failed"


def retry_now(spool, report_id):
    """Put a failed or waiting report back for immediate delivery; False if not possible."""
    # Held like a claim meanwhile, so that no worker sends it while its state changes.
    held = spool.claim(report_id, from_folders=("queue", "dead"))
    if held is None:
        return False
    state = held.read_state()
    state.update(next_attempt_at=0.0, lifetime_start=time.time(), reason=None,
                 failure_code=None, last_failure_code=None, message_failures=0)
    state.pop("failed_at", None)
    spool.release(held, state)
    spool.wakeup.set()
    return True


def _iso(seconds):
    return datetime.fromtimestamp(seconds, UTC).isoformat()
