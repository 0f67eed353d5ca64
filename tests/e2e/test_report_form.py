"""The report form (E2–E6, G2–G6) in real Chromium, sending to a real server and SMTP sink.

The helpers here (a capture, the form, blacking out) are shared by the other report tests.
"""
import base64
import io
import json
import re
import subprocess

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.drained import wait_until_drained
from tests.e2e.conftest import ROOT

SCREENSHOT_SIZE = (800, 500)
SECRET_BOX = (100, 100, 300, 200)  # a red area standing for private data in the screenshot


def screenshot_data_url(size=SCREENSHOT_SIZE, secret=SECRET_BOX):
    """A PNG with a white page and a red "secret" rectangle, as a data URL."""
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).rectangle(secret, fill=(220, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def sample_capture(screenshot=True):
    """A capture as error-capture.js makes it for a Validation Error on posting an entry."""
    return {
        "error": {
            "kind": "validation", "title": "Validation Error",
            "message": "The entry MISC/2026/0007 is not balanced.",
            "details": "Traceback (most recent call last):\n  File \"odoo/models.py\", line 1\n"
                       "odoo.exceptions.ValidationError: The entry MISC/2026/0007 is not balanced.",
            "exception": "odoo.exceptions.ValidationError",
        },
        "context": {
            "url": "http://127.0.0.1:8069/odoo/accounting/7", "odoo_version": "18.0",
            "database": "acme-prod", "user": "Maija Meikäläinen", "company": "Acme Oy",
            "lang": "fi_FI", "app": "Accounting", "model": "account.move", "record_id": 7,
            "view_type": "form", "environment": "production", "browser": "Chromium",
            "occurred_at": "2026-11-27T21:00:00+00:00",
            "breadcrumbs": ["Journal Entries", "MISC/2026/0007"],
            "rpc": {"url": "/web/dataset/call_button/account.move/action_post",
                    "model": "account.move", "method": "action_post", "ids": [7]},
        },
        "steps": ["Opened Accounting", "Opened journal entry MISC/2026/0007", "Clicked \"Post\""],
        "screenshot": screenshot_data_url() if screenshot else None,
        "reporter": {"name": "Maija Meikäläinen", "email": "maija@example.com"},
    }


def configure(browser, server, key="demo"):
    browser.storage_set("sync", {"serverUrl": server.url, "customerKey": key})


def store_capture(browser, capture):
    answer = browser.sw.evaluate(
        "(capture) => OSR.messages.dispatch({type: 'store-capture', data: {capture}})", capture)
    return answer["captureId"]


def open_form(browser, capture_id=None, kind="error"):
    page = browser.new_page()
    query = f"kind={kind}" + (f"&capture={capture_id}" if capture_id else "")
    page.goto(browser.page_url(f"report/report.html?{query}"))
    page.wait_for_selector("body[data-ready=true]", timeout=15000)
    return page


def canvas_point(page, x, y):
    """Viewport coordinates of image pixel (x, y) in the screenshot editor."""
    canvas = page.locator("#screenshot-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    scale = box["width"] / page.evaluate("document.getElementById('screenshot-canvas').width")
    return box["x"] + x * scale, box["y"] + y * scale


def black_out(page, region):
    """Drag a black box over `region` (image pixels: x0, y0, x1, y1), slightly larger."""
    x0, y0, x1, y1 = region
    start = canvas_point(page, x0 - 5, y0 - 5)
    end = canvas_point(page, x1 + 5, y1 + 5)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=4)
    page.mouse.up()


def fill_answers(page, doing="Posting a journal entry for a supplier",
                 expected="The entry is posted and the vendor bill is paid"):
    page.fill("[name=doing]", doing)
    page.fill("[name=expected]", expected)


REPORTER = {"reporter_name": "Maija Meikäläinen", "reporter_email": "maija@example.com"}


def fill_question(form, title, module, doing, expected):
    """Types a question's answers, and Maija as the reporter, into the report form `form`."""
    answers = {"title": title, "module": module, "doing": doing, "expected": expected, **REPORTER}
    for name, value in answers.items():
        form.fill(f"[name={name}]", value)


def attachment(message, filename):
    """The content of the file a mail client can save as `filename` (attached or inline)."""
    for part in message.walk():
        if part.get_filename() == filename and not part.is_multipart():
            return part.get_content()
    raise AssertionError(f"no file {filename}")


def text_body(message):
    return message.get_body(("plain",)).get_content()


def report_count(server):
    """Reports the server accepted (its outbox spool), however far their delivery went."""
    return len([p for p in (server.workdir / "outbox").rglob("*.json")])


def test_built_in_title_rules_are_the_servers():
    """lib/title-rules.js' fallback copy equals what GET /api/v1/config serves (G2, E3)."""
    from server.validators.rules import title_rules

    script = "console.log(JSON.stringify(require('./extension/lib/title-rules.js').BUILT_IN_RULES))"
    built_in = json.loads(subprocess.check_output(["node", "-e", script], cwd=ROOT, timeout=30))
    served = {key: value for key, value in title_rules().items() if key != "normalization"}
    assert built_in == served


TITLE_SAMPLES = [
    "Vika Odoossa!!", "ERROR in ODOO", "Straße: Lieferung fehlt", "\ufb01le import error",
    "Laskun\u2028tila ei päivity", "Ongelma — ei toimi", "  Problem i Odoo?  ", "Проблема с счетом",
    "Validation Error: vienti MISC/2026/0007 ei täsmää", "odoo.exceptions.UserError in sale_order",
]


def test_title_normalization_is_the_servers():
    """The same words on both sides, so the form refuses exactly what the server refuses."""
    from server.validators.rules import title_words

    script = ("const {titleWords} = require('./extension/lib/title-rules.js');"
              "console.log(JSON.stringify(JSON.parse(process.argv[1]).map((t) => titleWords(t))))")
    in_js = json.loads(subprocess.check_output(
        ["node", "-e", script, json.dumps(TITLE_SAMPLES)], cwd=ROOT, timeout=30))
    assert in_js == [title_words(sample) for sample in TITLE_SAMPLES]


def server_title_verdict(title, error):
    """What the server says of a title: "generic", "too_short", "missing_error",
    "only_error_title" or None."""
    from marshmallow import ValidationError

    from server.validators import rules

    try:
        words = rules.title_words(title)
        if all(word in rules.GENERIC_WORDS for word in words):
            return "generic"
        rules.reject_generic_title(title)
    except ValidationError:
        return "too_short"
    try:
        rules.require_error_title_in_title(title, error["title"], error["message"])
    except ValidationError:
        return "missing_error"
    try:
        rules.require_more_than_the_dialog_title(title, error["title"])
    except ValidationError:
        return "only_error_title"
    return None


def test_title_verdicts_are_the_servers():
    """G2 and E3 decided alike in the form and on the server, for one error."""
    error = {"title": "Oops!", "message": "Laskua ei voi kirjata: tili puuttuu"}
    titles = [*TITLE_SAMPLES, "Laskun kirjaus kaatuu", "Laskun tila"]
    assert_same_verdicts(titles, error)


def test_title_verdicts_are_the_servers_for_a_named_error():
    """A title that only repeats the dialog's title is refused alike (G2 with E3)."""
    error = {"title": "Validation Error", "message": "The delivery date is before the order date"}
    titles = ["Validation Error in Odoo", "Error: Validation", "Validation Error when trying",
              "Validation Error when confirming sales order S00042", "Delivery date problem",
              "Validation Error: toimituspäivä ennen tilausta"]
    verdicts = assert_same_verdicts(titles, error)
    assert verdicts[0] == "only_error_title" and verdicts[3] is None


def assert_same_verdicts(titles, error):
    script = ("const {checkTitle} = require('./extension/lib/title-rules.js');"
              "const [titles, error] = JSON.parse(process.argv[1]);"
              "console.log(JSON.stringify(titles.map((t) => checkTitle(t, {error})[0] || null)))")
    in_js = json.loads(subprocess.check_output(
        ["node", "-e", script, json.dumps([titles, error])], cwd=ROOT, timeout=30))
    assert in_js == [server_title_verdict(title, error) for title in titles]
    return in_js


@pytest.mark.browser
def test_error_form_is_prefilled_from_the_capture(browser, mail_server):
    configure(browser, mail_server)
    page = open_form(browser, store_capture(browser, sample_capture()))
    # E3: the suggestion names the error, its gist and where it happened, and passes the rules.
    title = page.input_value("[name=title]")
    assert title.startswith("Validation Error: The entry MISC/2026/0007 is not balanced")
    assert "Journal Entries / MISC/2026/0007 (action_post)" in title
    assert page.get_attribute("[name=title]", "aria-invalid") == "false"
    assert page.input_value("[name=module]") == "Accounting"
    assert page.input_value("[name=result]") == "The entry MISC/2026/0007 is not balanced."
    steps = page.locator("input[name=steps]")
    assert [steps.nth(i).input_value() for i in range(steps.count())] == sample_capture()["steps"]
    assert page.input_value("[name=reporter_name]") == "Maija Meikäläinen"
    assert page.input_value("[name=reporter_email]") == "maija@example.com"
    # E5/G3: the two questions only the user can answer are empty, required, with examples.
    for name in ("doing", "expected"):
        assert page.input_value(f"[name={name}]") == ""
        assert page.get_attribute(f"[name={name}]", "required") is not None
        assert page.get_attribute(f"[name={name}]", "placeholder").startswith("e.g.")
    # Technical details are collapsed but there.
    assert page.locator("details#details").get_attribute("open") is None
    assert "odoo.exceptions.ValidationError" in page.text_content("#details-text")
    assert page.locator("#screenshot-canvas").is_visible()
    assert page.locator("#checklist").is_hidden()


@pytest.mark.browser
def test_generic_title_is_refused_in_the_form_with_the_hint(browser, mail_server, smtp_server):
    """G2: "Vika Odoossa" is refused as it is typed and again on send; nothing is sent."""
    configure(browser, mail_server)
    page = open_form(browser, store_capture(browser, sample_capture()))
    fill_answers(page)
    page.fill("[name=title]", "")
    page.locator("[name=title]").press_sequentially("Vika Odoossa!!")
    assert "too generic" in page.text_content("#title-error")
    assert page.get_attribute("[name=title]", "aria-invalid") == "true"
    page.click("[data-odoo-support=send]")
    assert page.evaluate("document.activeElement.name") == "title"
    assert "too generic" in page.text_content("#title-error")
    hint = page.locator("#title-hint")
    assert hint.is_visible() and "A good title names the error" in hint.text_content()
    assert "Please fix the marked fields." in page.text_content("#form-error")
    assert page.locator("#receipt-view").is_hidden() and page.locator("#waiting-view").is_hidden()
    # E3: a descriptive title that leaves the error out is refused too.
    page.fill("[name=title]", "Posting the supplier entry fails every time")
    assert "Mention the error" in page.text_content("#title-error")
    # Nothing is left to wait for: the refused submit returned before asking the worker to
    # send (report.js' submit), and a report is queued in storage before any POST.
    assert report_count(mail_server) == 0 and smtp_server.attempts == 0
    assert browser.sw.evaluate("OSR.reportQueue.listReports()")["reports"] == []


# Every field's error is in its description, after the hints the markup names; a group of
# controls (fieldset) is described itself. lib/page-fields.js adds the error notes.
DESCRIBED_BY = {
    "title": "title-hint title-error", "module": "module-error", "doing": "doing-error",
    "steps-field": "steps-error", "result": "result-error", "expected": "expected-error",
    "checklist": "checklist-error", "screenshot-field": "screenshot-error",
    "reporter_name": "reporter_name-error", "reporter_email": "reporter_email-error",
}


@pytest.mark.browser
def test_every_field_is_wired_to_its_error_and_marked_when_required(browser, mail_server):
    configure(browser, mail_server)
    page = open_form(browser, store_capture(browser, sample_capture()))
    for element_id, ids in DESCRIBED_BY.items():
        assert page.get_attribute(f"#{element_id}", "aria-describedby") == ids
        error = page.locator(f"#{ids.split()[-1]}")
        assert error.get_attribute("aria-live") == "polite"
        assert error.get_attribute("data-field-error") == ids.split()[-1].removesuffix("-error")
    assert page.locator("[data-field-error]").count() == len(DESCRIBED_BY)
    expect(page.locator("#doing")).to_have_accessible_name("What were you doing? (required)")
    expect(page.locator("#title")).to_have_accessible_name("Title (required)")
    optional = page.locator("#result")  # no `required` attribute: no marker
    expect(optional).to_have_accessible_name("What happened? (result or error message)")
    expect(page.locator("#doing")).to_have_accessible_description("")
    page.click("[data-odoo-support=send]")
    expect(page.locator("#doing")).to_have_accessible_description("Please answer this question.")
    expect(page.locator("#title")).to_have_accessible_description(re.compile(
        r"^A good title names the error .* Good title\.$"))


@pytest.mark.browser
def test_required_questions_are_asked_at_their_fields(browser, mail_server):
    configure(browser, mail_server)
    page = open_form(browser, store_capture(browser, sample_capture()))
    page.click("[data-odoo-support=send]")
    assert page.text_content("#doing-error") == "Please answer this question."
    assert page.text_content("#expected-error") == "Please answer this question."
    assert page.evaluate("document.activeElement.name") == "doing"
    assert report_count(mail_server) == 0


@pytest.mark.browser
def test_server_validation_error_is_shown_at_its_field(browser, mail_server):
    """What only the server refuses (a line separator in the title) comes back to the field."""
    configure(browser, mail_server)
    page = open_form(browser, store_capture(browser, sample_capture()))
    fill_answers(page)
    page.fill("[name=title]", page.input_value("[name=title]") + "\u2028second line")
    page.click("[data-odoo-support=send]")
    expect(page.locator("#form-error")).to_contain_text("needs changes", timeout=15000)
    assert page.text_content("#title-error")
    assert page.get_attribute("[name=title]", "aria-invalid") == "true"
    assert page.locator("#form-view").is_visible()
    assert report_count(mail_server) == 0


@pytest.mark.browser
def test_sent_report_shows_the_receipt_and_arrives_once(browser, mail_server, smtp_server):
    """G5, G6: the receipt's reference, "don't fix it yourself" and the answer time."""
    configure(browser, mail_server)
    page = open_form(browser, store_capture(browser, sample_capture()))
    fill_answers(page)
    page.locator("#omit_details").check()  # the user may leave the technical details out
    page.click("[data-odoo-support=send]")
    page.wait_for_selector("#receipt-view:not([hidden])", timeout=15000)
    reference = page.text_content("#receipt-reference").removeprefix("Reference: ")
    assert reference.startswith("OSR-")
    assert page.text_content("#receipt-wait") == \
        "Don't try to fix it yourself — support will answer."
    assert page.text_content("#receipt-answer-by").startswith("Expect an answer by ")
    messages = smtp_server.wait_for(1, timeout=20)
    assert len(messages) == 1 and reference in messages[0]["Subject"]
    sent = json.loads(attachment(messages[0], "report.json"))
    assert sent["error"]["title"] == "Validation Error" and not sent["error"].get("details")
    # Sent on both sides, nothing left in either queue: no second e-mail can come now.
    wait_until_drained(lambda: browser.sw.evaluate("OSR.reportQueue.listReports()")["reports"],
                       mail_server.outbox)
    assert len(smtp_server.messages) == 1


@pytest.mark.browser
def test_screenshot_blacked_out_by_keyboard_or_removed(browser, mail_server):
    configure(browser, mail_server)
    page = open_form(browser, store_capture(browser, sample_capture()))
    page.focus("#screenshot-canvas")
    for key in ("ArrowLeft", "ArrowUp", "Shift+ArrowRight", "Enter"):
        page.keyboard.press(key)
    assert page.text_content("#screenshot-boxes") == "Black boxes: 1"
    centre = page.evaluate("Array.from(document.getElementById('screenshot-canvas')"
                           ".getContext('2d').getImageData(400, 250, 1, 1).data)")
    assert centre[:3] == [0, 0, 0]  # the frame started at the centre: the centre is black now
    page.keyboard.press("Control+z")
    assert page.text_content("#screenshot-boxes") == "Black boxes: 0"
    page.click("#screenshot-toggle")
    assert page.locator("#screenshot-canvas").is_hidden()
    assert page.text_content("#screenshot-none") == "No screenshot will be sent."


@pytest.mark.browser
def test_escape_closes_the_report_window(browser, mail_server):
    """Opened as the detector's button opens it: a popup window, closed by Escape."""
    configure(browser, mail_server)
    capture_id = store_capture(browser, sample_capture(screenshot=False))
    with browser.context.expect_page(timeout=15000) as opened:
        browser.sw.evaluate("(id) => OSR.messages.dispatch({type: 'open-report-form', "
                            "data: {captureId: id, kind: 'error'}})", capture_id)
    page = opened.value
    page.wait_for_selector("body[data-ready=true]", timeout=15000)
    assert page.url.endswith(f"report/report.html?kind=error&capture={capture_id}")
    assert page.evaluate("document.activeElement.name") == "doing"  # first thing to answer
    try:
        page.keyboard.press("Escape")
        page.wait_for_event("close", timeout=10000)
    except PlaywrightError:
        pass  # the window closed before the call returned
    assert page.is_closed()


@pytest.mark.browser
def test_question_form_has_the_checklist_and_sends(browser, mail_server, smtp_server):
    """A4: a question with the A1–A3 checklist, no error, no screenshot."""
    configure(browser, mail_server)
    page = open_form(browser, kind="question")
    assert page.text_content("h1") == "Ask support"
    assert page.locator("#checklist").is_visible()
    assert page.locator("#screenshot-canvas").is_hidden()
    fill_question(page, "How to archive an old product category", "Inventory",
                  "Cleaning up product categories", "The old category disappears from lists")
    page.check("[name=checked_guide]")
    page.check("[name=tried_staging]")
    page.click("[data-odoo-support=send]")
    page.wait_for_selector("#receipt-view:not([hidden])", timeout=15000)
    message = smtp_server.wait_for(1, timeout=20)[0]
    sent = json.loads(attachment(message, "report.json"))
    assert sent["kind"] == "question"
    assert sent["checklist"] == {
        "checked_guide": True, "tried_staging": True, "asked_key_user": False}


def capture_of_user(name, uid, database="acme-prod"):
    """The sample capture as the Odoo user `uid` of `database` makes it; the login is no e-mail."""
    capture = sample_capture(screenshot=False)
    capture["context"]["user"] = name
    capture["reporter"] = {"name": name, "email": None, "account": {
        "origin": "http://127.0.0.1:8069", "database": database, "uid": uid}}
    return capture


@pytest.mark.browser
def test_a_typed_email_is_offered_only_to_the_same_odoo_user(browser, mail_server, smtp_server):
    """G3: the admin's typed address is never pre-filled for the demo user who reports next."""
    configure(browser, mail_server)
    page = open_form(browser, store_capture(browser, capture_of_user("Mitchell Admin", 2)))
    assert page.input_value("[name=reporter_email]") == ""
    fill_answers(page)
    page.fill("[name=reporter_email]", "admin@acme.example")
    page.click("[data-odoo-support=send]")
    page.wait_for_selector("#receipt-view:not([hidden])", timeout=15000)

    demo = open_form(browser, store_capture(browser, capture_of_user("Marc Demo", 6)))
    assert demo.input_value("[name=reporter_name]") == "Marc Demo"
    assert demo.input_value("[name=reporter_email]") == ""
    other_database = open_form(
        browser, store_capture(browser, capture_of_user("Mitchell Admin", 2, "acme-test")))
    assert other_database.input_value("[name=reporter_email]") == ""
    # The same user of the same database gets back what they typed.
    admin_again = open_form(browser, store_capture(browser, capture_of_user("Mitchell Admin", 2)))
    assert admin_again.input_value("[name=reporter_email]") == "admin@acme.example"
