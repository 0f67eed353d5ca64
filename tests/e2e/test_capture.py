"""The capture at the moment of an error, in real Chromium with the extension (E1, E4, E6).

Each version's page (tests/fixtures/odoo/<version>/page-form.html) is a sales order form
shaped like that version's web client; "Confirm" makes a real JSON-RPC call and the page
shows the version's error dialog for the server's answer. The test plays the detector's
part (README contract `OSR.errorCapture.onErrorFound(found)`) in the extension's isolated
world, so the capture path is tested whether or not the detector recognises the page.
"""
import base64
import io
import json
import time

import pytest
from PIL import Image

from tests.e2e.isolated_world import IsolatedWorld
from tests.e2e.page_scripts import notification

pytestmark = pytest.mark.browser

CSRF = "5f0c1e9a7b3d2c4e6f8a0b1c2d3e4f5a6b7c8d9eo1767225600"
ACCESS_TOKEN = "Acc3ssT0kenForThePortal"
PASSWORD = "Sal4sana!"
TYPED_VALUE = "Secret Partner Oy"
USER_MESSAGE = "It is not allowed to confirm an order in the following states: Cancelled"
TRACEBACK = "\n".join([
    "Traceback (most recent call last):",
    '  File "/opt/odoo/odoo/http.py", line 1584, in _serve_db',
    f"    request.params = {{'csrf_token': '{CSRF}', 'password': '{PASSWORD}', 'db': 'x'}}",
    '  File "/opt/odoo/addons/sale/models/sale_order.py", line 1012, in _can_be_confirmed',
    f"odoo.exceptions.UserError: {USER_MESSAGE}",
])


def rpc_error(name, message, debug=TRACEBACK):
    """The JSON-RPC error answer Odoo sends (all versions)."""
    return {"status": 200, "body": {"jsonrpc": "2.0", "id": None, "error": {
        "code": 200, "message": "Odoo Server Error",
        "data": {"name": name, "debug": debug, "message": message, "arguments": [message],
                 "context": {}, "exception_type": "user_error"}}}}


USER_ERROR = rpc_error("odoo.exceptions.UserError", USER_MESSAGE)
SERVER_MESSAGE = "'partner_shipping_id'"
SERVER_ERROR = rpc_error("builtins.KeyError", SERVER_MESSAGE, debug=TRACEBACK.replace(
    f"odoo.exceptions.UserError: {USER_MESSAGE}", f"KeyError: {SERVER_MESSAGE}"))
CALL_BUTTON = "/web/dataset/call_button"

WEB_HASH = "id=42&cids=1&menu_id=178&action=312&model=sale.order&view_type=form"
WEB_ROUTE = f"/web?access_token={ACCESS_TOKEN}#{WEB_HASH}"
ROUTE_18 = f"/odoo/sales/42?cids=1&access_token={ACCESS_TOKEN}"
ROUTE_19 = f"/odoo/action-312/42?cids=1&access_token={ACCESS_TOKEN}"
INVALID = "Invalid Operation"
# version, route, the action the route names, version label, user's language, user error's title
CASES = [
    ("14.0", WEB_ROUTE, "312", "14.0", "en_US", "User Error"),
    ("15.0", WEB_ROUTE, "312", "15.0", "en_US", "User Error"),
    ("16.0", WEB_ROUTE, "312", "16.0", "fi_FI", "User Error"),
    ("17.0", WEB_ROUTE, "312", "17.0", "en_US", INVALID),
    ("18.0", ROUTE_18, "sales", "18.0+e", "fi_FI", INVALID),
    ("19.0", ROUTE_19, "312", "19.0+e", "en_US", INVALID),
]


# The detector's part, as the README contract has it; details are what the dialog shows now.
REPORT_FOUND_ERROR = """
(async (kind) => {
  const modal = document.querySelector(".o_dialog .modal, .modal.o_technical_modal");
  const text = (node) => node ? node.textContent.replace(/\\s+/g, " ").trim() : null;
  const found = {
    element: modal,
    footer: modal.querySelector(".modal-footer"),
    kind,
    title: text(modal.querySelector(".modal-title")),
    message: text(modal.querySelector(
      ".o_dialog_warning p, .o_dialog_warning, [role=alert] p.text-prewrap")),
    details: text(modal.querySelector(".o_error_detail")),
    version: OSR.odooPage.detect().major,
    source: "dialog",
  };
  const pending = OSR.errorCapture.onErrorFound(found);
  if (pending) return await pending;
  // The detector got there first: its capture id lands on the dialog.
  for (let i = 0; i < 100; i++) {
    const mark = "[data-odoo-support-capture]";
    const marked = modal.closest(mark) || modal.querySelector(mark);
    if (marked) return marked.getAttribute("data-odoo-support-capture");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return null;
})
"""


def open_form(browser, odoo_site, version, route, rpc):
    odoo_site.use(f"odoo/{version}/page-form.html", rpc=rpc)
    page = browser.new_page()
    world = IsolatedWorld(browser, page)
    page.goto(odoo_site.url(route))
    page.wait_for_function("window.fixtureLog && window.fixtureLog.length >= 1", timeout=10000)
    world.wait_for("OSR.odooPage.detect() !== null && OSR.rpcErrors.sessionInfo() !== null")
    return page, world


def act_like_a_user(page):
    """Menu, tab, a typed value, then Confirm: the steps the trail must tell."""
    page.click(".o_menu_sections .dropdown-toggle")
    page.click(".dropdown-menu.show .dropdown-item:has-text('Quotations')")
    page.click(".o_notebook .nav-link:has-text('Other Info')")
    customer = page.eval_on_selector("label.o_form_label:has-text('Customer')", "l => l.htmlFor")
    page.fill(f"input#{customer}", TYPED_VALUE)
    page.click(".o_statusbar_buttons button[name=action_confirm]")
    page.wait_for_selector(".modal .modal-title", timeout=10000)


def capture_error(browser, world, kind):
    capture_id = world.evaluate(f"{REPORT_FOUND_ERROR}({json.dumps(kind)})")
    assert capture_id, "no capture was stored"
    return capture_id, capture_of(browser, capture_id)


# Resolves once a message posted now came back. Messages posted to a window arrive in the order
# they were posted; the tap posts a call when it is made and the session info when asked at
# start-up, so once this one is back, whatever the tap posted before has reached the content script.
EARLIER_MESSAGES_DELIVERED = """() => new Promise((resolve) => {
  const probe = "odoo-support-reporter-test/" + Math.random();
  addEventListener("message", function heard(event) {
    if (event.data !== probe) return;
    removeEventListener("message", heard);
    resolve();
  });
  postMessage(probe, location.origin);
})"""


def open_after_its_one_rpc(page, odoo_site, path, html):
    """Opens `html` served at `path` of the site; returns once its one JSON-RPC call (which
    the page pushes to window.answers) has its answer."""
    page.route(odoo_site.url(path),
               lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    page.goto(odoo_site.url(path))
    page.wait_for_function("window.answers.length === 1", timeout=10000)


def decode_png(data_url):
    assert data_url.startswith("data:image/png;base64,")
    return Image.open(io.BytesIO(base64.b64decode(data_url.split(",", 1)[1])))


def capture_of(browser, capture_id):
    stored = browser.sw.evaluate("(id) => OSR.captures.getCapture({captureId: id})", capture_id)
    return stored["capture"]


@pytest.mark.parametrize("version,route,action,label,lang,title", CASES, ids=[c[0] for c in CASES])
def test_capture_matches_the_page_and_completes_hidden_details(
        browser, odoo_site, version, route, action, label, lang, title):
    page, world = open_form(browser, odoo_site, version, route, {CALL_BUTTON: USER_ERROR})
    act_like_a_user(page)
    dialog_seen = time.monotonic()
    capture_id, capture = capture_error(browser, world, "user")
    stored_after = time.monotonic() - dialog_seen

    context = capture["context"]
    assert {key: context[key] for key in (
        "odoo_version", "database", "user", "company", "lang", "app", "model", "record_id",
        "view_type", "action", "breadcrumbs")} == {
        "odoo_version": label, "database": "nordic-prod", "user": "Mitchell Admin",
        "company": "Nordic Tools Oy", "lang": lang, "app": "Sales", "model": "sale.order",
        "record_id": 42, "view_type": "form", "action": action,
        "breadcrumbs": ["Quotations", "S00042"]}
    assert context["rpc"]["model"] == "sale.order"
    assert context["rpc"]["method"] == "action_confirm"
    assert context["rpc"]["ids"] == [42]
    assert context["rpc"]["url"].startswith(CALL_BUTTON)

    # E1: the dialog shows the message only; the traceback comes from the tap, redacted.
    error = capture["error"]
    assert (error["kind"], error["title"], error["message"]) == ("user", title, USER_MESSAGE)
    assert error["exception"] == "odoo.exceptions.UserError"
    assert page.locator(".modal .o_error_detail").count() == 0, "this dialog hides its details"
    assert error["details"].startswith("Traceback (most recent call last):")
    assert f"odoo.exceptions.UserError: {USER_MESSAGE}" in error["details"]
    assert "'password': '[redacted]'" in error["details"]

    # Secrets never leave the page: URL, traceback, anything in the capture.
    everything = json.dumps(capture)
    for secret in (ACCESS_TOKEN, CSRF, PASSWORD, TYPED_VALUE):
        assert secret not in everything
    assert "access_token=[redacted]" in context["url"]

    # E4: the steps as sentences, no typed value.
    assert capture["steps"][-4:] == [
        "Opened Sales › Orders › Quotations", "Opened the 'Other Info' tab",
        "Edited 'Customer'", "Clicked 'Confirm' on S00042"]

    # E6: a screenshot of the tab with the dialog over the dimmed page.
    shot = decode_png(capture["screenshot"]).convert("RGB")
    assert shot.size == (1280, 800)
    title_box = page.locator(".modal .modal-title").bounding_box()
    assert max(shot.getpixel((4, 790))) < 200, "the page behind the dialog is dimmed"
    beside_title = (int(title_box["x"]) - 4, int(title_box["y"]) + 2)
    assert shot.getpixel(beside_title) == (255, 255, 255), "the dialog is in the picture"
    assert stored_after < 5.0, f"capture stored {stored_after:.2f}s after the dialog appeared"
    mark = "data-odoo-support-capture"
    assert page.get_attribute(f"[{mark}]", mark) == capture_id


@pytest.mark.parametrize("version", ["16.0", "18.0"])
def test_server_error_details_hidden_behind_a_click_are_captured(browser, odoo_site, version):
    route = "/odoo/action-312/42" if version == "18.0" else WEB_ROUTE
    page, world = open_form(browser, odoo_site, version, route, {CALL_BUTTON: SERVER_ERROR})
    page.click(".o_statusbar_buttons button[name=action_confirm]")
    page.wait_for_selector(".modal .modal-title", timeout=10000)
    _, capture = capture_error(browser, world, "server")
    error = capture["error"]
    # 16 titles it "Odoo Error" (web.ErrorDialog's title, as a real 16.0 shows), 18 "Oops!".
    assert error["title"] == ("Oops!" if version == "18.0" else "Odoo Error")
    assert error["exception"] == "builtins.KeyError"
    assert error["details"].endswith(f"KeyError: {SERVER_MESSAGE}")
    assert CSRF not in error["details"]
    # the dialog still hides them: only a click on "See details" would render them
    assert page.locator(".modal .o_error_detail").count() == 0


def test_rpc_tap_leaves_the_pages_own_calls_intact(browser, odoo_site):
    partner = [{"id": 7, "display_name": "Azure Interior"}]
    answer = {"status": 200, "body": {"jsonrpc": "2.0", "id": None, "result": partner}}
    plain = {"status": 200, "body": "plain text, not JSON-RPC"}
    page, world = open_form(browser, odoo_site, "17.0", WEB_ROUTE, {
        "/web/dataset/call_kw/res.partner/web_read": answer, "/web/plain": plain,
        CALL_BUTTON: USER_ERROR})
    results = page.evaluate("""async () => {
      const rpc = (params) => JSON.stringify({jsonrpc: "2.0", method: "call", id: 9, params});
      const out = {};
      const viaFetch = await fetch("/web/dataset/call_kw/res.partner/web_read", {method: "POST",
        headers: {"Content-Type": "application/json"},
        body: rpc({model: "res.partner", method: "web_read",
                   args: [[7], {name: "Private Note"}], kwargs: {}})});
      out.fetchStatus = viaFetch.status;
      out.fetchJson = await viaFetch.json();
      out.plainText = await (await fetch("/web/plain", {method: "POST", body: "hello"})).text();
      out.xhrJson = await new Promise((resolve) => {
        const xhr = new XMLHttpRequest();
        xhr.open("POST", "/web/dataset/call_button");
        xhr.responseType = "json";
        xhr.onload = () => resolve(xhr.response);
        xhr.send(rpc({model: "sale.order", method: "action_confirm", args: [[42]], kwargs: {}}));
      });
      try {
        await fetch("http://127.0.0.1:9/web/dataset/call_kw/x/y",
                    {method: "POST", body: rpc({model: "x", method: "y", args: []})});
        out.refused = "resolved";
      } catch (error) {
        out.refused = error.constructor.name;
      }
      return out;
    }""")
    assert results["fetchStatus"] == 200
    assert results["fetchJson"]["result"] == partner
    assert results["plainText"] == "plain text, not JSON-RPC"
    assert results["xhrJson"]["error"]["data"]["name"] == "odoo.exceptions.UserError"
    assert results["refused"] == "TypeError", "a failed fetch still rejects for the page"

    seen = world.wait_for("""(() => {
      const calls = OSR.rpcErrors.calls();
      const errors = OSR.rpcErrors.errors();
      return errors.length >= 2 && {calls, errors};
    })()""")
    partner_call = next(call for call in seen["calls"] if call["model"] == "res.partner")
    assert (partner_call["method"], partner_call["ids"]) == ("web_read", [7])
    assert "Private Note" not in json.dumps(seen), "argument values other than ids stay in the page"
    assert all(call["url"] != "/web/plain" for call in seen["calls"]), "only JSON-RPC is tapped"
    kinds = {(error["kind"], (error.get("data") or {}).get("name")) for error in seen["errors"]}
    assert ("server", "odoo.exceptions.UserError") in kinds
    assert ("network", None) in kinds
    assert CSRF not in json.dumps(seen)


def test_non_odoo_page_stays_inert(browser, odoo_site):
    page = browser.new_page()
    world = IsolatedWorld(browser, page)
    html = """<!DOCTYPE html><html><body><h1>Shop</h1><button id="buy">Buy</button>
      <div class="modal"><h4 class="modal-title">Error</h4></div>
      <script>
        window.answers = [];
        const body = JSON.stringify({jsonrpc: "2.0", params: {model: "x"}});
        fetch("/web/dataset/call_kw/x/y", {method: "POST", body})
          .then((r) => r.json()).then((a) => window.answers.push(a));
      </script></body></html>"""
    open_after_its_one_rpc(page, odoo_site, "/shop", html)
    page.click("#buy")  # a step would be taken in the click's own dispatch
    page.evaluate(EARLIER_MESSAGES_DELIVERED)
    state = world.evaluate("""({page: OSR.odooPage.detect(), steps: OSR.stepsTrail.steps(),
      calls: OSR.rpcErrors.calls().length, session: OSR.rpcErrors.sessionInfo()})""")
    assert state == {"page": None, "steps": [], "calls": 0, "session": None}
    assert page.evaluate("typeof window.OSR") == "undefined", "nothing of ours in the page"


@pytest.mark.parametrize("version", ["14.0", "18.0"])
def test_detected_error_is_captured_before_any_click_on_the_button(browser, odoo_site, version):
    """The whole path: the detector sees the dialog, the capture is stored at once."""
    page, world = open_form(browser, odoo_site, version, WEB_ROUTE, {CALL_BUTTON: USER_ERROR})
    page.click(".o_statusbar_buttons button[name=action_confirm]")
    clicked = time.monotonic()
    page.wait_for_selector("[data-odoo-support-capture]", timeout=5000)
    captured_after = time.monotonic() - clicked
    capture_id = page.get_attribute("[data-odoo-support-capture]", "data-odoo-support-capture")
    capture = capture_of(browser, capture_id)
    assert capture["error"]["kind"] == "user"
    assert capture["error"]["message"] == USER_MESSAGE
    assert capture["error"]["details"].endswith(f"odoo.exceptions.UserError: {USER_MESSAGE}")
    assert capture["steps"][-1] == "Clicked 'Confirm' on S00042"
    assert decode_png(capture["screenshot"]).size == (1280, 800)
    assert page.locator(".modal [data-odoo-support=report]").count() == 1
    assert captured_after < 5.0, f"captured {captured_after:.2f}s after the click"


def test_rpc_tap_keeps_every_way_of_calling_intact(browser, odoo_site):
    """Sync XHR, binary answers, Request objects, streamed bodies and aborts work as without us."""
    page, world = open_form(browser, odoo_site, "16.0", WEB_ROUTE, {CALL_BUTTON: USER_ERROR})
    results = page.evaluate("""async () => {
      const rpc = (params) => JSON.stringify({jsonrpc: "2.0", method: "call", id: 3, params});
      const url = "/web/dataset/call_kw/res.partner/read";
      const body = rpc({model: "res.partner", method: "read", args: [[7]], kwargs: {}});
      const out = {};
      const sync = new XMLHttpRequest();
      sync.open("POST", url, false);
      sync.send(body);
      out.sync = JSON.parse(sync.responseText).result;
      out.binary = await new Promise((resolve) => {
        const xhr = new XMLHttpRequest();
        xhr.open("POST", url);
        xhr.responseType = "arraybuffer";
        xhr.onload = () => resolve(
          xhr.response instanceof ArrayBuffer && xhr.response.byteLength > 0);
        xhr.send(body);
      });
      const request = new Request(url, {method: "POST", body});
      out.request = (await (await fetch(request)).json()).result;
      const reader = (await fetch(url, {method: "POST", body})).body.getReader();
      let streamed = "";
      for (let part = await reader.read(); !part.done; part = await reader.read()) {
        streamed += new TextDecoder().decode(part.value);
      }
      out.streamed = JSON.parse(streamed).result;
      const controller = new AbortController();
      const aborted = fetch(url, {method: "POST", body, signal: controller.signal});
      controller.abort();
      out.fetchAbort = await aborted.then(() => "resolved", (error) => error.name);
      out.xhrAbort = await new Promise((resolve) => {
        const xhr = new XMLHttpRequest();
        xhr.open("POST", url);
        xhr.onabort = () => resolve("abort");
        xhr.send(body);
        xhr.abort();
      });
      out.ourSymbols = Object.getOwnPropertySymbols(window).map(String);
      out.xhrKeys = Object.getOwnPropertySymbols(sync).length + Object.keys(sync).length;
      return out;
    }""")
    assert results == {
        "sync": True, "binary": True, "request": True, "streamed": True,
        "fetchAbort": "AbortError", "xhrAbort": "abort", "ourSymbols": [], "xhrKeys": 0}
    assert page.evaluate("typeof window.OSR") == "undefined", "nothing of ours in the page"
    # The tap's messages arrive a task later, in order: the last call's comes after the aborts'.
    world.wait_for("OSR.rpcErrors.calls().filter((call) => call.model === 'res.partner')"
                   ".length >= 5")
    seen = world.evaluate("({calls: OSR.rpcErrors.calls(), errors: OSR.rpcErrors.errors()})")
    assert seen["errors"] == [], "a cancelled call is not an error"
    assert [call["ids"] for call in seen["calls"] if call["model"] == "res.partner"] == [[7]] * 5


def test_a_page_with_an_element_named_odoo_is_not_odoo(browser, odoo_site):
    """`<div id="odoo">` shows up as window.odoo: the tap must not take it for Odoo's global."""
    page = browser.new_page()
    world = IsolatedWorld(browser, page)
    html = """<!DOCTYPE html><html><head>
      <link rel="stylesheet" href="/web/assets/app.css"></head>
      <body><div id="odoo">Our Odoo partner page</div>
      <script>
        window.answers = [];
        fetch("/web/dataset/call_kw/x/y", {method: "POST",
              body: JSON.stringify({jsonrpc: "2.0", params: {model: "x", args: [[1]]}})})
          .then((r) => r.json()).then((a) => window.answers.push(a));
      </script></body></html>"""
    open_after_its_one_rpc(page, odoo_site, "/partners", html)
    page.evaluate(EARLIER_MESSAGES_DELIVERED)
    state = world.evaluate("""({page: OSR.odooPage.detect(), calls: OSR.rpcErrors.calls().length,
      session: OSR.rpcErrors.sessionInfo()})""")
    assert state == {"page": None, "calls": 0, "session": None}


def test_captures_make_room_when_session_storage_is_full(browser):
    """Screenshots are large: the oldest captures go, the newest is always kept."""
    stored = browser.sw.evaluate("""async () => {
      const big = "x".repeat(3 * 1024 * 1024);
      const ids = [];
      for (let i = 0; i < 6; i++) {
        const capture = {error: {title: `E${i}`}, screenshot: big};
        ids.push((await OSR.captures.storeCapture({capture})).captureId);
      }
      const newest = await OSR.captures.getCapture({captureId: ids[5]});
      const index = (await chrome.storage.session.get("captures:index"))["captures:index"];
      return {newest: newest.capture.error.title, index, ids};
    }""")
    assert stored["newest"] == "E5"
    assert stored["index"][-1] == stored["ids"][-1]
    assert 1 <= len(stored["index"]) < 6


def test_capture_right_after_start_carries_the_configured_environment(launch_browser, odoo_site):
    """A fresh browser answers get-config slowly (managed storage); a production error
    raised at once is still captured as production, not "unknown" (C1)."""
    browser = launch_browser()  # just started: the shared one answers at once
    browser.storage_set("sync", {"productionOrigins": [odoo_site.origin]})
    odoo_site.use("odoo/17.0/page-form.html", rpc={CALL_BUTTON: USER_ERROR})
    page = browser.new_page()
    page.goto(odoo_site.url(WEB_ROUTE))
    page.click(".o_statusbar_buttons button[name=action_confirm]")
    page.wait_for_selector("[data-odoo-support-capture]", state="attached", timeout=15000)
    capture_id = page.get_attribute("[data-odoo-support-capture]", "data-odoo-support-capture")
    capture = browser.sw.evaluate(
        "(id) => OSR.captures.getCapture({captureId: id})", capture_id)["capture"]
    assert capture["context"]["environment"] == "production"


# Odoo 17's danger notification; notes when it was shown and when an error dialog followed it.
SHOW_DANGER_NOTIFICATION = """() => {
  (""" + notification("danger", "Access Error") + """)("You are not allowed to modify Quotations.");
  window.errorShownAt = {notification: performance.now()};
  new MutationObserver((records, observer) => {
    if (document.querySelector(".modal .modal-title")) {
      window.errorShownAt.dialog = performance.now();
      observer.disconnect();
    }
  }).observe(document.body, {childList: true, subtree: true});
}"""


# In the background: when each captureVisibleTab call was made, and how it ended.
RECORD_CAPTURE_CALLS = """() => {
  // The worker is the session's: wrap the real function once, never a wrapper of it.
  self.realCaptureVisibleTab ??= chrome.tabs.captureVisibleTab.bind(chrome.tabs);
  const original = self.realCaptureVisibleTab;
  self.captureCalls = [];
  chrome.tabs.captureVisibleTab = (...args) => {
    const call = {at: Date.now()};
    self.captureCalls.push(call);
    return original(...args).then(
      (url) => { call.ok = true; return url; },
      (error) => { call.ok = false; call.error = String(error && error.message); throw error; });
  };
}"""


def test_two_errors_in_quick_succession_both_get_a_screenshot(browser, odoo_site):
    """captureVisibleTab allows 2 shots a second: the second error's shot waits its turn (E6, G4).

    A danger notification, then ~200 ms later an error dialog; each capture gets its PNG.
    """
    page, _ = open_form(browser, odoo_site, "17.0", WEB_ROUTE, {CALL_BUTTON: USER_ERROR})
    browser.sw.evaluate(RECORD_CAPTURE_CALLS)
    page.evaluate(SHOW_DANGER_NOTIFICATION)
    page.wait_for_timeout(100)
    page.click(".o_statusbar_buttons button[name=action_confirm]")
    for captured in (".o_notification", ".modal"):
        page.wait_for_selector(f"{captured}[data-odoo-support-capture]", state="attached",
                               timeout=10000)

    shown = page.evaluate("window.errorShownAt")
    gap_ms = shown["dialog"] - shown["notification"]
    assert 100 <= gap_ms < 500, f"errors {gap_ms:.0f} ms apart: not within one throttle slot"
    mark = "data-odoo-support-capture"
    ids = [page.get_attribute(f"{where}[{mark}]", mark) for where in (".o_notification", ".modal")]
    assert len(set(ids)) == 2
    captures = [capture_of(browser, capture_id) for capture_id in ids]
    assert [capture["error"]["kind"] for capture in captures] == ["access", "user"]
    # Both shots were taken, the second one a throttle slot after the first: never faster
    # than the 2 a second Chromium allows (headless lets a pair through; a third would fail).
    calls = browser.sw.evaluate("self.captureCalls")
    assert [call["ok"] for call in calls] == [True, True], calls
    assert calls[1]["at"] - calls[0]["at"] >= 500
    for capture in captures:
        assert capture["screenshot"], f"no screenshot for the {capture['error']['kind']} error"
        assert decode_png(capture["screenshot"]).size == (1280, 800)
