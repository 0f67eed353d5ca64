"""Sending is never lost and never doubled: the extension's queue against a real server."""
import time
import uuid

import pytest
from playwright.sync_api import expect

from tests.drained import wait_until_drained
from tests.e2e.test_report_form import (
    configure,
    fill_answers,
    open_form,
    sample_capture,
    store_capture,
)

pytestmark = pytest.mark.browser


def question_report(client_report_id=None):
    return {
        "client_report_id": client_report_id or str(uuid.uuid4()),
        "kind": "question",
        "title": "How to archive an old product category",
        "module": "Inventory",
        "doing": "Cleaning up product categories",
        "steps": [],
        "result": "",
        "expected": "The old category disappears from lists",
        "reporter": {"name": "Maija Meikäläinen", "email": "maija@example.com"},
        "context": {},
        "checklist": {"checked_guide": True, "tried_staging": True, "asked_key_user": True},
    }


def send(browser, report):
    return browser.sw.evaluate(
        "(report) => OSR.messages.dispatch({type: 'send-report', data: {report}})", report)


def listed(browser):
    return browser.sw.evaluate("OSR.messages.dispatch({type: 'list-reports', data: {}})")["reports"]


def stored_report_keys(browser):
    return [key for key in browser.storage_get("local") if key.startswith("report:")]


@pytest.mark.slow
def test_server_down_while_sending_waits_then_exactly_one_email(browser, mail_server, smtp_server):
    configure(browser, mail_server)
    page = open_form(browser, store_capture(browser, sample_capture()))
    fill_answers(page)
    mail_server.kill()
    page.click("[data-odoo-support=send]")
    # The user sees that it waits, and why.
    expect(page.locator("#waiting-view")).to_be_visible(timeout=15000)
    assert "cannot be reached" in page.text_content("#waiting-reason")
    [waiting] = listed(browser)
    assert waiting["status"] == "waiting" and waiting["lastError"] == "ERROR_OFFLINE"
    # Stored in the extension's own storage, with its body, before any answer came.
    [key] = stored_report_keys(browser)
    assert browser.storage_get("local", key)[key]["report"]["doing"].startswith("Posting")
    mail_server.start()  # the same port again
    # Retried with backoff (5 s, 10 s, ...) until the 202; the open form turns into the receipt.
    expect(page.locator("#receipt-view")).to_be_visible(timeout=60000)
    # Sent on both sides, nothing left in either queue: no second e-mail can come now.
    [sent] = wait_until_drained(lambda: listed(browser), mail_server.outbox)
    messages = smtp_server.messages
    assert len(messages) == 1
    reference = page.text_content("#receipt-reference").removeprefix("Reference: ")
    assert reference in messages[0]["Subject"]
    assert sent["receipt"]["reference"] == reference
    assert browser.storage_get("local", key)[key]["report"] is None  # the body is dropped once sent


def test_the_same_report_sent_twice_is_one_ticket(browser, mail_server, smtp_server):
    configure(browser, mail_server)
    report = question_report()
    first = send(browser, report)
    second = send(browser, report)
    assert first["status"] == "sent" and second["status"] == "sent"
    assert first["receipt"]["reference"] == second["receipt"]["reference"]
    assert len(wait_until_drained(lambda: listed(browser), mail_server.outbox)) == 1
    assert len(smtp_server.messages) == 1


def test_refused_key_waits_until_it_is_fixed(browser, mail_server, smtp_server):
    """401 is not the user's fault: the report waits instead of being thrown back."""
    configure(browser, mail_server, key="wrong-key")
    answer = send(browser, question_report())
    assert answer["status"] == "queued" and answer["error"]["code"] == "ERROR_UNAUTHORIZED"
    assert smtp_server.attempts == 0
    configure(browser, mail_server, key="demo")
    retry = "OSR.messages.dispatch({type: 'retry-reports', data: {}})"
    [retried] = browser.sw.evaluate(retry)["reports"]
    assert retried["status"] == "sent"
    assert len(smtp_server.wait_for(1, timeout=20)) == 1


def test_validation_error_goes_back_and_the_corrected_report_replaces_it(
        browser, mail_server, smtp_server):
    """A 422 is not retried; fixed and sent again with the same id, it is one report, sent once."""
    configure(browser, mail_server)
    report = {**question_report(), "title": "Ongelma"}
    answer = send(browser, report)
    assert answer["status"] == "rejected" and answer["error"]["code"] == "ERROR_VALIDATION"
    assert "title" in answer["error"]["fields"]
    [refused] = listed(browser)
    assert refused["status"] == "rejected" and refused["rejection"]["fields"]["title"]
    browser.sw.evaluate("OSR.messages.dispatch({type: 'retry-reports', data: {}})")
    assert listed(browser)[0]["status"] == "rejected" and smtp_server.attempts == 0
    fixed = send(browser, {**report, "title": "How to archive an old product category"})
    assert fixed["status"] == "sent"
    [sent] = listed(browser)
    assert sent["status"] == "sent" and sent["title"] == "How to archive an old product category"
    assert len(smtp_server.wait_for(1, timeout=20)) == 1


def test_not_configured_waits_in_the_queue(browser):
    answer = send(browser, question_report())
    assert answer["status"] == "queued" and answer["error"]["code"] == "ERROR_NOT_CONFIGURED"
    assert listed(browser)[0]["status"] == "waiting"


def stored_record(report, status, **fields):
    """A queue record as report-queue.js writes it."""
    return {
        "clientReportId": report["client_report_id"], "createdAt": "2026-01-05T08:00:00Z",
        "title": report["title"], "kind": report["kind"], "module": report["module"],
        "report": report, "status": status, "attempts": 1, "lastError": "ERROR_OFFLINE",
        "receipt": None, **fields,
    }


def stop_and_wake_the_worker(browser):
    """Stop the service worker as Chrome does after ~30 s idle, then wake it with a page."""
    page = browser.new_page()
    page.goto(browser.page_url("options/options.html"))
    page.wait_for_selector("body[data-ready=true]", timeout=20000)
    cdp = browser.context.new_cdp_session(page)
    cdp.send("ServiceWorker.enable")
    cdp.send("ServiceWorker.stopAllWorkers")
    page.reload()  # its get-config message starts the worker again
    page.wait_for_selector("body[data-ready=true]", timeout=20000)
    return page


def test_a_restarted_worker_resumes_waiting_and_interrupted_reports(
        launch_browser, mail_server, smtp_server):
    """What a stopped worker left behind is sent once when it starts, without any retry click."""
    browser = launch_browser()  # its own: stopping the worker leaves the shared one's handle dead
    configure(browser, mail_server)
    waiting = question_report()
    interrupted = {**question_report(), "title": "How to merge two duplicate contacts"}
    long_ago_ms = int((time.time() - 600) * 1000)
    browser.storage_set("local", {
        "reportIndex": [waiting["client_report_id"], interrupted["client_report_id"]],
        f"report:{waiting['client_report_id']}": stored_record(
            waiting, "waiting", nextAttemptAt=long_ago_ms),
        # Cut off mid-POST: its lease ran out, so it is retried with the same id.
        f"report:{interrupted['client_report_id']}": stored_record(
            interrupted, "sending", sendingSince=long_ago_ms, nextAttemptAt=long_ago_ms),
    })
    assert smtp_server.attempts == 0
    page = stop_and_wake_the_worker(browser)

    def list_reports():
        return page.evaluate("chrome.runtime.sendMessage({type: 'list-reports', data: {}})"
                             ".then((answer) => answer.data.reports)")

    assert len(wait_until_drained(list_reports, mail_server.outbox)) == 2
    assert len(smtp_server.messages) == 2


def test_full_storage_is_told_not_swallowed(launch_browser):
    """Nothing can be queued when storage.local is full: the form is told, with what to do.

    With `unlimitedStorage` Chrome's 10 MB quota no longer applies; what remains is a full
    disk, which a test cannot make. So storage.local.set fails here as Chrome fails it then,
    with its quota error, and everything after that is the real code.
    """
    browser = launch_browser()  # its own: the failing storage.local.set stays in that worker
    browser.sw.evaluate("""() => {
        const realSet = chrome.storage.local.set.bind(chrome.storage.local);
        const isReport = (key) => key.startsWith("report:");
        chrome.storage.local.set = (items) => Object.keys(items).some(isReport)
            ? Promise.reject(new Error("Resource::kQuotaBytes quota exceeded"))
            : realSet(items);
    }""")
    report = {**question_report(), "screenshot": "data:image/png;base64," + "A" * 200_000}
    code = browser.sw.evaluate(
        "(report) => OSR.messages.dispatch({type: 'send-report', data: {report}})"
        ".then(() => 'queued', (error) => error.code)", report)
    assert code == "ERROR_STORAGE_FULL"
    assert stored_report_keys(browser) == []
