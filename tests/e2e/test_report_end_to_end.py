"""From Odoo's error dialog to the ticket in support's mailbox, as a user does it (E1–E6, G1–G6).

Real Chromium with the extension, the fixture web client (Odoo 17's sales order form, whose
"Confirm" gets a ValidationError from JSON-RPC), the real detector and capture, the server
as a subprocess and a real SMTP server. The test counts the user's actions from the moment
the error is on screen to the receipt and prints the count.
"""
import base64
import io
import json
from datetime import datetime

import pytest
from PIL import Image, ImageChops, ImageStat
from playwright.sync_api import expect

from tests.e2e.test_report_form import (
    attachment,
    black_out,
    text_body,
)

pytestmark = pytest.mark.browser

ROUTE = "/web#id=42&cids=1&menu_id=178&action=312&model=sale.order&view_type=form"
MESSAGE = "The delivery date cannot be earlier than the order date."


def validation_error(message, *frames):
    """Odoo's JSON-RPC answer to a call that raised a ValidationError with `message` below
    the traceback lines `frames`."""
    traceback = "\n".join(["Traceback (most recent call last):", *frames,
                           f"odoo.exceptions.ValidationError: {message}"])
    return {"status": 200, "body": {"jsonrpc": "2.0", "id": None, "error": {
        "code": 200, "message": "Odoo Server Error",
        "data": {"name": "odoo.exceptions.ValidationError", "debug": traceback,
                 "message": message, "arguments": [message], "context": {},
                 "exception_type": "validation_error"}}}}


EXCEPTION_LINE = f"odoo.exceptions.ValidationError: {MESSAGE}"  # the traceback's last line
VALIDATION_ERROR = validation_error(
    MESSAGE,
    '  File "/opt/odoo/odoo/http.py", line 1584, in _serve_db',
    '  File "/opt/odoo/addons/sale/models/sale_order.py", line 640, in _check_commitment_date')
DOING = "Confirming the quotation for a new customer"
EXPECTED = "The quotation becomes a sales order"
EMAIL = "mitchell.admin@example.com"


def open_sales_order(browser, odoo_site, server, confirm_answer):
    """Odoo 17's sales order form, reporting to `server` with the demo key, whose "Confirm"
    gets `confirm_answer`: the page once its web client has made its first call."""
    browser.storage_set("sync", {"serverUrl": server.url, "customerKey": "demo"})
    odoo_site.use("odoo/17.0/page-form.html", rpc={"/web/dataset/call_button": confirm_answer})
    page = browser.new_page()
    page.goto(odoo_site.url(ROUTE))
    page.wait_for_function("window.fixtureLog && window.fixtureLog.length >= 1", timeout=10000)
    return page


def png(data):
    raw = data if isinstance(data, bytes) else base64.b64decode(data.split(",", 1)[1])
    return Image.open(io.BytesIO(raw)).convert("RGB")


def region_of(image, region, inset=2):
    x0, y0, x1, y1 = region
    return image.crop((x0 + inset, y0 + inset, x1 - inset, y1 - inset))


def colors(image, region):
    """The set of colours inside `region` (a few pixels in from its edge)."""
    crop = region_of(image, region)
    return {color for _, color in crop.getcolors(maxcolors=crop.width * crop.height)}


def looks_the_same(sent, captured, region):
    """`region` of the ticket's image is the captured one: the server re-encodes it (issue 13:
    a palette of the screen's own colours), so nearly every pixel within 3 of 255, none far."""
    difference = ImageChops.difference(region_of(sent, region), region_of(captured, region))
    histogram = difference.convert("L").histogram()
    return sum(histogram[:4]) >= 0.99 * sum(histogram) and max(
        ImageStat.Stat(difference).mean) < 1


def private_region(page):
    """The customer field of the form under the dialog: what the user blacks out."""
    label = "label.o_form_label:has-text('Customer')"
    field = page.eval_on_selector(label, "label => label.htmlFor")
    box = page.locator(f"#{field}").bounding_box()
    x, y = box["x"], box["y"]
    return tuple(round(v) for v in (x, y, x + box["width"], y + box["height"]))


def same_instant(a, b):
    def parse(text):
        return datetime.fromisoformat(text.replace("Z", "+00:00"))

    return parse(a) == parse(b)


def test_from_error_dialog_to_ticket_email(browser, odoo_site, mail_server, smtp_server):
    page = open_sales_order(browser, odoo_site, mail_server, confirm_answer=VALIDATION_ERROR)
    # Before the error: the user works in Odoo (the steps trail records it, E4).
    page.click(".o_notebook .nav-link:has-text('Other Info')")
    page.click(".o_statusbar_buttons button[name=action_confirm]")
    page.wait_for_selector(".modal .modal-title", timeout=10000)
    region = private_region(page)
    report_button = page.locator('[data-odoo-support="report"]')
    expect(report_button).to_be_visible(timeout=10000)

    # From here every user action is counted.
    actions = []
    with browser.context.expect_page(timeout=10000) as opened:
        report_button.click()
    actions.append("click 'Report to support'")
    form = opened.value
    form.wait_for_selector("body[data-ready=true]", timeout=15000)
    capture_id = form.url.split("capture=")[1].split("&")[0]
    capture = browser.sw.evaluate(
        "(id) => OSR.captures.getCapture({captureId: id})", capture_id)["capture"]
    assert capture["steps"], "the trail recorded the steps before the error"
    assert form.input_value("[name=title]").startswith(f"Validation Error: {MESSAGE[:-1]}")
    # Name and e-mail come from the Odoo session (the login is an e-mail address here).
    assert form.input_value("[name=reporter_name]") == "Mitchell Admin"
    assert form.input_value("[name=reporter_email]") == EMAIL

    form.fill("[name=doing]", DOING)
    actions.append("type what you were doing")
    form.fill("[name=expected]", EXPECTED)
    actions.append("type the expected result")
    black_out(form, region)
    actions.append("drag a black box over the customer's name")
    form.click("[data-odoo-support=send]")
    actions.append("click 'Send to support'")
    expect(form.locator("#receipt-view")).to_be_visible(timeout=20000)
    reference = form.text_content("#receipt-reference").removeprefix("Reference: ")
    print(f"\nUser actions from the error dialog to the receipt: {len(actions)}: "
          + "; ".join(actions))

    [message] = smtp_server.wait_for(1, timeout=30)
    assert reference in message["Subject"] and "Validation Error" in message["Subject"]
    assert message["Reply-To"].addresses[0].addr_spec == EMAIL

    # The screenshot: what the user saw, with the region black and the rest as it was.
    sent_image = png(attachment(message, "screenshot.png"))
    captured_image = png(capture["screenshot"])
    assert sent_image.size == captured_image.size
    assert colors(captured_image, region) != {(0, 0, 0)}
    assert colors(sent_image, region) == {(0, 0, 0)}
    outside = (region[0], region[3] + 40, region[2], region[3] + 80)
    assert looks_the_same(sent_image, captured_image, outside)

    # The error details, and every captured field, in the ticket.
    assert attachment(message, "error-details.txt").strip().endswith(EXCEPTION_LINE)
    sent = json.loads(attachment(message, "report.json"))
    assert sent["error"]["title"] == capture["error"]["title"] == "Validation Error"
    assert sent["error"]["message"] == MESSAGE
    assert sent["error"]["exception"] == "odoo.exceptions.ValidationError"
    assert EXCEPTION_LINE in sent["error"]["details"]
    assert sent["steps"] == capture["steps"]
    assert sent["doing"] == DOING and sent["expected"] == EXPECTED and sent["module"] == "Sales"
    assert sent["result"] == MESSAGE
    for key, value in capture["context"].items():
        if value in (None, "", []):
            continue
        if key == "occurred_at":
            assert same_instant(sent["context"][key], value)
        elif key == "rpc":
            assert {k: v for k, v in sent["context"]["rpc"].items() if v not in (None, "", [])} == \
                {k: v for k, v in value.items() if v not in (None, "", [])}
        else:
            assert sent["context"][key] == value, key
    body = text_body(message)
    for text in (DOING, EXPECTED, MESSAGE, *capture["steps"], capture["context"]["database"]):
        assert text in body
    assert len(actions) == 5
