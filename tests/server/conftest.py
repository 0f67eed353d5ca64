"""Fixtures of the server tests: `app`, `client`, `auth`, `report_body(**overrides)`.

`app` is built by `create_app` with a temporary outbox, the memory mail backend and no
background delivery thread; a test module can change that by defining its own
`app_config` fixture (a dict of overrides merged over the defaults below).
"""
import base64
import io
import uuid

import pytest
from PIL import Image

from server import create_app
from server.customers import DEMO_KEY, Customer, demo_customer, hash_key

ACME_KEY = "acme-test-key-1234567890"
ACME_PRODUCTION = "https://erp.acme.example"
ACME_STAGING = "https://staging.erp.acme.example"


def acme_customer() -> Customer:
    """A customer that declares its Odoo origins, so foreign pages are refused (403)."""
    return Customer(
        id="acme",
        name="Acme Oy",
        key_hash=hash_key(ACME_KEY),
        support_address="tuki@partner.example",
        language="fi",
        production_origins=(ACME_PRODUCTION,),
        staging_origins=(ACME_STAGING,),
        key_user_name="Kaisa Pääkäyttäjä",
        key_user_email="kaisa@acme.example",
        process_guide_url="https://wiki.acme.example/odoo",
        timezone="Europe/Helsinki",
        support_hours="ma–pe 8–16",
    )


@pytest.fixture
def app_config():
    """Overrides merged into the test app's configuration; redefine in a module to change."""
    return {}


@pytest.fixture
def app(tmp_path, app_config):
    app = create_app({
        "TESTING": True,
        "OUTBOX": str(tmp_path / "outbox"),
        "MAIL_URL": "memory://",
        "DELIVERY_WORKER": False,
        "RATE_LIMIT": "1000 per minute",
        "CUSTOMERS": [demo_customer(), acme_customer()],
        **app_config,
    })
    yield app


@pytest.fixture
def client(app):
    return app.test_client()


def bearer(key: str) -> dict:
    """The Authorization header for a customer key."""
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def auth():
    """Headers of the demo customer (key `demo`, no origins declared)."""
    return bearer(DEMO_KEY)


@pytest.fixture
def acme_auth():
    """Headers of the Acme customer, whose reports must come from its Odoo origins."""
    return bearer(ACME_KEY)


def png_data_url(width: int = 1920, height: int = 1080, color=(30, 120, 200)) -> str:
    """A real PNG screenshot as the extension sends it."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def make_report_body(**overrides) -> dict:
    """A valid error report (it meets G2, E3, E4, E5); keyword arguments replace fields."""
    body = {
        "client_report_id": str(uuid.uuid4()),
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
    body.update(overrides)
    return body


@pytest.fixture
def report_body():
    """Factory: `report_body(title=..., screenshot=png_data_url())` → a valid report dict."""
    return make_report_body


@pytest.fixture
def outbox(app):
    """The app's outbox (server/outbox.py)."""
    return app.extensions["outbox"]


@pytest.fixture
def submitted(app, monkeypatch):
    """Every (customer, report) handed to the outbox during the test, in order."""
    calls = []
    real_submit = app.extensions["outbox"].submit

    def recording_submit(customer, report):
        calls.append((customer, report))
        return real_submit(customer, report)

    monkeypatch.setattr(app.extensions["outbox"], "submit", recording_submit)
    return calls
