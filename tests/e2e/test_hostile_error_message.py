"""Issue 9 in the browser: an Odoo error message that carries an encoded-word cannot steer
the ticket (CVE-2024-6923 on the server's Python 3.11.7).

A record name such as `=?utf-8?q?x=0ABcc:_evil@attacker.example?=` shown in Odoo's
ValidationError pre-fills the report's title; the user sends the report as usual. Real
Chromium with the extension, the fixture web client, the server as a subprocess and a real
SMTP server: the only RCPT is the support address, and the Subject shows the text literally.
"""
import pytest
from playwright.sync_api import expect

from tests.e2e.test_report_end_to_end import (
    DOING,
    EXPECTED,
    open_sales_order,
    validation_error,
)
from tests.server.hostile import ATTACKER

pytestmark = pytest.mark.browser

RECORD = f"=?utf-8?q?x=0ABcc:_{ATTACKER}?="
MESSAGE = f"The customer {RECORD} has no invoice address."
VALIDATION_ERROR = validation_error(
    MESSAGE, '  File "/opt/odoo/addons/sale/models/sale_order.py", line 640, in action_confirm')


def test_an_encoded_word_in_the_odoo_error_reaches_only_the_support_address(
        browser, odoo_site, mail_server, smtp_server):
    page = open_sales_order(browser, odoo_site, mail_server, confirm_answer=VALIDATION_ERROR)
    page.click(".o_statusbar_buttons button[name=action_confirm]")
    expect(page.locator(".modal .modal-body")).to_contain_text(RECORD, timeout=10000)
    report_button = page.locator('[data-odoo-support="report"]')
    expect(report_button).to_be_visible(timeout=10000)
    with browser.context.expect_page(timeout=10000) as opened:
        report_button.click()
    form = opened.value
    form.wait_for_selector("body[data-ready=true]", timeout=15000)
    title = form.input_value("[name=title]")
    assert RECORD in title  # the pre-filled title carries the record name as Odoo showed it

    form.fill("[name=doing]", DOING)
    form.fill("[name=expected]", EXPECTED)
    form.click("[data-odoo-support=send]")
    expect(form.locator("#receipt-view")).to_be_visible(timeout=20000)
    reference = form.text_content("#receipt-reference").removeprefix("Reference: ")

    [message] = smtp_server.wait_for(1, timeout=30)
    assert smtp_server.envelopes == [(smtp_server.envelopes[0][0], ["support@example.com"])]
    assert [a.addr_spec for a in message["To"].addresses] == ["support@example.com"]
    assert message["Cc"] is None and message["Bcc"] is None
    assert message.get_all("Subject") == [f"[{reference}] Demo Customer · Sales · {title}"]
    assert RECORD in message["Subject"]  # literal text, not a decoded line break
    head = smtp_server.raw[0].split(b"\r\n\r\n", 1)[0]
    assert ATTACKER.encode() not in head
