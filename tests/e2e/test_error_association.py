"""A captured error carries its own traceback and call, never another error's (E1, E6).

Seen on a real Odoo 17: an "Invalid Operation" dialog (deleting the admin user) was
closed, then a missing record was opened; the "Can't fetch record(s)" notification's
ticket carried the admin-delete traceback and the `res.users/unlink` call.
Here the 17.0 fixture shows the user error dialog on load; the test closes it, lets the
page read a missing record (a successful JSON-RPC call, as Odoo's web_read of a
deleted id is) and shows Odoo 17's notification for it
(web/static/src/model/relational_model/relational_model.js `fetchRecordErrorHandler`:
a sticky danger notification without a title).
"""
import json

import pytest

from tests.e2e.page_scripts import CALL_KW, notification
from tests.fixture_server import FIXTURES

pytestmark = pytest.mark.browser

WAIT_MS = 8000
FETCH_MESSAGE = "Can't fetch record(s) 999999. They might have been deleted."
EXPECTED = FIXTURES / "odoo" / "17.0" / "expected.json"
ROUTE = json.loads(EXPECTED.read_text(encoding="utf-8"))["route"]

# Odoo 17's notification after the page's own read of the missing record.
SHOW_FETCH_ERROR = """async (message) => {""" + CALL_KW + """
  await callKw("res.partner", "web_read", [[999999]]);
  (""" + notification("danger") + """)(message);
}
"""


def capture_of(browser, page, selector):
    """The stored capture of the dialog or notification `selector` once it is made."""
    captured = f"{selector}[data-odoo-support-capture]"
    page.wait_for_selector(captured, state="attached", timeout=WAIT_MS)
    capture_id = page.get_attribute(captured, "data-odoo-support-capture")
    answer = browser.sw.evaluate("(id) => OSR.captures.getCapture({captureId: id})", capture_id)
    return answer["capture"]


def test_a_later_notification_does_not_carry_an_earlier_dialogs_traceback(browser, odoo_site):
    # Odoo answers the read of a deleted id with no record, not an error.
    odoo_site.use("odoo/17.0/user.html", rpc={"/web/dataset/call_kw/res.partner/web_read": {
        "body": {"jsonrpc": "2.0", "id": 99, "result": []}}})
    page = browser.new_page()
    page.goto(odoo_site.url(ROUTE))
    first = capture_of(browser, page, ".modal")
    # The dialog's own error is taken.
    assert "odoo.exceptions.UserError" in first["error"]["details"]
    assert first["context"]["rpc"]["method"] == "action_confirm"
    # The form remembers a typed e-mail for this Odoo user of this database only (G3).
    assert first["reporter"]["account"] == {
        "origin": odoo_site.origin, "database": "acme-production", "uid": 2}
    page.click(".modal .modal-footer .o-default-button")
    page.wait_for_selector(".modal", state="detached")

    page.evaluate(SHOW_FETCH_ERROR, FETCH_MESSAGE)
    second = capture_of(browser, page, ".o_notification")

    assert second["error"]["message"] == FETCH_MESSAGE
    assert "Traceback" not in (second["error"]["details"] or "")
    assert second["error"]["exception"] is None
    # Not borrowed from the old error either: the read that answered no record for the
    # notification's id makes it a missing record, whatever the language.
    assert second["error"]["kind"] == "missing"
    # The call that read the missing record, not the earlier failed action.
    assert second["context"]["rpc"]["model"] == "res.partner"
    assert second["context"]["rpc"]["method"] == "web_read"


def test_a_danger_notification_not_naming_the_unread_record_is_no_missing_record(
        browser, odoo_site):
    odoo_site.use("odoo/17.0/user.html", rpc={"/web/dataset/call_kw/res.partner/web_read": {
        "body": {"jsonrpc": "2.0", "id": 99, "result": []}}})
    page = browser.new_page()
    page.goto(odoo_site.url(ROUTE))
    capture_of(browser, page, ".modal")
    page.click(".modal .modal-footer .o-default-button")
    page.wait_for_selector(".modal", state="detached")

    page.evaluate(SHOW_FETCH_ERROR, "The export of 12 lines failed.")
    captured = capture_of(browser, page, ".o_notification")

    assert captured["error"]["kind"] == "warning"


# The client-error page with its own error held back (?delay), so that the test decides the order:
# first an ordinary call, then a JavaScript error in a click handler, as in Odoo.
CLIENT_ROUTE = ROUTE.replace("/web#", "/web?delay=600000#")
READ_THEN_BREAK = """async () => {""" + CALL_KW + """
  await callKw("res.partner", "web_search_read", []);
  setTimeout(() => { const order = null; return order.display_name; }, 0);
}
"""
JS_MESSAGE = "Cannot read properties of null (reading 'display_name')"


def test_a_client_errors_report_names_the_javascript_error_not_an_earlier_call(
        browser, odoo_site):
    odoo_site.use("odoo/17.0/client.html")
    page = browser.new_page()
    page.goto(odoo_site.url(CLIENT_ROUTE))
    page.wait_for_selector("body.o_web_client")
    page.evaluate(READ_THEN_BREAK)
    captured = capture_of(browser, page, ".modal")

    assert captured["error"]["kind"] == "client"
    assert captured["error"]["message"] == f"TypeError: {JS_MESSAGE}"
    assert captured["context"]["rpc"] is None  # the earlier read did not break in the browser
    form = browser.new_page()
    capture_id = page.get_attribute(".modal", "data-odoo-support-capture")
    form.goto(browser.page_url(f"report/report.html?kind=error&capture={capture_id}"))
    form.wait_for_selector("body[data-ready=true]", timeout=15000)
    title = form.input_value("[name=title]")
    assert title.startswith(f"TypeError: {JS_MESSAGE}")
    assert "web_search_read" not in title
    assert form.input_value("[name=result]") == f"TypeError: {JS_MESSAGE}"


def test_a_connection_lost_notifications_suggested_title_says_it_once(browser, odoo_site):
    """Odoo's "Connection lost" notification has no title: its message is both."""
    odoo_site.use("odoo/17.0/connection-lost.html")
    page = browser.new_page()
    page.goto(odoo_site.url(ROUTE))
    captured = capture_of(browser, page, ".o_notification")
    assert captured["error"]["kind"] == "network"
    capture_id = page.get_attribute(".o_notification", "data-odoo-support-capture")
    form = browser.new_page()
    form.goto(browser.page_url(f"report/report.html?kind=error&capture={capture_id}"))
    form.wait_for_selector("body[data-ready=true]", timeout=15000)
    title = form.input_value("[name=title]")
    assert title == "Connection lost. Trying to reconnect... — Quotations / S00042 (action_confirm)"
