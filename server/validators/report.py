"""The support report a client posts (POST /api/v1/reports) and the rules it must meet.

Unknown fields are dropped, never used: a body with `to`, `cc` or `bcc` cannot choose a
recipient (G1: the ticket goes only to the customer's configured support address).
"""
from marshmallow import EXCLUDE, Schema, ValidationError, validates, validates_schema

from server.validators import rules
from server.validators.context import ContextSchema
from server.validators.fields import (
    Boolean,
    Choice,
    DataUrl,
    Email,
    Line,
    List,
    Nested,
    Text,
    Uuid,
)

KINDS = ("error", "question")
ERROR_KINDS = ("server", "client", "network", "validation", "user", "access", "missing",
               "redirect", "session-expired", "warning")
# Upper bounds, also served by GET /api/v1/config so the form can enforce them while typing.
# Captured texts (error message, details) get room for Odoo's longest; typed ones less.
LIMITS = {
    "title": 200, "module": 100, "doing": 4000, "result": 100_000, "expected": 4000,
    "step": 500, "steps": 50, "reporter_name": 200, "error_title": 300,
    "error_message": 100_000, "error_details": 1_000_000, "screenshot": 12 * 1024 * 1024,
}


class ReporterSchema(Schema):
    """Who reports: the ticket's Reply-To."""

    class Meta:
        unknown = EXCLUDE

    name = Line(LIMITS["reporter_name"], required=True)
    email = Email(required=True)


class ErrorSchema(Schema):
    """The error as Odoo showed it (E1): dialog title, message, full technical details."""

    class Meta:
        unknown = EXCLUDE

    kind = Choice(ERROR_KINDS, load_default="server")
    title = Line(LIMITS["error_title"], load_default="")
    message = Text(LIMITS["error_message"], load_default="")
    details = Text(LIMITS["error_details"], load_default="")
    exception = Line(300, load_default="")


class ChecklistSchema(Schema):
    """A question's answers to A1–A3: guide read, tried in staging, asked the key user."""

    class Meta:
        unknown = EXCLUDE

    checked_guide = Boolean(load_default=False)
    tried_staging = Boolean(load_default=False)
    asked_key_user = Boolean(load_default=False)


class ReportSchema(Schema):
    """A support request following G1–G6 and, for errors, E1–E6."""

    class Meta:
        unknown = EXCLUDE

    client_report_id = Uuid(required=True, metadata={"description": "Made by the client; "
                            "the same id twice is one ticket."})
    kind = Choice(KINDS, required=True)
    title = Line(LIMITS["title"], required=True)
    module = Line(LIMITS["module"], required=True)
    doing = Text(LIMITS["doing"], required=True)
    steps = List(Line(LIMITS["step"], required=True), max_items=LIMITS["steps"], load_default=list)
    result = Text(LIMITS["result"], load_default="")
    expected = Text(LIMITS["expected"], required=True)
    reporter = Nested(ReporterSchema, required=True)
    error = Nested(ErrorSchema, load_default=None, allow_none=True)
    context = Nested(ContextSchema, load_default=dict)
    screenshot = DataUrl(LIMITS["screenshot"], load_default=None, allow_none=True,
                      metadata={"description": "data:image/png;base64,... or JPEG"})
    checklist = Nested(ChecklistSchema, load_default=dict)

    @validates("title")
    def title_is_descriptive(self, title: str, **kwargs) -> None:
        rules.reject_generic_title(title)

    @validates_schema(skip_on_field_errors=False)
    def error_report_is_complete(self, data: dict, **kwargs) -> None:
        """E1, E3, E4, E5 for error reports; reported together so the form shows all at once."""
        if data.get("kind") != "error":
            return
        problems = rules.require_error_seed_fields(data)
        error = data.get("error") or {}
        if data.get("title") and "error" not in problems:
            try:
                rules.require_error_title_in_title(
                    data["title"], error.get("title", ""), error.get("message", ""))
                rules.require_more_than_the_dialog_title(data["title"], error.get("title", ""))
            except ValidationError as failed:
                problems["title"] = failed.messages
        if problems:
            raise ValidationError(problems)
