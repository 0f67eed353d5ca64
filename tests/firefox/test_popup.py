"""Firefox: the toolbar popup's first steps (A1–A3), "Ask support anyway" (A4) to the e-mail.

The popup is opened as the toolbar does it, for the Odoo tab (`?tab=<id>`), in a window of its
own so that the Odoo tab stays the visible one: the question's screenshot is of Odoo.
"""
import pytest

from tests.e2e.test_environment import PAGE_18
from tests.e2e.test_report_form import attachment, fill_question, text_body
from tests.firefox.conftest import EXTENSION_ORIGIN
from tests.firefox.test_report import SUPPORT_ADDRESS, new_messages

pytestmark = [pytest.mark.browser, pytest.mark.firefox]

ROUTE = "/odoo/sales/42"
TITLE = "How to send a quotation by post instead of e-mail"


def open_popup(firefox, console, odoo):
    tab_id = console.evaluate(
        "(url) => browser.tabs.query({}).then((tabs) => tabs.find((t) => t.url === url).id)",
        odoo.url)
    before = firefox.open_pages()
    console.evaluate("(tab) => browser.windows.create({type: 'popup', width: 420, height: 640, "
                     "url: browser.runtime.getURL(`popup/popup.html?tab=${tab}`)})", tab_id)
    popup = firefox.wait_for_page(EXTENSION_ORIGIN + "popup/popup.html", before)
    popup.wait_for_selector("body[data-ready=true]", timeout=20000)
    return popup


def test_ask_anyway_sends_a_question_with_the_odoo_page(
        firefox, console, new_page, sites, smtp_sink):
    production, staging = sites
    production.use(PAGE_18)
    odoo = new_page()
    odoo.goto(production.url(ROUTE))
    odoo.wait_for_selector("html[data-odoo-support-environment]")
    popup = open_popup(firefox, console, odoo)
    new_page.pages.append(popup)
    # A1–A3 first: the customer's guide, Odoo's manual for this app and version, staging, key user.
    assert popup.attribute("#guide-link", "href") == "https://example.com/process-guide"
    assert popup.attribute("#docs-link", "href") == \
        "https://www.odoo.com/documentation/18.0/applications/sales/sales.html"
    assert popup.attribute("#staging-link", "href") == staging.url(ROUTE)
    assert popup.text("#key-user-link") == "Demo Key User <key.user@example.com>"
    assert popup.evaluate("() => document.getElementById('include-screenshot').checked")

    before_pages = firefox.open_pages()
    popup.click("#ask-anyway")
    form = firefox.wait_for_page(EXTENSION_ORIGIN + "report/report.html?kind=question",
                                 before_pages)
    new_page.pages.append(form)
    form.wait_for_selector("body[data-ready=true]", timeout=15000)
    assert form.is_visible("#checklist")
    assert form.is_visible("#screenshot-canvas"), "the Odoo page's screenshot, as asked for"
    before = len(smtp_sink.messages)
    fill_question(form, TITLE, "Sales", "Sending quotation S00042 to a customer without e-mail",
                  "A printable quotation to post")
    form.click("[name=checked_guide]")
    form.click("[data-odoo-support=send]")
    form.wait_for_selector("#receipt-view", visible=True, timeout=20000)
    reference = form.text("#receipt-reference").removeprefix("Reference: ")

    [message] = new_messages(smtp_sink, before, 1)
    assert reference in message["Subject"]
    assert smtp_sink.envelopes[before][1] == [SUPPORT_ADDRESS]
    assert attachment(message, "screenshot.png"), "the page's screenshot, inline and saveable"
    assert "Sending quotation S00042" in text_body(message)
    # The popup lists it, with its reference.
    again = open_popup(firefox, console, odoo)
    new_page.pages.append(again)
    first = again.text("#report-list li")
    assert TITLE in first and reference in first
