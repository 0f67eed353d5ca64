"""The dev-mode demo (issue 14): an Odoo 17 order whose Confirm fails, and the sent tickets."""
import re
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from server import create_app
from server.demo import STATIC
from server.outbox.delivery import settings_from_config
from server.outbox.worker import DeliveryWorker
from tests.conftest import ROOT
from tests.server.images import data_url, image_bytes
from tests.server.samples import ACME, bearer, report_body

FIXTURES = ROOT / "tests" / "fixtures" / "odoo"
ODOO_DEMO_PATHS = ["/dev/odoo-demo", "/dev/odoo-demo/web", "/dev/odoo-demo/static/page-form.js",
                   "/dev/outbox"]


@pytest.fixture
def dev_app(tmp_path):
    """No customers configured: dev mode, as `make run` starts."""
    app = create_app({"TESTING": True, "OUTBOX": str(tmp_path / "outbox"),
                      "MAIL_URL": "memory://", "DELIVERY_WORKER": False})
    assert app.config["DEV_MODE"]
    return app


@pytest.mark.parametrize("served, fixture", [
    ("page-form-17.html", "17.0/page-form.html"), ("page-form.js", "page-form.js"),
    ("webclient.css", "webclient.css")])
def test_the_demo_is_the_browser_tests_fixture(served, fixture):
    """One file each: the server may not read tests/, so the fixtures link to its copy."""
    assert (FIXTURES / fixture).is_symlink()
    assert (FIXTURES / fixture).resolve() == STATIC / served


@pytest.mark.parametrize("path", ODOO_DEMO_PATHS)
def test_a_production_server_has_no_demo(tmp_path, path):
    app = create_app({"TESTING": True, "OUTBOX": str(tmp_path / "outbox"),
                      "MAIL_URL": "memory://", "DELIVERY_WORKER": False, "CUSTOMERS": [ACME]})
    response = app.test_client().get(path)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_the_demo_page_is_odoo_17s_sales_order_with_its_assets_here(dev_app):
    client = dev_app.test_client()
    start = client.get("/dev/odoo-demo")
    assert start.status_code == 302
    assert start.headers["Location"].startswith("/dev/odoo-demo/web#id=42&")
    page = client.get("/dev/odoo-demo/web").get_data(as_text=True)
    assert '<body class="o_web_client">' in page and '"server_version": "17.0"' in page
    assert "/fixtures/" not in page
    for asset in re.findall(r'(?:src|href)="(/dev/odoo-demo/static/[^"]+)"', page):
        response = client.get(asset)
        assert response.status_code == 200 and response.data, asset
    assert 'data-rpc-base="/dev/odoo-demo"' in page


def test_confirm_answers_with_odoos_validation_error(dev_app):
    client = dev_app.test_client()
    call = {"jsonrpc": "2.0", "method": "call", "id": 7,
            "params": {"model": "sale.order", "method": "action_confirm", "args": [[42]]}}
    answer = client.post("/dev/odoo-demo/web/dataset/call_button/sale.order/action_confirm",
                         json=call)
    assert answer.status_code == 200  # Odoo answers a failed call with 200 and an error
    body = answer.get_json()
    assert body["id"] == 7 and "result" not in body
    error = body["error"]
    assert (error["code"], error["message"]) == (200, "Odoo Server Error")
    assert error["data"]["name"] == "odoo.exceptions.ValidationError"
    assert error["data"]["arguments"] == [error["data"]["message"]]
    assert error["data"]["debug"].splitlines()[-1] == \
        f"odoo.exceptions.ValidationError: {error['data']['message']}"
    read = client.post("/dev/odoo-demo/web/dataset/call_kw/sale.order/web_read",
                       json={**call, "id": 8})
    assert read.get_json() == {"jsonrpc": "2.0", "id": 8, "result": True}


def deliver(app):
    DeliveryWorker(app.extensions["outbox"].spool, settings_from_config(app.config)).run_once()


def test_the_outbox_page_shows_the_ticket_as_support_receives_it(dev_app):
    client = dev_app.test_client()
    assert 'data-outbox="empty"' in client.get("/dev/outbox").get_data(as_text=True)
    screenshot = image_bytes(320, 200)
    posted = client.post("/api/v1/reports", headers=bearer("demo"),
                         json=report_body(screenshot=data_url(screenshot)))
    assert posted.status_code == 202, posted.get_json()
    reference = posted.get_json()["reference"]
    deliver(dev_app)
    page = client.get("/dev/outbox")
    assert page.headers["Content-Security-Policy"].startswith("default-src 'none'")
    text = page.get_data(as_text=True)
    assert 'data-status="sent"' in text and reference in text
    # The HTML part is there, its cid: image turned into the PNG itself.
    srcdoc = re.search(r'srcdoc="([^"]*)"', text).group(1)
    assert "cid:" not in srcdoc
    assert "data:image/png;base64," in srcdoc
    # Every attachment listed, each downloadable with its own name and bytes.
    links = re.findall(r'href="(/dev/outbox/[^"]+/attachments/\d+)" download="([^"]+)"', text)
    assert sorted(name for _, name in links) == ["error-details.txt", "report.json",
                                                  "screenshot.png"]
    [eml] = Path(dev_app.config["OUTBOX"]).glob("sent/*/message.eml")
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    for link, name in links:
        response = client.get(link)
        assert response.status_code == 200
        assert response.headers["Content-Disposition"] == f"attachment; filename={name}"
        [part] = [p for p in message.walk() if p.get_filename() == name]
        assert response.data == part.get_payload(decode=True)
    assert client.get(links[0][0].rsplit("/", 1)[0] + "/9").status_code == 404
