"""Where the report comes from: the Odoo page, user and failing call (E5, C1)."""
from marshmallow import EXCLUDE, Schema

from server.validators.fields import AwareDateTime, Choice, Integer, Line, List, Nested, Url

ENVIRONMENTS = ("production", "staging", "unknown")


class RpcSchema(Schema):
    """The last JSON-RPC call before the error: what the server was asked to do."""

    class Meta:
        unknown = EXCLUDE

    url = Line(2000, load_default="")
    model = Line(200, load_default="")
    method = Line(200, load_default="")
    ids = List(Integer(), max_items=100, load_default=list)


class ContextSchema(Schema):
    """The page and session in which the problem happened.

    Captured by the extension, not typed: the bounds are generous, so that a long URL or
    user agent never blocks a report.
    """

    class Meta:
        unknown = EXCLUDE

    url = Url(8000, load_default="", metadata={"description": "The Odoo page's address."})
    odoo_version = Line(40, load_default="")
    database = Line(200, load_default="")
    user = Line(200, load_default="")
    company = Line(200, load_default="")
    lang = Line(20, load_default="")
    app = Line(200, load_default="")
    model = Line(200, load_default="")
    record_id = Integer(load_default=None, allow_none=True)
    view_type = Line(40, load_default="")
    action = Line(500, load_default="")
    breadcrumbs = List(Line(500), max_items=20, load_default=list)
    environment = Choice(ENVIRONMENTS, load_default="unknown")
    browser = Line(1000, load_default="")
    occurred_at = AwareDateTime(load_default=None, allow_none=True)
    rpc = Nested(RpcSchema, load_default=None, allow_none=True)
