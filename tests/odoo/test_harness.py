"""The real-Odoo harness itself: every test's browser starts as a fresh profile would."""
import pytest

from tests.e2e.conftest import close_pages
from tests.odoo.instance import OdooInstance
from tests.odoo.pages import WAIT_MS, forget_site_data, open_page, open_web_client

pytestmark = pytest.mark.browser

CONTACTS_LIST = "/web#model=res.partner&view_type=list&action=contacts.action_contacts"
REGISTERED = "async () => (await navigator.serviceWorker.getRegistrations()).length > 0"
LEFT_OVER = """async () => ({
  registrations: (await navigator.serviceWorker.getRegistrations()).map((r) => r.scope),
  stored: localStorage.getItem("osr-left-over"),
})"""


def test_nothing_odoo_stored_for_one_test_reaches_the_next(odoo, browser):
    """Odoo's service worker (17+) and local storage, gone before the next test's first page."""
    page = open_web_client(browser, odoo, CONTACTS_LIST)
    page.evaluate("localStorage.setItem('osr-left-over', 'the previous user')")
    if odoo.tree.major >= 17:
        page.wait_for_function(REGISTERED, timeout=WAIT_MS)
    close_pages(browser)
    forget_site_data(browser, OdooInstance.origins)
    page = open_page(browser, odoo, "/web/login", login=None)
    assert page.evaluate(LEFT_OVER) == {"registrations": [], "stored": None}
