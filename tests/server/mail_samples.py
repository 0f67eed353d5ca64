"""Sample customers and validated reports for the mail, outbox and delivery tests."""
import copy
import io

from PIL import Image

from server.customers import Customer, hash_key

ACME = Customer(
    id="acme", name="Acme Oy", key_hash=hash_key("acme-key"),
    support_address="support@partner.example", language="fi",
    production_origins=("https://erp.acme.example",),
    staging_origins=("https://staging.acme.example",),
    key_user_name="Kaisa Key", key_user_email="kaisa@acme.example",
    process_guide_url="https://wiki.acme.example/odoo", timezone="Europe/Helsinki",
)

ERROR_REPORT = {
    "client_report_id": "6f1c2a9e-1d4b-4c1e-9a57-3f1f2b7c9d10",
    "kind": "error",
    "title": "Validation Error: missing customer when confirming quotation S00042",
    "module": "Sales",
    "doing": "Confirming a quotation for a new customer",
    "steps": ["Opened Sales > Quotations", "Opened S00042", "Clicked Confirm"],
    "result": "A Validation Error dialog said the customer is missing",
    "expected": "The quotation becomes a sales order",
    "reporter": {"name": "Maija Meikäläinen", "email": "maija@acme.example"},
    "error": {
        "kind": "validation", "title": "Validation Error",
        "message": "The operation cannot be completed: missing customer on S00042",
        "details": "Traceback (most recent call last):\n  File \"sale.py\", line 7\n"
                   "odoo.exceptions.ValidationError: missing customer on S00042\n",
        "exception": "odoo.exceptions.ValidationError",
    },
    "context": {
        "url": "https://erp.acme.example/odoo/sales/42", "odoo_version": "17.0",
        "database": "acme", "user": "Maija", "company": "Acme Oy", "lang": "fi_FI",
        "app": "sale", "model": "sale.order", "record_id": 42, "view_type": "form",
        "environment": "production", "browser": "Chrome 131",
        "occurred_at": "2026-11-27T10:00:00+00:00",
        "rpc": {"url": "/web/dataset/call_kw/sale.order/action_confirm",
                "model": "sale.order", "method": "action_confirm"},
    },
    "checklist": None,
    "screenshot_png": None,
    "expected_answer_by": "2026-11-30T10:00:00+00:00",
    "received_at": "2026-11-27T10:00:05+00:00",
}


def png_bytes(width=64, height=32, color=(200, 30, 30)):
    """A real PNG of the given size."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


def error_report(**overrides):
    """A validated error report, with top-level fields replaced by `overrides`."""
    report = copy.deepcopy(ERROR_REPORT)
    report.update(overrides)
    return report


def question_report(**overrides):
    """A validated question (category A) with its checklist."""
    report = error_report(
        kind="question", title="How do I merge two duplicate customers in Contacts?",
        module="Contacts", error=None, result="", checklist={
            "checked_guide": True, "tried_staging": True, "asked_key_user": False},
    )
    report.update(overrides)
    return report
