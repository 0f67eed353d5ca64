"""The toolbar popup: A1–A3 before "Ask support anyway" (A4), and recent reports' status."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_report_form import configure, fill_question
from tests.server.samples import customer_toml

pytestmark = pytest.mark.browser
KEY = "popup-test-key"
GUIDE = "https://wiki.acme.example/odoo/myynti"


@pytest.fixture
def acme_server(tmp_path, server_process, smtp_server, odoo_sites):
    """A configured server (not dev mode): one customer with guide, key user and both origins."""
    production, staging = odoo_sites
    config = tmp_path / "support-reporter.toml"
    config.write_text('mail_from = "Support Reporter <reporter@partner.example>"\n' + customer_toml(
        KEY, language="en", production_origins=[production.origin],
        staging_origins=[staging.origin], process_guide_url=GUIDE), encoding="utf-8")
    return server_process(env={
        "SUPPORT_REPORTER_CONFIG": str(config), "SUPPORT_REPORTER_MAIL_URL": smtp_server.url})


def odoo_tab(browser, server, site, path="/odoo/sales/42"):
    """An Odoo 18 sales order open on `site`, the extension set up for Acme; its tab id."""
    configure(browser, server, key=KEY)
    site.use("odoo/18.0/env-sale-order.html")
    odoo = browser.new_page()
    odoo.goto(site.url(path))
    # The content script has recognised the page once it has decided its environment.
    odoo.wait_for_selector("html[data-odoo-support-environment]", state="attached", timeout=10000)
    tabs = browser.sw.evaluate("chrome.tabs.query({})")
    return next(tab["id"] for tab in tabs if tab["url"] == odoo.url)


def open_popup(browser, tab):
    page = browser.new_page()
    page.goto(browser.page_url(f"popup/popup.html?tab={tab}"))
    page.wait_for_selector("body[data-ready=true]", timeout=20000)
    return page


def test_popup_offers_guide_docs_staging_and_key_user_first(browser, acme_server, odoo_sites):
    production, staging = odoo_sites
    popup = open_popup(browser, odoo_tab(browser, acme_server, production))
    # A1: the customer's process guide and the Odoo manual for this app and version.
    assert popup.get_attribute("#guide-link", "href") == GUIDE
    docs = popup.get_attribute("#docs-link", "href")
    assert re.fullmatch(
        r"https://www\.odoo\.com/documentation/18\.0/applications/sales/sales\.html", docs)
    # A2: the same page in staging.
    assert popup.get_attribute("#staging-link", "href") == staging.url("/odoo/sales/42")
    # A3: the key user.
    assert popup.text_content("#key-user-link") == "Kaisa Pääkäyttäjä <kaisa@acme.example>"
    assert popup.get_attribute("#key-user-link", "href") == "mailto:kaisa@acme.example"
    # The first steps come before the button, in the page and in the focus order.
    order = popup.evaluate("""() => [...document.querySelectorAll('a[href], button:not([hidden])')]
        .map((element) => element.id)""")
    assert order.index("guide-link") < order.index("docs-link") < order.index("staging-link") \
        < order.index("key-user-link") < order.index("ask-anyway")
    assert popup.text_content("#no-reports") == "No reports yet."


def test_popup_in_staging_says_it_is_safe_to_try(browser, acme_server, odoo_sites):
    _, staging = odoo_sites
    popup = open_popup(browser, odoo_tab(browser, acme_server, staging))
    assert popup.locator("#staging-link").is_hidden()
    assert popup.text_content("#staging-note") == "You are in staging: it is safe to try it here."


def send_question(browser, tab):
    """Ask support anyway from the popup, fill the question form, send it; its reference."""
    popup = open_popup(browser, tab)
    assert popup.locator("#include-screenshot").is_checked()
    with browser.context.expect_page(timeout=15000) as opened:
        popup.click("#ask-anyway")
    form = opened.value
    form.wait_for_selector("body[data-ready=true]", timeout=15000)
    assert "kind=question" in form.url
    assert form.locator("#checklist").is_visible()
    assert form.locator("#screenshot-canvas").is_visible()  # the Odoo page, as asked for
    fill_question(form, "How to send a quotation by post instead of e-mail", "Sales",
                  "Sending quotation S00042 to a customer without e-mail",
                  "A printable quotation to post")
    form.check("[name=checked_guide]")
    form.click("[data-odoo-support=send]")
    expect(form.locator("#receipt-view")).to_be_visible(timeout=20000)
    return form.text_content("#receipt-reference").removeprefix("Reference: ")


def first_report_once(browser, tab, shown):
    """The popup's newest report, reloaded until its text contains `shown`."""
    popup = open_popup(browser, tab)
    item = popup.locator("#report-list li").first
    for _ in range(10):
        if shown in item.text_content():
            break
        popup.reload()
        popup.wait_for_selector("body[data-ready=true]", timeout=20000)
        item = popup.locator("#report-list li").first
    return item.text_content()


def test_ask_anyway_opens_the_question_form_and_lists_the_report(
        browser, acme_server, odoo_sites, smtp_server):
    production, _ = odoo_sites
    tab = odoo_tab(browser, acme_server, production)
    reference = send_question(browser, tab)
    message = smtp_server.wait_for(1, timeout=20)[0]
    assert message["To"] == "tuki@partner.example"
    # Recent reports, with the delivery status from GET /api/v1/reports/<id>.
    text = first_report_once(browser, tab, "Delivered to support")
    assert "How to send a quotation by post instead of e-mail" in text and reference in text
    assert "Delivered to support" in text


def test_a_failed_delivery_shows_a_classified_reason_never_the_mail_server_s(
        browser, acme_server, odoo_sites, smtp_server):
    """Issue 9: the server answers a failure code and its message; the 550 text stays there."""
    smtp_server.set_mode("550")
    production, _ = odoo_sites
    tab = odoo_tab(browser, acme_server, production)
    reference = send_question(browser, tab)
    text = first_report_once(browser, tab, "E-mail delivery failed")
    assert reference in text and "E-mail delivery failed" in text
    assert "The mail server refused this report." in text
    assert "550" not in text and "mailbox unavailable" not in text
