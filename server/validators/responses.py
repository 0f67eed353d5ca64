"""What the API answers; these schemas document the responses in openapi.json."""
from marshmallow import Schema, fields

from server.i18n import LANGUAGES
from server.outbox.delivery import FAILURE_CODES
from server.outbox.spool import STATUSES as SPOOL_STATUSES

# What GET /api/v1/reports/<id> may say: the outbox's states, named where it keeps them.
STATUSES = tuple(SPOOL_STATUSES.values())


class ReportAcceptedSchema(Schema):
    """202: the report is stored durably and will be emailed to support."""

    id = fields.String(required=True)
    reference = fields.String(required=True, metadata={"example": "OSR-7K2Q9"})
    status = fields.String(required=True, metadata={"enum": list(STATUSES)})
    expected_answer_by = fields.String(required=True, metadata={
        "format": "date-time",
        "description": "G6: 24 hours counted on weekdays only, in the customer's time zone."})


class DeliveryFailureSchema(Schema):
    """A classified delivery failure; the mail server's own reply is never sent to clients."""

    code = fields.String(required=True, metadata={"enum": list(FAILURE_CODES)})
    message = fields.String(required=True, metadata={
        "description": "What it means for the reporter, in the request's language."})


class HelpdeskTicketSchema(Schema):
    """The helpdesk ticket a report became (MAIL_URL odoo+https://), read back from Odoo."""

    ticket = fields.String(required=True, metadata={"example": "HT00009",
                                                    "description": "The ticket's number."})
    stage = fields.String(metadata={"example": "In Progress", "description":
                                    "The ticket's stage, in the customer's language where "
                                    "the helpdesk has it; absent until first read."})
    closed = fields.Boolean(metadata={"description": "The stage closes the ticket (solved)."})


class ReportStatusSchema(Schema):
    """The delivery status of one report (the extension's receipt)."""

    id = fields.String(required=True)
    reference = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": list(STATUSES)})
    sent_at = fields.String(metadata={"format": "date-time"})
    failure = fields.Nested(DeliveryFailureSchema, metadata={
        "description": "Why delivery failed (status failed), or why the last attempt did "
                       "(status queued, retried automatically)."})
    helpdesk = fields.Nested(HelpdeskTicketSchema, metadata={
        "description": "When delivered into an Odoo helpdesk: the ticket's number and stage."})


class EnvironmentsSchema(Schema):
    production = fields.List(fields.String())
    staging = fields.List(fields.String())


class KeyUserSchema(Schema):
    name = fields.String()
    email = fields.String()


class TitleRulesSchema(Schema):
    """G2 and E3 as data; see server/validators/rules.py for the normalization."""

    min_words = fields.Integer()
    min_length = fields.Integer()
    min_shared_word_length = fields.Integer()
    stem_length = fields.Integer()
    ignored_words = fields.List(fields.String())
    generic_words = fields.List(fields.String())
    generic_titles = fields.List(fields.String())
    generic_error_titles = fields.List(fields.String())
    filler_words = fields.List(fields.String(), metadata={
        "description": "Words that say nothing of what failed (\"when\", \"kun\", \"när\")."})
    min_content_words = fields.Integer(metadata={
        "description": "An error's title needs this many words beyond the dialog's title, "
                       "the words of generic_error_titles, generic_words and filler_words."})
    min_content_word_length = fields.Integer(metadata={
        "description": "A word counts towards min_content_words from this many characters."})
    normalization = fields.String()


class CustomerConfigSchema(Schema):
    """GET /api/v1/config: what the extension needs for this customer."""

    customer_id = fields.String()
    name = fields.String()
    language = fields.String(metadata={"enum": list(LANGUAGES)})
    timezone = fields.String()
    environments = fields.Nested(EnvironmentsSchema)
    key_user = fields.Nested(KeyUserSchema)
    process_guide_url = fields.String()
    support_hours = fields.String()
    learning_mode = fields.Boolean()
    title_rules = fields.Nested(TitleRulesSchema)
    limits = fields.Dict(keys=fields.String(), values=fields.Integer())


class ErrorBodySchema(Schema):
    code = fields.String(required=True, metadata={"enum": [
        "bad_request", "malformed_json", "unauthorized", "forbidden_origin", "not_found",
        "method_not_allowed", "too_large", "unsupported_media_type", "validation_failed",
        "rate_limited", "internal_error"]})
    message = fields.String(required=True, metadata={
        "description": "In the language of Accept-Language (fi, en, sv)."})
    # `fields` would shadow Schema.fields: declared under another name, named by data_key.
    field_errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                               required=True, data_key="fields",
                               metadata={"description": "field path → messages"})


class ErrorResponseSchema(Schema):
    """The one error shape of every failure."""

    error = fields.Nested(ErrorBodySchema, required=True)


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"example": "ok"})
