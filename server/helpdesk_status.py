"""The helpdesk ticket behind a report, with its stage read back from Odoo (cached, bounded).

Every browser polls its receipts; Odoo is asked about one ticket at most once per
HELPDESK_STATUS_SECONDS across all server processes (the history file records when), with
a short timeout, and answers are cached there. When Odoo cannot answer, the last stage
known is shown.
"""
import logging
import sqlite3

from server.mail.backends import DeliveryError, backend_from_url
from server.outbox.delivery import odoo_settings

log = logging.getLogger(__name__)
READ_TIMEOUT_SECONDS = 5.0


def helpdesk_status(config, history, reference, customer):
    """{"ticket", "stage"?, "closed"?} of a report delivered into Odoo, else None."""
    if history is None:
        return None
    ticket = None
    try:
        ticket = history.ticket(reference)
        if ticket is None:
            return None
        if history.claim_stage_refresh(reference, config["HELPDESK_STATUS_SECONDS"]):
            ticket.update(read_stage(config, ticket["ticket_id"], customer.language))
            history.record_stage(reference, ticket["stage"], ticket["closed"])
    except (DeliveryError, sqlite3.Error, ValueError, KeyError) as error:
        log.warning("helpdesk status of %s not read: %s", reference, error)
        if ticket is None:
            return None
    status = {"ticket": ticket["number"]}
    if ticket.get("stage"):
        status["stage"] = ticket["stage"]
    if ticket.get("closed") is not None:
        status["closed"] = ticket["closed"]
    return status


def read_stage(config, ticket_id, language):
    """{"stage", "closed"} read from the helpdesk now."""
    settings = odoo_settings(config, with_history=False)
    if settings is None:
        raise ValueError("MAIL_URL no longer delivers to Odoo")
    with backend_from_url(config["MAIL_URL"], timeout=READ_TIMEOUT_SECONDS,
                          odoo=settings) as backend:
        stage, closed = backend.stage(ticket_id, language)
    return {"stage": stage, "closed": closed}
