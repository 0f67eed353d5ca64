"""The two-minute demo (issue 14), as a newcomer walks it: `make run`, the unpacked extension
pointed at it with the demo key, /dev/odoo-demo → Confirm fails → report → /dev/outbox.

The server is the real subprocess in dev mode with its delivery worker (mail to a file
folder, as `make run` has it). The screenshots the docs show are taken here:
`UPDATE_DOCS_SCREENSHOTS=1` writes them to docs/demo-*.png, otherwise to the test's folder.
"""
import os

import pytest
from playwright.sync_api import expect

from tests.conftest import ROOT
from tests.e2e.test_report_end_to_end import MESSAGE as DEMO_MESSAGE

pytestmark = pytest.mark.browser

DOING = "Confirming the quotation for a new customer"
EXPECTED = "The quotation becomes a sales order"


def screenshot_folder(tmp_path):
    return ROOT / "docs" if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == "1" else tmp_path


def test_from_the_demo_order_to_the_ticket_in_the_dev_outbox(browser, server_process, tmp_path):
    from server.demo import MESSAGE

    assert MESSAGE == DEMO_MESSAGE  # the demo fails as the end-to-end test's Odoo does
    shots = screenshot_folder(tmp_path)
    server = server_process(env={"SUPPORT_REPORTER_MAIL_URL": f"file://{tmp_path / 'mail'}"})
    assert f"{server.url}/dev/odoo-demo" in server.log.read_text()  # `make run` says where
    # What the options page saves when a newcomer types the server's address and `demo`.
    browser.storage_set("sync", {"serverUrl": server.url, "customerKey": "demo"})

    page = browser.new_page()
    page.goto(server.url + "/dev/odoo-demo")
    assert "/dev/odoo-demo/web#id=42" in page.url
    page.wait_for_function("window.fixtureLog && window.fixtureLog.length >= 1", timeout=10000)
    page.click(".o_statusbar_buttons button[name=action_confirm]")
    expect(page.locator(".modal .modal-title")).to_have_text("Validation Error", timeout=10000)
    expect(page.locator(".modal .modal-body")).to_contain_text(MESSAGE)
    report_button = page.locator('[data-odoo-support="report"]')
    expect(report_button).to_be_visible(timeout=10000)
    page.screenshot(path=str(shots / "demo-1-odoo-error.png"))

    with browser.context.expect_page(timeout=10000) as opened:
        report_button.click()
    form = opened.value
    form.wait_for_selector("body[data-ready=true]", timeout=15000)
    assert form.input_value("[name=title]").startswith("Validation Error")
    form.fill("[name=doing]", DOING)
    form.fill("[name=expected]", EXPECTED)
    form.screenshot(path=str(shots / "demo-2-report-form.png"), full_page=True)
    form.click("[data-odoo-support=send]")
    expect(form.locator("#receipt-view")).to_be_visible(timeout=20000)
    reference = form.text_content("#receipt-reference").removeprefix("Reference: ")

    outbox = browser.new_page()
    outbox.goto(server.url + "/dev/outbox")
    ticket = outbox.locator("article.ticket").filter(has=outbox.locator('[data-status="sent"]'))
    for _ in range(60):  # the delivery worker sends within about a second: look again
        if ticket.count():
            break
        outbox.wait_for_timeout(500)
        outbox.reload()
    expect(ticket).to_have_count(1)
    expect(ticket.locator('[data-header="Subject"]')).to_contain_text(reference)
    expect(ticket.locator('[data-header="Subject"]')).to_contain_text("Validation Error")
    # The message as support sees it, with the screenshot inline and really drawn.
    message = outbox.frame_locator("article.ticket iframe")
    expect(message.locator("body")).to_contain_text(DOING)
    expect(message.locator("body")).to_contain_text(MESSAGE)
    image = message.locator("img").first
    expect(image).to_be_visible()
    width, height = image.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert width >= 640 and height >= 400, (width, height)  # the captured tab, not a stub
    names = ticket.locator("a[download]").all_text_contents()
    assert sorted(names) == ["error-details.txt", "report.json", "screenshot.png"]
    outbox.screenshot(path=str(shots / "demo-3-ticket.png"), full_page=True)
