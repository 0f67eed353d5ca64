"""The extension recognises every Odoo error, version by version (E1, E2, E6).

Real headless Chromium with the extension loaded, against the fixture pages of
tests/fixtures/odoo/<version>/ (built from Odoo's own templates, see
make_pages.py): each page makes a real JSON-RPC call, the fixture server
answers it from the page's sidecar, and the page renders the answer the way
that version of Odoo does. A script in the page records, with a
MutationObserver, when the error's node and when the extension's button were
added, so the one-second bound is measured from the dialog's appearance.
"""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import close_pages, reset
from tests.e2e.isolated_world import IsolatedWorld
from tests.e2e.page_scripts import CALL_KW, notification
from tests.fixture_server import FIXTURES, FixtureServer
from tests.shared.capture_context import user_error_context

pytestmark = pytest.mark.browser

VERSIONS = ["14.0", "15.0", "16.0", "17.0", "18.0", "19.0"]
BUTTON = '[data-odoo-support="report"]'
DETECTED = "[data-odoo-support-detected]"
BUTTON_BOUND_MS = 1000
WAIT_MS = 8000  # generous bound for a loaded 2-core machine; the 1 s rule is measured in the page
SENTINEL = "[data-test-sentinel]"
# The page's own web client shows a danger notification, in its version's markup: an error
# the detector always reports. A test shows it after what must get no button, and waits
# until the detector has settled its kind.
#
# Why that proves the earlier dialog (or notification) was judged, and not merely not yet
# (content/error-detector.js): the shared observer hands the detector its mutation records
# in the order they happened, and the detector examines each added dialog or notification
# at once. One it does not recognise is examined once more HINT_WAIT_MS later (setTimeout);
# a recognised one gets its button at once and its data-odoo-support-detected attribute
# HINT_WAIT_MS later (setTimeout). Timers of equal delay fire in the order they were set
# (HTML's timer rules), so once the sentinel, added after the dialog, wears its attribute,
# the dialog has had both of its looks; had either recognised it, its button (added in the
# same call) would be there. On a page with no dialog at all (a quiet page), the sentinel
# shows the detector runs and has looked at everything the page added before it. A dialog
# that changes later is examined again on its changes for REVISIT_MS: the fixtures'
# ordinary dialogs do not change once drawn.
SHOW_SENTINEL = """() => {
  const node = window.fixtureWebClient.showNotification(
    { type: "danger", title: "", message: "The test's sentinel error." });
  node.setAttribute("data-test-sentinel", "");
}"""

# Runs in the page before any of its scripts: when was the first error node added, and our
# button? And when did the extension decide the page's environment (its last start-up step)?
TIMING_SCRIPT = """
window.__osrTimes = {};
new MutationObserver((records) => {
  const now = performance.now();
  const times = window.__osrTimes;
  for (const record of records) {
    if (record.type === "attributes" && times.started === undefined) times.started = now;
    for (const node of record.addedNodes) {
      if (node.nodeType !== 1) continue;
      const has = (selector) => node.matches(selector) || node.querySelector(selector);
      if (times.error === undefined && has('.modal, .o_notification')) times.error = now;
      if (times.button === undefined && has('[data-odoo-support="report"]')) times.button = now;
    }
  }
}).observe(document, { childList: true, subtree: true, attributes: true,
  attributeFilter: ["data-odoo-support-environment"] });
document.addEventListener("DOMContentLoaded", () => {
  window.__osrTimes.dialogBeforeReady = Boolean(document.querySelector('.modal'));
});
"""


def expected(version):
    return json.loads((FIXTURES / "odoo" / version / "expected.json").read_text(encoding="utf-8"))


def route_of(version, name):
    """The page's route: frontend pages (16+) at the shop's, the others in the web client."""
    spec = expected(version)
    return spec.get("routes", {}).get(name, spec["route"])


def cases(predicate):
    return [
        pytest.param(version, name, spec, id=f"{version}-{name}")
        for version in VERSIONS
        for name, spec in expected(version)["pages"].items()
        if predicate(name, spec)
    ]


def rpc_error_data(version, name):
    sidecar = json.loads(
        (FIXTURES / "odoo" / version / f"{name}.rpc.json").read_text(encoding="utf-8")
    )
    (answer,) = sidecar.values()
    return answer["body"]["error"]["data"]


def url_with(route, query):
    """Insert ?query before the #fragment of 14–17 routes."""
    path, _, fragment = route.partition("#")
    return f"{path}?{query}" + (f"#{fragment}" if fragment else "")


@pytest.fixture(scope="module")
def extension_browser(chromium):
    """The session's Chromium, reset once: the detection tests change no setting."""
    reset(chromium)
    yield chromium
    close_pages(chromium)


@pytest.fixture(scope="module")
def site():
    server = FixtureServer().start()
    yield server
    server.stop()


@pytest.fixture
def open_page(extension_browser, site):
    """open_page(path_under_fixtures, route) -> a Playwright page; closed after the test."""
    pages = []

    def open_(fixture, route):
        site.use(fixture)
        page = extension_browser.new_page()
        pages.append(page)
        page.add_init_script(TIMING_SCRIPT)
        page.goto(site.url(route))
        return page

    yield open_
    for page in pages:
        page.close()


def stored_capture(browser, page):
    page.wait_for_selector("[data-odoo-support-capture]", state="attached", timeout=WAIT_MS)
    capture_id = page.get_attribute("[data-odoo-support-capture]", "data-odoo-support-capture")
    answer = browser.sw.evaluate("(id) => OSR.captures.getCapture({captureId: id})", capture_id)
    return answer["capture"]


def assert_button_in_time(page):
    page.wait_for_selector(BUTTON, timeout=WAIT_MS)
    times = page.evaluate("window.__osrTimes")
    assert "error" in times, "the error node was never seen being added"
    delay = times["button"] - times["error"]
    assert delay <= BUTTON_BOUND_MS, f"button {delay:.0f} ms after the error appeared"
    return times


def judge_with_sentinel(page):
    """Show the sentinel and wait until the detector has settled it (see SHOW_SENTINEL)."""
    page.evaluate(SHOW_SENTINEL)
    page.wait_for_selector(f"{SENTINEL}[data-odoo-support-detected]", state="attached",
                           timeout=WAIT_MS)


def assert_only_the_sentinel_detected(page):
    assert page.locator(BUTTON).count() == 1
    assert page.locator(f"{SENTINEL} {BUTTON}").count() == 1
    assert page.locator(DETECTED).count() == 1


def assert_native_button(page, source):
    assert page.locator(BUTTON).count() == 1
    button = page.locator(BUTTON)
    classes = button.get_attribute("class").split()
    assert "btn" in classes and ({"btn-secondary", "btn-link"} & set(classes))
    host = ".modal-footer" if source == "dialog" else ".o_notification"
    assert page.locator(f"{host} {BUTTON}").count() == 1, f"the button is not inside {host}"
    assert button.inner_text().strip() == "Report to support"


@pytest.mark.parametrize("version,name,spec", cases(lambda name, spec: spec is not None))
def test_every_error_gets_the_button_within_a_second_and_a_capture_of_what_it_shows(
        extension_browser, open_page, version, name, spec):
    page = open_page(f"odoo/{version}/{name}.html", route_of(version, name))
    assert_button_in_time(page)
    assert_native_button(page, spec["source"])
    assert page.get_attribute(DETECTED, "data-odoo-support-detected") == spec["kind"]
    assert page.locator(DETECTED).count() == 1, "fired more than once"

    # The same page, not a second load of it: the capture holds what the error shows.
    error = stored_capture(extension_browser, page)["error"]
    assert error["kind"] == spec["kind"]
    assert error["title"] == spec["title"]
    if name in ("client", "boot-error"):
        # 14 keeps the stack in the DOM (hidden .collapse): every frame shown is captured.
        if spec["details"] == "from-page":
            shown = page.locator(".o_error_detail pre").all_text_contents()[-1]
            frames = [line.strip() for line in shown.splitlines() if line.strip().startswith("at ")]
            assert frames and all(frame in error["details"] for frame in frames)
        assert "at onClickConfirmOrder" in error["details"]
        assert "Cannot read properties of undefined (reading 'partner_id')" in error["details"]
        return
    assert_server_error_captured(error, version, name, spec)


def assert_server_error_captured(error, version, name, spec):
    """A server error's capture holds the message shown, and the traceback even where hidden."""
    if spec["source"] == "dialog":
        server = rpc_error_data(version, name)
        # Complete even where the dialog hides them: the traceback comes from the tap (E1, E6).
        assert error["details"] == server["debug"]
        assert error["exception"] == server["name"]
        assert error["message"] == (spec["message"] or server["message"])
    else:
        assert error["message"] == spec["message"]


@pytest.mark.parametrize("version", VERSIONS)
def test_dialog_open_before_the_extension_starts_is_found(open_page, version):
    page = open_page(f"odoo/{version}/boot-error.html", expected(version)["route"])
    assert_button_in_time(page)
    assert page.evaluate("window.__osrTimes.dialogBeforeReady") is True
    assert page.get_attribute(DETECTED, "data-odoo-support-detected") == "client"


# The page's error held back until the test plays it.
HELD_BACK = "delay=600000"
# The extension's last start-up step on a web-client page: its environment is decided (a round
# trip to the background, seconds on a cold worker) and marked on <html>; the late-signs watch
# then joins the shared observer, which observes the page again. The first scan ran earlier,
# at DOMContentLoaded. An error after this is caught by the observer as it stays.
STARTED_UP = "html[data-odoo-support-environment]"


@pytest.mark.parametrize("version", VERSIONS)
def test_error_after_the_start_up_gets_the_button_within_a_second(open_page, version):
    """An error the user meets later, not one drawn while the extension starts: no fixed delay
    can say "after the start-up" (it took 0.1 to 2.8 s on 2 loaded cores), the event can."""
    route = url_with(expected(version)["route"], HELD_BACK)
    page = open_page(f"odoo/{version}/validation.html", route)
    page.wait_for_selector(STARTED_UP, state="attached", timeout=WAIT_MS)
    page.evaluate("window.fixtureWebClient.play()")
    times = assert_button_in_time(page)
    assert times["started"] < times["error"]
    page.wait_for_selector(DETECTED, state="attached", timeout=WAIT_MS)
    assert page.get_attribute(DETECTED, "data-odoo-support-detected") == "validation"


@pytest.mark.parametrize("version,name,spec", cases(lambda name, spec: spec is None))
def test_ordinary_dialogs_and_quiet_pages_get_no_button(open_page, site, version, name, spec):
    page = open_page(f"odoo/{version}/{name}.html", route_of(version, name))
    if name in ("confirmation", "discard", "wizard"):
        page.wait_for_selector(".modal", timeout=WAIT_MS)
    elif name.startswith("frontend-notification"):
        page.wait_for_selector(".o_notification", timeout=WAIT_MS)
    else:
        page.wait_for_function(
            "performance.getEntriesByType('resource').some((e) => e.name.includes('/call_kw/'))",
            timeout=WAIT_MS,
        )
    judge_with_sentinel(page)
    assert_only_the_sentinel_detected(page)


@pytest.mark.parametrize("version", sorted({param.values[0] for param in cases(
    lambda name, spec: name == "frontend-notification-danger")}))
def test_frontend_error_notification_is_caught_on_a_frontend_page(
        extension_browser, open_page, version):
    """Issue 4: error notifications on Odoo's frontend (website, shop, portal) are caught too."""
    name = "frontend-notification-danger"
    page = open_page(f"odoo/{version}/{name}.html", route_of(version, name))
    assert page.locator("body.o_web_client").count() == 0  # really a frontend page
    page.wait_for_selector(BUTTON, timeout=WAIT_MS)
    capture = stored_capture(extension_browser, page)
    assert capture["context"]["url"].endswith("/shop/cart")
    assert capture["context"]["rpc"]["url"] == "/shop/cart/update_json"
    assert capture["error"]["exception"] == "odoo.exceptions.UserError"
    assert capture["error"]["details"] == rpc_error_data(version, name)["debug"]


# In the extension's isolated world (its own DOM wrappers: the page's calls are not counted):
# how often the extension's code asks the whole document, and how many element-level looks
# (closest, matches, querySelector…) it takes.
COUNT_DOM_WORK = """(() => {
  const counts = {document: 0, element: 0};
  // A query on <html> or <body> is a whole-document query too.
  const whole = (node) =>
    node === document || node === document.documentElement || node === document.body;
  const wrap = (proto, name, key) => {
    const original = proto[name];
    proto[name] = function (...args) {
      counts[whole(this) && name.startsWith("querySelector") ? "document" : key] += 1;
      return original.apply(this, args);
    };
  };
  const documentWide = ["querySelector", "querySelectorAll", "getElementById",
                        "getElementsByClassName"];
  for (const name of documentWide) wrap(Document.prototype, name, "document");
  for (const name of ["closest", "matches", "querySelector", "querySelectorAll"]) {
    wrap(Element.prototype, name, "element");
  }
  globalThis.domWork = counts;
  return true;
})()"""
TAKE_DOM_WORK = """(() => {
  const now = {...globalThis.domWork};
  domWork.document = 0;
  domWork.element = 0;
  return now;
})()"""

# Main world: 3000 list rows, either in one mutation batch or in 300 batches of 10 (one task each).
ADD_ROWS = """async ([batches, perBatch]) => {
  const list = document.querySelector(".o_content");
  for (let batch = 0; batch < batches; batch += 1) {
    const rows = document.createDocumentFragment();
    for (let index = 0; index < perBatch; index += 1) {
      const row = document.createElement("div");
      row.className = "o_data_row";
      row.innerHTML = `<span class="o_data_cell">S${batch}-${index}</span>`;
      rows.append(row);
    }
    list.append(rows);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  await new Promise((resolve) => setTimeout(resolve, 600));  // past the detector's deferred rescan
}"""


def test_heavy_churn_costs_bounded_work_and_no_document_query_per_mutation(extension_browser, site):
    """Issue 4 "cheap on a heavy page": the observer looks only at added nodes, a bounded number
    per batch, and never asks the whole document once per mutation."""
    site.use("odoo/17.0/neutralized.html")  # a quiet page, decided staging: no sign watcher runs
    page = extension_browser.new_page()
    try:
        world = IsolatedWorld(extension_browser, page)
        page.goto(site.url(expected("17.0")["route"]))
        world.wait_for("document.documentElement.hasAttribute('data-odoo-support-environment')")
        # Kept: nothing tells when start-up's own deferred work (a rescan RESCAN_MS later, hint
        # waits) is done; the detector's timers are private. It only keeps the count clean:
        # work left over would be counted against the rows and fail the bounds, never hide work.
        page.wait_for_timeout(500)
        world.evaluate(COUNT_DOM_WORK)

        page.evaluate(ADD_ROWS, [1, 3000])
        one_batch = world.evaluate(TAKE_DOM_WORK)
        # 3000 added rows: the detector looks at 200, the steps trail at 50; one deferred rescan.
        assert one_batch["element"] <= 600, one_batch
        assert one_batch["document"] <= 3, one_batch

        page.evaluate(ADD_ROWS, [300, 10])
        many_batches = world.evaluate(TAKE_DOM_WORK)
        # 300 batches: one document-wide query per batch would be 300.
        assert many_batches["document"] <= 5, many_batches
        # Work follows the added nodes: at most 4 looks each (the detector's closest and its
        # look inside the node, the trail's two matches), never the rows already there.
        assert many_batches["element"] <= 3000 * 4, many_batches
        assert page.locator(".o_data_row").count() == 6000
        assert page.locator(BUTTON).count() == 0
    finally:
        page.close()


def test_modal_titled_error_on_a_non_odoo_page_gets_no_button(extension_browser, open_page):
    page = open_page("non-odoo/modal-error.html", "/intranet/expenses")
    page.wait_for_selector(".modal .modal-title", timeout=WAIT_MS)
    # The detector does not run here, so no sentinel can answer, and content/main.js keeps
    # its decision to itself (it retries for 4 s after DOMContentLoaded, then gives up
    # silently). What it decides on is observable: OSR.odooPage.detect(), the question each
    # retry asks. Asked of the page as it now stands, modal included (the page adds nothing
    # more, and no session info comes from a page that has none), it answers "not Odoo",
    # so no retry starts the detector. A detector already running would have put its button
    # on the modal in the same task that added it.
    world = IsolatedWorld(extension_browser, page)
    assert world.evaluate("OSR.odooPage.detect()") is None
    assert world.evaluate("OSR.rpcErrors.sessionInfo()") is None
    assert page.locator(BUTTON).count() == 0
    assert page.locator(DETECTED).count() == 0


@pytest.mark.parametrize(
    "version,toggle",
    [
        ("14.0", "text=See details"),
        ("15.0", "text=See details"),
        ("16.0", "text=See details"),
        ("17.0", "text=See details"),
        ("18.0", "text=See technical details"),
        ("19.0", "text=See technical details"),
    ],
)
def test_opening_the_details_keeps_one_button_and_one_capture(
    extension_browser, open_page, version, toggle
):
    page = open_page(f"odoo/{version}/server.html", expected(version)["route"])
    page.wait_for_selector("[data-odoo-support-capture]", state="attached", timeout=WAIT_MS)
    first = page.get_attribute("[data-odoo-support-capture]", "data-odoo-support-capture")
    page.click(toggle)
    page.wait_for_selector(".o_error_detail pre", state="visible", timeout=WAIT_MS)
    # The details are examined when they are added, and anything that schedules runs before
    # the sentinel settles (see SHOW_SENTINEL). A second capture would come with a second
    # button, added in the same call.
    judge_with_sentinel(page)
    assert page.locator(f".modal {BUTTON}").count() == 1
    assert page.locator(BUTTON).count() == 2  # the dialog's and the sentinel's
    assert page.get_attribute(".modal[data-odoo-support-capture]",
                              "data-odoo-support-capture") == first


@pytest.mark.parametrize("version", VERSIONS)
def test_capture_knows_where_the_error_happened(extension_browser, open_page, version):
    page = open_page(f"odoo/{version}/user.html", expected(version)["route"])
    page.wait_for_selector(BUTTON, timeout=WAIT_MS)
    context = stored_capture(extension_browser, page)["context"]
    assert str(context["odoo_version"]).startswith(version.split(".")[0])
    where = user_error_context(version)
    assert {key: context.get(key) for key in where} == where


def test_button_speaks_the_browser_language(launch_browser, site):
    browser = launch_browser(lang="fi")
    site.use("odoo/17.0/validation.html")
    page = browser.new_page()
    page.goto(site.url(expected("17.0")["route"]))
    button = page.wait_for_selector(BUTTON, timeout=WAIT_MS)
    assert button.inner_text().strip() == "Ilmoita tukeen"


def test_fixture_pages_are_current():
    """The committed pages are what make_pages.py writes (edit the script, not the pages)."""
    import importlib.util
    import tempfile

    spec = importlib.util.spec_from_file_location("make_pages", FIXTURES / "odoo" / "make_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with tempfile.TemporaryDirectory() as scratch:
        module.HERE = Path(scratch)
        for version in VERSIONS:
            module.write_version(version)
            for written in (Path(scratch) / version).iterdir():
                committed = FIXTURES / "odoo" / version / written.name
                assert committed.read_text(encoding="utf-8") == written.read_text(
                    encoding="utf-8"
                ), committed


# A copy of the dialog on screen, as 16 opens one more for the next failed call, over it.
OPEN_ANOTHER_LIKE_IT = """() => {
  const dialogs = document.querySelectorAll(".o_dialog");
  const copy = dialogs[dialogs.length - 1].cloneNode(true);
  copy.querySelectorAll("[data-odoo-support]").forEach((node) => node.remove());
  for (const node of copy.querySelectorAll("[data-odoo-support-detected]")) {
    node.removeAttribute("data-odoo-support-detected");
    node.removeAttribute("data-odoo-support-capture");
  }
  dialogs[dialogs.length - 1].after(copy);
}"""


@pytest.mark.parametrize("name, buttons", [("session-expired", 1), ("server", 2)])
def test_one_session_expiry_in_several_dialogs_gets_one_button_on_top(open_page, name, buttons):
    """16 opens a "session expired" dialog per failed call: one report for one expiry, in the
    top dialog; two server errors stay two errors."""
    page = open_page(f"odoo/16.0/{name}.html", expected("16.0")["route"])
    page.wait_for_selector("[data-odoo-support-capture]", state="attached", timeout=WAIT_MS)
    page.evaluate(OPEN_ANOTHER_LIKE_IT)
    page.wait_for_selector(".modal:not([data-odoo-support-detected])", state="detached",
                           timeout=WAIT_MS)
    expect(page.locator(BUTTON)).to_have_count(buttons)
    expect(page.locator(".modal").last.locator(BUTTON)).to_have_count(1)


ACCESS_ANSWER = json.loads((FIXTURES / "odoo" / "16.0" / "access.rpc.json").read_text(
    encoding="utf-8"))["/web/dataset/call_kw/sale.order/action_confirm"]
# The portal's failing call, then 16's warning notification: with the server's message (as 16's
# portal shows an AccessError) or with a hint of the page's own.
WARN_AFTER_FAILING_CALL = """async (message) => {""" + CALL_KW + """
  await callKw("sale.order", "action_confirm", [[7]]);
  (""" + notification("warning", "Access Error") + """)(message);
}"""


@pytest.mark.parametrize("shows_the_servers_message", [True, False])
def test_a_warning_notification_showing_a_server_error_gets_the_button(
        extension_browser, open_page, site, shows_the_servers_message):
    page = open_page("odoo/16.0/frontend-notification-success.html",
                     route_of("16.0", "frontend-notification-success"))
    page.wait_for_selector(".o_notification", timeout=WAIT_MS)
    site.rpc_overrides["/web/dataset/call_kw/sale.order/action_confirm"] = ACCESS_ANSWER
    server_message = ACCESS_ANSWER["body"]["error"]["data"]["message"]
    page.evaluate(WARN_AFTER_FAILING_CALL,
                  server_message if shows_the_servers_message else "Please choose a delivery date.")
    if not shows_the_servers_message:  # a hint stays a hint, however close to a failed call
        # Its second look, after the tap's message had time to arrive, comes before the
        # sentinel settles (see SHOW_SENTINEL).
        judge_with_sentinel(page)
        assert_only_the_sentinel_detected(page)
        return
    page.wait_for_selector(f".border-warning {BUTTON}", timeout=WAIT_MS)
    capture = stored_capture(extension_browser, page)
    assert capture["error"]["kind"] == "access"
    assert capture["error"]["exception"] == "odoo.exceptions.AccessError"
    assert capture["context"]["rpc"]["method"] == "action_confirm"
