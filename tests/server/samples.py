"""Sample customers and reports shared by every server test.

`report_body()` is what a client posts (a fresh `client_report_id` each call);
`error_report()` / `question_report()` are reports as the API hands them to the outbox
(validated, with `screenshot_image`, `received_at` and `expected_answer_by` added);
`customer_toml()` is a customer as an operator writes it in the configuration file.
"""
import copy
import json
import uuid
from datetime import date

from server.customers import Customer, hash_key

MAIL_FROM = "Odoo Support Reporter <reporter@partner.example>"
ACME_KEY = "acme-test-key-1234567890"
ACME_PRODUCTION = "https://erp.acme.example"
ACME_STAGING = "https://staging.erp.acme.example"

# A customer that declares its Odoo origins, so foreign pages are refused (403).
ACME = Customer(
    id="acme",
    name="Acme Oy",
    key_hash=hash_key(ACME_KEY),
    support_address="support@partner.example",
    language="fi",
    production_origins=(ACME_PRODUCTION,),
    staging_origins=(ACME_STAGING,),
    key_user_name="Kaisa Pääkäyttäjä",
    key_user_email="kaisa@acme.example",
    process_guide_url="https://wiki.acme.example/odoo",
    timezone="Europe/Helsinki",
    support_hours="ma–pe 8–16",
)


def customer_toml(key: str, **fields) -> str:
    """Acme's `[[customers]]` table for the customer key `key`; `fields` replace or add keys."""
    table = {
        "id": "acme", "name": "Acme Oy", "key_sha256": hash_key(key),
        "support_address": "tuki@partner.example", "language": "en",
        "production_origins": ["https://acme.odoo.com/"],
        "staging_origins": ["https://acme-staging.odoo.com"],
        "key_user": {"name": "Kaisa Pääkäyttäjä", "email": "kaisa@acme.example"},
        "timezone": "Europe/Helsinki", **fields}
    return "\n[[customers]]\n" + "".join(f"{name} = {toml_value(value)}\n"
                                          for name, value in table.items())


def toml_value(value) -> str:
    """`value` written as TOML: a string, boolean, number, date, array or inline table."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON's escapes are valid in TOML
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, date)):
        return str(value)
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {toml_value(item)}" for key, item in value.items()) + " }"
    return "[" + ", ".join(toml_value(item) for item in value) + "]"


def bearer(key: str) -> dict:
    """The Authorization header for a customer key."""
    return {"Authorization": f"Bearer {key}"}


REPORT_BODY = {
    "kind": "error",
    "title": "Validation Error when confirming sales order S00042",
    "module": "Sales",
    "doing": "Confirming a quotation for a new customer.",
    "steps": ["Opened Sales > Quotations", "Opened S00042", "Clicked Confirm"],
    "result": "A Validation Error dialog: the customer has no invoice address.",
    "expected": "The quotation becomes a sales order.",
    "reporter": {"name": "Maija Meikäläinen", "email": "maija@acme.example"},
    "error": {
        "kind": "validation",
        "title": "Validation Error",
        "message": "The customer Acme Oy has no invoice address.",
        "details": "Traceback (most recent call last):\n  ...\nValidationError: no address",
        "exception": "odoo.exceptions.ValidationError",
    },
    "context": {
        "url": ACME_PRODUCTION + "/odoo/sales/42",
        "odoo_version": "17.0",
        "database": "acme",
        "user": "Maija Meikäläinen",
        "company": "Acme Oy",
        "lang": "fi_FI",
        "app": "Sales",
        "model": "sale.order",
        "record_id": 42,
        "view_type": "form",
        "environment": "production",
        "browser": "Chrome 131",
        "occurred_at": "2026-11-27T10:15:00+02:00",
        "rpc": {"url": "/web/dataset/call_button", "model": "sale.order",
                "method": "action_confirm", "ids": [42]},
    },
    "screenshot": None,
}


def report_body(**overrides) -> dict:
    """A valid error report as a client posts it (G2, E3, E4, E5 met); overrides replace fields."""
    return {"client_report_id": str(uuid.uuid4()), **copy.deepcopy(REPORT_BODY), **overrides}


def page_context(**overrides) -> dict:
    """The sample report's `context` with some keys replaced."""
    return {**copy.deepcopy(REPORT_BODY["context"]), **overrides}


# The same report as validated by the API, with other texts: what build_ticket receives.
ERROR_REPORT = {
    **{key: value for key, value in REPORT_BODY.items() if key != "screenshot"},
    "client_report_id": "6f1c2a9e-1d4b-4c1e-9a57-3f1f2b7c9d10",
    "title": "Validation Error: missing customer when confirming quotation S00042",
    "doing": "Confirming a quotation for a new customer",
    "result": "A Validation Error dialog said the customer is missing",
    "expected": "The quotation becomes a sales order",
    "error": {**REPORT_BODY["error"],
              "message": "The operation cannot be completed: missing customer on S00042",
              "details": "Traceback (most recent call last):\n  File \"sale.py\", line 7\n"
                         "odoo.exceptions.ValidationError: missing customer on S00042\n"},
    "context": page_context(user="Maija", app="sale", occurred_at="2026-11-27T10:00:00+00:00",
                            rpc={"url": "/web/dataset/call_kw/sale.order/action_confirm",
                                 "model": "sale.order", "method": "action_confirm"}),
    "checklist": None,
    "screenshot_image": None,
    "expected_answer_by": "2026-11-30T10:00:00+00:00",
    "received_at": "2026-11-27T10:00:05+00:00",
}


def error_report(**overrides) -> dict:
    """A validated error report, with top-level fields replaced by `overrides`."""
    return {**copy.deepcopy(ERROR_REPORT), **overrides}


def question_report(**overrides) -> dict:
    """A validated question (category A) with its checklist."""
    question = {"kind": "question", "title": "How do I merge two duplicate customers in Contacts?",
                "module": "Contacts", "error": None, "result": "", "checklist": {
                    "checked_guide": True, "tried_staging": True, "asked_key_user": False}}
    return error_report(**{**question, **overrides})
