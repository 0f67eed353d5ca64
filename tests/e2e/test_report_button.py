"""The "Report to support" button: opens the report form with this error's capture (E2)."""

import json
import re

import pytest

from tests.fixture_server import FIXTURES

pytestmark = pytest.mark.browser

BUTTON = '[data-odoo-support="report"]'
WAIT_MS = 8000


def route(version, page_name=None):
    """The page's route: the web client's, or the shop's for frontend pages."""
    spec = json.loads((FIXTURES / "odoo" / version / "expected.json").read_text(encoding="utf-8"))
    return spec.get("routes", {}).get(page_name, spec["route"])


@pytest.mark.parametrize("version,page_name", [
    ("14.0", "validation"), ("17.0", "server"), ("19.0", "connection-lost"),
    ("18.0", "frontend-notification-danger"),  # a website page, not the web client
])
def test_click_opens_the_report_form_with_this_capture(browser, odoo_site, version, page_name):
    odoo_site.use(f"odoo/{version}/{page_name}.html")
    page = browser.new_page()
    page.goto(odoo_site.url(route(version, page_name)))
    page.wait_for_selector("[data-odoo-support-capture]", state="attached", timeout=WAIT_MS)
    capture_id = page.get_attribute("[data-odoo-support-capture]", "data-odoo-support-capture")
    with browser.context.expect_page(timeout=WAIT_MS) as opened:
        page.click(BUTTON)
    form = opened.value
    form.wait_for_load_state()
    assert form.url.startswith(browser.page_url("report/report.html"))
    assert re.search(rf"[?&]capture={re.escape(capture_id)}(&|$)", form.url)
    assert "kind=error" in form.url
    # The click is ours alone: Odoo's dialog or notification is still there to read.
    assert page.locator("[data-odoo-support-detected]").count() == 1


def test_odoo_close_button_still_closes_the_dialog(browser, odoo_site):
    odoo_site.use("odoo/16.0/user.html")
    page = browser.new_page()
    page.goto(odoo_site.url(route("16.0")))
    page.wait_for_selector(BUTTON, timeout=WAIT_MS)
    page.click(".modal-footer .o-default-button")
    page.wait_for_selector(".modal", state="detached", timeout=WAIT_MS)
