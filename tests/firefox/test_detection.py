"""Firefox: the extension recognises Odoo's errors on every version's fixture pages (E1, E2, E6).

The same fixture pages and expectations as tests/e2e/test_error_detection.py, in one shared
Firefox ESR: an error page gets the native button, once, with the right kind, and its capture
holds what the dialog shows; ordinary dialogs and quiet pages get none. Chromium measures the
one-second bound in the page; Firefox's pass checks the behaviour.

`make test` runs a representative subset of each version's pages (REPRESENTATIVE: a server
error whose traceback only the RPC tap sees, a validation error, a client error, one shown
before the extension starts, a connection-lost and a danger notification, the frontend's
notification; an ordinary dialog and a quiet page): the full matrix takes Firefox about
3.5 minutes on 2 cores. `FIREFOX_DETECTION=full` runs every page, as Chromium does.
"""
import os

import pytest

from tests.e2e.test_error_detection import (
    HELD_BACK,
    SENTINEL,
    SHOW_SENTINEL,
    STARTED_UP,
    VERSIONS,
    assert_server_error_captured,
    cases,
    expected,
    route_of,
)
from tests.firefox.conftest import BUTTON, CAPTURED, WAIT_MS
from tests.shared.capture_context import user_error_context

pytestmark = [pytest.mark.browser, pytest.mark.firefox]

DETECTED = "[data-odoo-support-detected]"
REPRESENTATIVE = {
    "server", "validation", "client", "boot-error", "connection-lost", "notification-danger",
    "frontend-notification-danger", "confirmation", "quiet", "neutralized",
}
FULL = os.environ.get("FIREFOX_DETECTION") == "full"


def firefox_cases(predicate):
    return cases(lambda name, spec: (FULL or name in REPRESENTATIVE) and predicate(name, spec))


@pytest.fixture
def open_fixture(new_page, sites):
    """open_fixture(version, name) -> the fixture page loaded at its Odoo route."""
    production, _ = sites

    def open_(version, name):
        production.use(f"odoo/{version}/{name}.html")
        page = new_page()
        page.goto(production.url(route_of(version, name)))
        return page

    return open_


def stored_capture(firefox, page):
    page.wait_for_selector(CAPTURED, timeout=WAIT_MS)
    return firefox.message("get-capture", {"captureId": page.attribute(CAPTURED, CAPTURED[1:-1])})[
        "capture"]


@pytest.mark.parametrize("version,name,spec", firefox_cases(lambda name, spec: spec is not None))
def test_every_error_gets_the_button_and_a_capture(firefox, console, open_fixture,
                                                   version, name, spec):
    page = open_fixture(version, name)
    page.wait_for_selector(BUTTON, timeout=WAIT_MS, visible=True)
    assert page.count(BUTTON) == 1
    host = ".modal-footer" if spec["source"] == "dialog" else ".o_notification"
    assert page.count(f"{host} {BUTTON}") == 1, f"the button is not inside {host}"
    assert page.text(BUTTON).strip() == "Report to support"
    # The button comes at once; the kind is marked once it has settled, a moment later.
    page.wait_for_selector(DETECTED, timeout=WAIT_MS)
    assert page.attribute(DETECTED, "data-odoo-support-detected") == spec["kind"]
    assert page.count(DETECTED) == 1, "fired more than once"

    error = stored_capture(firefox, page)["error"]
    assert error["kind"] == spec["kind"]
    assert error["title"] == spec["title"]
    if name in ("client", "boot-error"):
        # Firefox words the TypeError its own way; the frame and the property are what matter.
        assert "partner_id" in error["details"] and "onClickConfirmOrder" in error["details"]
    else:
        assert_server_error_captured(error, version, name, spec)


@pytest.mark.parametrize("version,name,spec", firefox_cases(lambda name, spec: spec is None))
def test_ordinary_dialogs_and_quiet_pages_get_no_button(open_fixture, version, name, spec):
    page = open_fixture(version, name)
    if name in ("confirmation", "discard", "wizard"):
        page.wait_for_selector(".modal", timeout=WAIT_MS)
    elif name.startswith("frontend-notification"):
        page.wait_for_selector(".o_notification", timeout=WAIT_MS)
    else:
        page.wait_for("() => performance.getEntriesByType('resource')"
                      ".some((e) => e.name.includes('/call_kw/'))")
    # Judged once the sentinel, shown after it, has settled: see SHOW_SENTINEL.
    page.evaluate(SHOW_SENTINEL)
    page.wait_for_selector(f"{SENTINEL}{DETECTED}")
    assert page.count(BUTTON) == 1
    assert page.count(f"{SENTINEL} {BUTTON}") == 1
    assert page.count(DETECTED) == 1


@pytest.mark.parametrize("version", VERSIONS)
def test_capture_knows_where_the_error_happened(firefox, console, open_fixture, version):
    page = open_fixture(version, "user")
    context = stored_capture(firefox, page)["context"]
    assert str(context["odoo_version"]).startswith(version.split(".")[0])
    where = user_error_context(version)
    assert {key: context.get(key) for key in where} == where
    assert "Firefox/" in context["browser"]  # the user agent: support sees the browser


def test_error_after_the_start_up_gets_the_button(new_page, sites):
    """An error the user meets later: played once the extension has started up (STARTED_UP)."""
    production, _ = sites
    production.use("odoo/17.0/validation.html")
    path, _, fragment = expected("17.0")["route"].partition("#")
    page = new_page()
    page.goto(production.url(f"{path}?{HELD_BACK}#{fragment}"))
    page.wait_for_selector(STARTED_UP, timeout=WAIT_MS)
    assert page.count(".modal") == 0
    page.evaluate("() => window.fixtureWebClient.play()")
    page.wait_for_selector(BUTTON, timeout=WAIT_MS)
    # The button comes at once; the kind is marked once it has settled, a moment later.
    page.wait_for_selector('[data-odoo-support-detected="validation"]', timeout=WAIT_MS)
