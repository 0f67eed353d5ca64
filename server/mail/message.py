"""The support ticket as an `EmailMessage` (email.policy.default), rendered with Jinja2.

To is the customer's configured support address and nothing else (G1: no open relay);
the client's report can choose neither recipients nor headers.
"""
import hashlib
import json
import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime

from .view import render_bodies, ticket_view

# Anything that could break a header line or hide text: C0/C1 controls, line/paragraph separators.
_HEADER_BREAKERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def build_ticket(customer, report, *, report_id, reference, created_at, mail_from):
    """The complete ticket for `report`, stable for one report id (Message-ID, Date)."""
    message = EmailMessage(policy=default_policy)
    message["Subject"] = subject(customer, report, reference)
    message["From"] = mail_from
    message["To"] = customer.support_address
    reply_to = reporter_address(report.get("reporter") or {})
    if reply_to is not None:
        message["Reply-To"] = reply_to
    message["Date"] = format_datetime(created_at)
    message["Message-ID"] = message_id(report_id, mail_from)
    message["X-Support-Reference"] = reference
    message["X-Support-Fingerprint"] = fingerprint(report)
    screenshot = report.get("screenshot_png")
    cid = f"<screenshot.{report_id}@{_domain(mail_from)}>" if screenshot else None
    text, html = render_bodies(ticket_view(
        customer, report, reference, cid[1:-1] if cid else None,
        attachments=attachment_names(report), fingerprint=message["X-Support-Fingerprint"]))
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    if screenshot:
        html_part = message.get_payload()[1]
        html_part.add_related(screenshot, "image", "png", cid=cid, filename="screenshot.png",
                              disposition="inline")
        message.add_attachment(screenshot, "image", "png", filename="screenshot.png")
    details = (report.get("error") or {}).get("details")
    if details:
        # As bytes (base64): the traceback arrives exactly as captured, no newline added.
        message.add_attachment(details.encode("utf-8"), "text", "plain",
                               filename="error-details.txt", params={"charset": "utf-8"})
    message.add_attachment(report_json(report, report_id, reference, customer).encode("utf-8"),
                           "application", "json", filename="report.json")
    return message


def attachment_names(report):
    """The files a ticket carries, in the order they are attached."""
    names = ["screenshot.png"] if report.get("screenshot_png") else []
    if (report.get("error") or {}).get("details"):
        names.append("error-details.txt")
    return [*names, "report.json"]


def subject(customer, report, reference):
    """`[OSR-XXXXX] Customer · Module · Title`, `[STAGING] ` first for staging reports."""
    parts = [customer.name, report.get("module") or "", report.get("title") or ""]
    text = f"[{reference}] " + " · ".join(part for part in parts if part)
    if (report.get("context") or {}).get("environment") == "staging":
        text = "[STAGING] " + text
    return _one_line(text)


def reporter_address(reporter):
    """The reporter as an Address for Reply-To, or None without a usable email."""
    email_address = _one_line(reporter.get("email") or "")
    if "@" not in email_address:
        return None
    local, _, domain = email_address.rpartition("@")
    try:
        return Address(display_name=_one_line(reporter.get("name") or ""), username=local,
                       domain=domain)
    except (ValueError, IndexError):
        return None


def message_id(report_id, mail_from):
    """The same Message-ID for every delivery of one report, so duplicates collapse."""
    return f"<{report_id}@{_domain(mail_from)}>"


def fingerprint(report):
    """A stable id of the error: kind, exception (or title), model and method, numbers removed."""
    error = report.get("error") or {}
    rpc = (report.get("context") or {}).get("rpc") or {}
    model = rpc.get("model") or (report.get("context") or {}).get("model") or ""
    parts = [report.get("kind") or "", error.get("kind") or "",
             error.get("exception") or error.get("title") or report.get("title") or "",
             model, rpc.get("method") or ""]
    normalized = "|".join(_normalize_for_fingerprint(part) for part in parts)
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:16]


def _normalize_for_fingerprint(text):
    text = str(text).lower()
    text = re.sub(r"\b[0-9a-f]{8,}\b", "#", text)  # hashes, uuids, hex ids
    text = re.sub(r"\d+", "#", text)               # record ids, counts, line numbers
    return " ".join(text.split())


def report_json(report, report_id, reference, customer):
    """The whole report for helpdesk automation; the screenshot is referenced, not inlined."""
    data = {key: value for key, value in report.items() if key != "screenshot_png"}
    data["screenshot"] = "screenshot.png" if report.get("screenshot_png") else None
    data = {"id": report_id, "reference": reference, "customer": customer.name, **data}
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n"


def _one_line(text):
    return " ".join(_HEADER_BREAKERS.sub(" ", str(text)).split())


def _domain(address):
    domain = str(address).rpartition("@")[2].strip(" >")
    return domain or "localhost"
