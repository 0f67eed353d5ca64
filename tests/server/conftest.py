"""Fixtures of the server tests: `app`, `client`, `auth`, `acme_auth`, `submitted`.

`app` is built by `create_app` with a temporary outbox, the memory mail backend and no
background delivery thread; a test module can change that by defining its own
`app_config` fixture (a dict of overrides merged over the defaults below). Sample
customers and reports live in tests/server/samples.py.
"""
import pytest

from server import create_app
from server.customers import DEMO_KEY, demo_customer
from tests.server.samples import ACME, ACME_KEY, bearer


@pytest.fixture
def app_config():
    """Overrides merged into the test app's configuration; redefine in a module to change."""
    return {}


def make_app(outbox, **overrides):
    """The test app: `outbox` its folder, the defaults above, then `overrides`."""
    return create_app({
        "TESTING": True,
        "OUTBOX": str(outbox),
        "MAIL_URL": "memory://",
        "DELIVERY_WORKER": False,
        "RATE_LIMIT": "1000 per minute",
        "RATE_LIMIT_REPORTS": "1000 per minute",
        "CUSTOMERS": [demo_customer(), ACME],
        **overrides,
    })


@pytest.fixture
def app(tmp_path, app_config):
    return make_app(tmp_path / "outbox", **app_config)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def auth():
    """Headers of the demo customer (key `demo`, no origins declared)."""
    return bearer(DEMO_KEY)


@pytest.fixture
def acme_auth():
    """Headers of the Acme customer, whose reports must come from its Odoo origins."""
    return bearer(ACME_KEY)


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
