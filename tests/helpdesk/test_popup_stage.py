"""The user sees what became of the report: the popup shows the helpdesk ticket's number
and stage, read back from the real Odoo helpdesk, in the browser's language."""
import pytest

from tests.e2e.conftest import launch, playwright  # noqa: F401 - the shared Playwright fixture
from tests.helpdesk.test_helpdesk import company, config_file, tickets_of, wait_for  # noqa: F401
from tests.server.samples import ACME_KEY, report_body

pytestmark = pytest.mark.browser


def popup_item(browser):
    page = browser.new_page()
    page.goto(browser.page_url("popup/popup.html"))
    page.wait_for_selector("body[data-ready=true]", timeout=20000)
    text = page.locator("#report-list li").first.text_content()
    page.close()
    return text


@pytest.mark.parametrize(("lang", "solved"), [("en-US", "Solved"), ("fi-FI", "Ratkaistu"),
                                              ("sv-SE", "Löst")])
def test_the_popup_shows_the_ticket_number_and_its_stage(
        playwright, helpdesk_odoo, company, server_process, tmp_path, lang, solved):  # noqa: F811
    server = server_process(config_file(tmp_path, helpdesk_odoo))
    browser = launch(playwright, tmp_path / "profile", lang=lang)
    try:
        browser.storage_set("sync", {"serverUrl": server.url, "customerKey": ACME_KEY})
        answer = browser.sw.evaluate(
            "(report) => OSR.messages.dispatch({type: 'send-report', data: {report}})",
            report_body())
        reference = answer["receipt"]["reference"]
        [ticket] = wait_for(lambda: tickets_of(helpdesk_odoo, reference), what="the ticket")
        number, stage = ticket["number"], ticket["stage_id"][1]
        shown = wait_for(lambda: (text := popup_item(browser)) and f"{number} — " in text
                         and text, what="the ticket in the popup")
        assert f"{number} — {stage}" in shown and reference in shown
        closing = helpdesk_odoo.execute("helpdesk.ticket.stage", "search",
                                        [["closed", "=", True]], limit=1)
        helpdesk_odoo.execute("helpdesk.ticket", "write", [ticket["id"]],
                              {"stage_id": closing[0]})
        shown = wait_for(lambda: (text := popup_item(browser)) and solved in text and text,
                         what="the solved stage in the popup")
        assert f"{number} — {solved}" in shown
    finally:
        browser.context.close()
