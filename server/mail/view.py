"""What the ticket's text and HTML parts show, in the customer's language (Jinja2 templates).

The HTML template is autoescaped: every text a reporter typed is escaped on output.
"""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from .labels import labels_for

_templates = Environment(
    loader=PackageLoader("server.mail", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
# The environment section, in the seed's order (E5): where, which Odoo, who, when.
CONTEXT_FIELDS = ("environment", "url", "odoo_version", "database", "user", "company", "lang",
                  "app", "model", "record_id", "view_type", "browser", "occurred_at")
CHECKLIST_FIELDS = ("checked_guide", "tried_staging", "asked_key_user")


def render_bodies(view):
    """(text, html) of the ticket."""
    return (_templates.get_template("ticket.txt").render(view),
            _templates.get_template("ticket.html").render(view))


def ticket_view(customer, report, reference, screenshot_cid, *, attachments, fingerprint,
                screenshot_name=None, seen=None):
    """Everything the templates show, already in the customer's language."""
    labels = labels_for(customer.language)
    context = report.get("context") or {}
    environment = context.get("environment") or "unknown"
    error = report.get("error") or {}
    is_question = report.get("kind") == "question"
    return {
        "t": labels,
        "reference": reference,
        "customer": customer.name,
        "reporter": reporter_line(report.get("reporter") or {}),
        "title": report.get("title") or "",
        "is_question": is_question,
        "is_staging": environment == "staging",
        "environment": environment,
        "doing": report.get("doing") or "",
        "steps": list(report.get("steps") or []),
        "result": report.get("result") or "",
        "error": {key: error.get(key) or "" for key in ("kind", "title", "message", "exception")},
        "expected": report.get("expected") or "",
        "module": report.get("module") or "",
        "context_rows": context_rows(context, labels, customer.timezone),
        "rpc": {key: value for key, value in (context.get("rpc") or {}).items() if value},
        "checklist": checklist_rows(report.get("checklist") or {}, labels) if is_question else [],
        "answer_by": format_time(report.get("expected_answer_by"), labels, customer.timezone),
        "screenshot_cid": screenshot_cid,
        "screenshot_name": screenshot_name,
        "attachments": attachments,
        "fingerprint": fingerprint,
        "seen": seen_lines(seen, labels, customer.timezone),
    }


def seen_lines(seen, labels, zone):
    """E3: "Seen N times by M users at K customers …" and the earlier tickets; [] the first time."""
    if seen is None or seen.count < 2:
        return []
    first = format_time(datetime.fromtimestamp(seen.first_seen, UTC).isoformat(), labels, zone)
    lines = [labels["seen"].format(count=seen.count, users=seen.users,
                                   customers=seen.customers, first=first)]
    if seen.earlier:
        lines.append(f"{labels['earlier']}: {', '.join(seen.earlier)}")
    return lines


def context_rows(context, labels, zone):
    """(label, value) of each environment field the report has, in CONTEXT_FIELDS order."""
    rows = []
    for field in CONTEXT_FIELDS:
        value = context.get(field)
        if field == "environment":
            value = labels.get(value or "unknown", value)
        elif field == "occurred_at" and value:
            value = format_time(value, labels, zone)
        if value not in (None, ""):
            rows.append((labels[field], str(value)))
    return rows


def checklist_rows(checklist, labels):
    """A question's A1–A3 answers as (label, yes/no)."""
    return [(labels[key], labels["yes"] if checklist.get(key) else labels["no"])
            for key in CHECKLIST_FIELDS]


def format_time(value, labels, zone_name):
    """An ISO time shown in the customer's timezone, with the zone named."""
    if not value:
        return labels["none"]
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        zone = ZoneInfo(zone_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    local = moment.astimezone(zone)
    return labels["datetime"].format(weekday=labels["weekdays"][local.weekday()], date=local,
                                     zone=zone.key)


def reporter_line(reporter):
    """`Name <email>` as the ticket shows who reported."""
    email_address = reporter.get("email")
    return " ".join(filter(None, [reporter.get("name"),
                                  f"<{email_address}>" if email_address else None]))
