"""Firefox: from Odoo's error dialog to the ticket in support's mailbox (E1–E6, G1–G6).

The shared Firefox ESR is configured by its policies.json (server, key, origins); the fixture
web client (Odoo 17's sales order form) gets a ValidationError on "Confirm"; the user reports
it from the dialog; the real server subprocess mails the ticket to the real SMTP sink. Then the
same with the server down: the report waits, and is delivered exactly once when it is back.
"""
import json

import pytest

from tests.drained import wait_until_drained
from tests.e2e.test_report_end_to_end import (
    DOING,
    EMAIL,
    EXCEPTION_LINE,
    EXPECTED,
    MESSAGE,
    VALIDATION_ERROR,
    colors,
    looks_the_same,
    png,
)
from tests.e2e.test_report_form import attachment, text_body
from tests.firefox.conftest import BUTTON, WEB_ROUTE

pytestmark = [pytest.mark.browser, pytest.mark.firefox]

SUPPORT_ADDRESS = "support@example.com"  # the dev-mode demo customer's support mailbox
# The customer field of the form under the dialog, in page pixels: what the user blacks out.
PRIVATE_REGION = """() => {
  const label = [...document.querySelectorAll("label.o_form_label")]
    .find((l) => l.textContent.trim() === "Customer");
  const box = document.getElementById(label.htmlFor).getBoundingClientRect();
  return [box.left, box.top, box.right, box.bottom].map(Math.round);
}"""
# Where image pixel (x, y) of the screenshot editor's canvas is in the form window.
CANVAS_POINT = """(x, y) => {
  const canvas = document.getElementById("screenshot-canvas");
  canvas.scrollIntoView({block: "center"});
  const box = canvas.getBoundingClientRect();
  const scale = box.width / canvas.width;
  return [box.left + x * scale, box.top + y * scale];
}"""


def error_on_confirm(firefox, new_page, production):
    """The sales order form; the user opens a tab, clicks Confirm and gets the error dialog."""
    production.use("odoo/17.0/page-form.html",
                   rpc={"/web/dataset/call_button": VALIDATION_ERROR})
    page = new_page()
    page.goto(production.url(WEB_ROUTE))
    page.wait_for("() => window.fixtureLog && window.fixtureLog.length >= 1")
    page.click(".o_notebook .nav-link::-p-text(Other Info)")
    page.click(".o_statusbar_buttons button[name=action_confirm]")
    page.wait_for_selector(f".modal {BUTTON}", visible=True)
    return page


def black_out(form, region):
    x0, y0, x1, y1 = region
    start = form.evaluate(CANVAS_POINT, x0 - 5, y0 - 5)
    end = form.evaluate(CANVAS_POINT, x1 + 5, y1 + 5)
    form.drag(start, end)


def capture_of(firefox, form):
    capture_id = form.evaluate("() => new URL(location.href).searchParams.get('capture')")
    return firefox.message("get-capture", {"captureId": capture_id})["capture"]


def new_messages(sink, before, count, timeout=30):
    """The messages after the first `before`, once `count` of them arrived."""
    return sink.wait_for(before + count, timeout=timeout)[before:]


def test_from_error_dialog_to_ticket_email(firefox, console, new_page, sites, smtp_sink):
    production, _ = sites
    page = error_on_confirm(firefox, new_page, production)
    region = page.evaluate(PRIVATE_REGION)
    before = len(smtp_sink.messages)

    form = new_page.report_form(page)
    capture = capture_of(firefox, form)
    assert capture["steps"], "the trail recorded the steps before the error"
    assert form.value("[name=title]").startswith(f"Validation Error: {MESSAGE[:-1]}")
    assert form.value("[name=reporter_name]") == "Mitchell Admin"
    assert form.value("[name=reporter_email]") == EMAIL
    # Firefox's captureVisibleTab took the tab as the user saw it, dialog included.
    captured_image = png(capture["screenshot"])
    assert captured_image.size == (1280, 800)
    assert colors(captured_image, region) != {(0, 0, 0)}

    form.fill("[name=doing]", DOING)
    form.fill("[name=expected]", EXPECTED)
    black_out(form, region)
    form.click("[data-odoo-support=send]")
    form.wait_for_selector("#receipt-view", visible=True, timeout=20000)
    reference = form.text("#receipt-reference").removeprefix("Reference: ")

    [message] = new_messages(smtp_sink, before, 1)
    assert reference in message["Subject"] and "Validation Error" in message["Subject"]
    assert message["Reply-To"].addresses[0].addr_spec == EMAIL
    _, recipients = smtp_sink.envelopes[before]
    assert recipients == [SUPPORT_ADDRESS]
    assert [a.addr_spec for a in message["To"].addresses] == [SUPPORT_ADDRESS]
    # The screenshot is inline in the HTML's multipart/related, not an attachment (issue 9).
    filenames = sorted(part.get_filename() for part in message.walk() if part.get_filename())
    assert filenames == ["error-details.txt", "report.json", "screenshot.png"]

    # The screenshot: what the user saw, with the region black and the rest as it was.
    sent_image = png(attachment(message, "screenshot.png"))
    assert sent_image.size == captured_image.size
    assert colors(sent_image, region) == {(0, 0, 0)}
    outside = (region[0], region[3] + 40, region[2], region[3] + 80)
    assert looks_the_same(sent_image, captured_image, outside)

    assert attachment(message, "error-details.txt").strip().endswith(EXCEPTION_LINE)
    sent = json.loads(attachment(message, "report.json"))
    assert sent["error"]["title"] == "Validation Error" and sent["error"]["message"] == MESSAGE
    assert sent["error"]["exception"] == "odoo.exceptions.ValidationError"
    assert sent["steps"] == capture["steps"]
    assert sent["doing"] == DOING and sent["expected"] == EXPECTED and sent["module"] == "Sales"
    assert "Firefox/" in sent["context"]["browser"]
    body = text_body(message)
    for text in (DOING, EXPECTED, MESSAGE, *capture["steps"], capture["context"]["database"]):
        assert text in body
    assert message.get_body(("html",)) is not None, "the ticket has its HTML part too"


@pytest.mark.slow
def test_server_down_while_sending_waits_then_exactly_one_email(
        firefox, console, new_page, sites, smtp_sink, support_server):
    production, _ = sites
    page = error_on_confirm(firefox, new_page, production)
    form = new_page.report_form(page)
    form.fill("[name=doing]", DOING)
    form.fill("[name=expected]", EXPECTED)
    before = len(smtp_sink.messages)
    support_server.kill()
    try:
        form.click("[data-odoo-support=send]")
        # The user sees that it waits, and why.
        form.wait_for_selector("#waiting-view", visible=True, timeout=15000)
        assert "cannot be reached" in form.text("#waiting-reason")
        waiting = firefox.message("list-reports", {"delivery": False})["reports"][0]
        assert waiting["status"] == "waiting" and waiting["lastError"] == "ERROR_OFFLINE"
        # Stored in the extension's own storage, with its body, before any answer came.
        key = f"report:{waiting['clientReportId']}"
        assert firefox.storage_get("local", key)[key]["report"]["doing"] == DOING
    finally:
        support_server.start()  # the same port again
    # Retried with backoff (5 s, 10 s, ...) until the 202; the open form turns into the receipt.
    form.wait_for_selector("#receipt-view", visible=True, timeout=60000)
    # Sent on both sides, nothing left in either queue: no second e-mail can come now.
    [sent] = wait_until_drained(lambda: firefox.message("list-reports")["reports"],
                                support_server.outbox, {waiting["clientReportId"]})
    [message] = smtp_sink.messages[before:]
    reference = form.text("#receipt-reference").removeprefix("Reference: ")
    assert reference in message["Subject"]
    assert sent["receipt"]["reference"] == reference
    assert firefox.storage_get("local", key)[key]["report"] is None  # dropped once sent
