"""The support ticket as an `EmailMessage` (email.policy.default), rendered with Jinja2.

To is the customer's configured support address and nothing else (G1: no open relay);
the client's report can choose neither recipients nor headers. Headers are written by
server/mail/headers.py, never parsed from client text, and the serialized ticket is
checked there before it is spooled.
"""
import json
import re
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime, parseaddr

from server.screenshots import media_type

from .fingerprint import fingerprint
from .headers import check_serialized, is_plain_address, mailbox, unstructured
from .view import render_bodies, ticket_view

# Anything that could break a header line or hide text: C0/C1 controls, line/paragraph separators.
_HEADER_BREAKERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


SENDER_MODES = ("server", "reporter")


def build_ticket(customer, report, *, report_id, reference, created_at, mail_from,
                 sender_mode="server", seen=None, threading=True):
    """The complete ticket for `report`, stable for one report id (Message-ID, Date)."""
    message = EmailMessage(policy=default_policy)
    headers = ticket_headers(customer, report, report_id=report_id, reference=reference,
                             created_at=created_at, mail_from=mail_from,
                             sender_mode=sender_mode, seen=seen, threading=threading)
    for name, value in headers.items():
        # set_raw: stored as written here, so the email package never decodes client text.
        message.set_raw(name, mailbox(name, *value) if isinstance(value, tuple)
                        else unstructured(name, value))
    screenshot = report.get("screenshot_image")
    cid = screenshot_cid(report_id, mail_from) if screenshot else None
    text, html = render_bodies(ticket_view(
        customer, report, reference, cid, screenshot_name=screenshot_name(screenshot),
        attachments=attachment_names(report), fingerprint=headers["X-Support-Fingerprint"],
        seen=seen))
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    if screenshot:
        # Once, inline beside the HTML that shows it; its file name lets a reader save it.
        html_part = message.get_payload()[1]
        html_part.add_related(screenshot, "image", media_type(screenshot)[0], cid=f"<{cid}>",
                              filename=screenshot_name(screenshot), disposition="inline")
    details = (report.get("error") or {}).get("details")
    if details:
        # As bytes (base64): the traceback arrives exactly as captured, no newline added.
        message.add_attachment(details.encode("utf-8"), "text", "plain",
                               filename="error-details.txt", params={"charset": "utf-8"})
    message.add_attachment(
        report_json(report, report_id, reference, customer, cid).encode("utf-8"),
        "application", "json", filename="report.json")
    return message


def ticket_bytes(customer, report, **ticket):
    """The ticket as the spool stores it: serialized, then checked (UnsafeHeader if not safe)."""
    data = build_ticket(customer, report, **ticket).as_bytes()
    check_serialized(data, ticket_headers(customer, report, **ticket))
    return data


def ticket_headers(customer, report, *, report_id, reference, created_at, mail_from,
                   sender_mode="server", seen=None, threading=True):
    """Every header we set: name → text, or (display name, address) for a mailbox.

    sender_mode "server": From is the server, Reply-To the reporter (passes DMARC at any
    receiver). "reporter": From is the reporter and Sender the server, so a helpdesk's
    own mail gateway makes the reporter the ticket's author; without a plain reporter
    address it falls back to "server". The SMTP envelope sender stays the server's.
    """
    reporter = reporter_mailbox(report.get("reporter") or {})
    server = parseaddr(mail_from)
    as_reporter = (sender_mode == "reporter" and reporter is not None
                   and reporter[1].lower() != server[1].lower())
    thread_root = seen.thread_root if (threading and seen is not None) else None
    headers = {
        "Subject": subject(customer, report, reference),
        "From": reporter if as_reporter else server,
        "Sender": server if as_reporter else None,
        "To": ("", customer.support_address),
        "Reply-To": None if as_reporter else reporter,
        "Date": format_datetime(created_at),
        "Message-ID": message_id(report_id, mail_from),
        # A customer's repeat of one error joins the thread of its first ticket.
        "In-Reply-To": thread_root,
        "References": thread_root,
        "X-Support-Reference": reference,
        "X-Support-Fingerprint": fingerprint(report),
    }
    return {name: value for name, value in headers.items() if value is not None}


def envelope_sender(mail_from):
    """The SMTP sender: the address of the configured From."""
    return parseaddr(mail_from)[1]


def screenshot_cid(report_id, mail_from):
    """The Content-ID (without <>) by which the HTML part shows the screenshot."""
    return f"screenshot.{report_id}@{_domain(mail_from)}"


def screenshot_name(image):
    """screenshot.png or screenshot.jpg, as the codec chosen for it (server/screenshots.py)."""
    return f"screenshot.{media_type(image)[1]}" if image else None


def attachment_names(report):
    """The files attached after the body, in order (the screenshot is inside the body)."""
    names = ["error-details.txt"] if (report.get("error") or {}).get("details") else []
    return [*names, "report.json"]


def subject(customer, report, reference):
    """`[OSR-XXXXX] Customer · Module · Title`, `[STAGING] ` first for staging reports."""
    parts = [customer.name, report.get("module") or "", report.get("title") or ""]
    text = f"[{reference}] " + " · ".join(part for part in parts if part)
    if (report.get("context") or {}).get("environment") == "staging":
        text = "[STAGING] " + text
    return _one_line(text)


def reporter_mailbox(reporter):
    """(name, email) for Reply-To, or None without a plain address (headers.PLAIN_ADDRESS)."""
    email_address = _one_line(reporter.get("email") or "")
    if not is_plain_address(email_address):
        return None
    return _one_line(reporter.get("name") or ""), email_address


def message_id(report_id, mail_from):
    """The same Message-ID for every delivery of one report, so duplicates collapse."""
    return f"<{report_id}@{_domain(mail_from)}>"


def report_json(report, report_id, reference, customer, cid=None):
    """The whole report for helpdesk automation; the screenshot is referenced, not inlined."""
    screenshot = report.get("screenshot_image")
    data = {key: value for key, value in report.items() if key != "screenshot_image"}
    data["screenshot"] = ({"filename": screenshot_name(screenshot), "content_id": f"<{cid}>"}
                          if cid else None)
    data = {"id": report_id, "reference": reference, "customer": customer.name,
            "customer_id": customer.id, **data}
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n"


def _one_line(text):
    return " ".join(_HEADER_BREAKERS.sub(" ", str(text)).split())


def _domain(address):
    domain = str(address).rpartition("@")[2].strip(" >")
    return domain or "localhost"
