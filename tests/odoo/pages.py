"""Driving a real Odoo web client in the extension's Chromium: log in, open, wait, read."""
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.odoo.instance import ADMIN

BUTTON = '[data-odoo-support="report"]'
CAPTURED = "[data-odoo-support-capture]"
DETECTED = "[data-odoo-support-detected]"
WAIT_MS = 30000  # a real Odoo on a busy 2-core machine: first page loads take seconds


# What an Odoo page keeps in the profile beyond its cookie. Odoo 17 and 18 register a service
# worker whose script depends on who is logged in (internal users get mail's notification
# part), so one left by the previous user (the last test's, or before a switch in a test)
# updates itself while the next user's first page is fetched through it. In a CI run of
# 17.0 that page then never loaded: Odoo answered the document and was asked for nothing
# more (not even the manifest every other load asks for), a known kind of Chromium hang
# while a service worker updates. The HTTP cache stays: it holds Odoo's assets, the same
# for every user, and saves seconds.
SITE_DATA = "service_workers,cache_storage,local_storage,indexeddb"


def forget_site_data(browser, origins):
    """The origins' service workers, caches and storage removed, as on a fresh profile."""
    page = browser.new_page()
    try:
        devtools = browser.context.new_cdp_session(page)
        for origin in sorted(origins):
            devtools.send("Storage.clearDataForOrigin",
                          {"origin": origin, "storageTypes": SITE_DATA})
        devtools.detach()
    finally:
        page.close()


def log_in(browser, odoo, login=ADMIN):
    """Give the browser a session of `login` (the cookie a login form would set).

    Nothing of another user's session stays: neither its cookie nor Odoo's service worker.
    """
    browser.context.clear_cookies()
    forget_site_data(browser, [odoo.url])
    http = odoo.session(login)
    browser.context.add_cookies([{
        "name": "session_id", "value": http.cookies["session_id"], "url": odoo.url}])
    return http


def open_page(browser, odoo, path, login=ADMIN):
    if login:
        log_in(browser, odoo, login)
    page = browser.new_page()
    unanswered = Unanswered(page)
    try:
        page.goto(odoo.url + path)
    except PlaywrightTimeoutError as error:
        raise AssertionError(f"{path} did not load; still waiting for: {unanswered}") from error
    return page


class Unanswered:
    """The requests a page has made and not yet had answered: what a load that hangs waits for."""

    def __init__(self, page):
        self.requests = []
        page.on("request", lambda request: self.requests.append(request))
        page.on("requestfinished", self._answered)
        page.on("requestfailed", self._answered)

    def _answered(self, request):
        if request in self.requests:
            self.requests.remove(request)

    def __str__(self):
        waiting = [f"{r.method} {r.url} ({r.resource_type})" for r in self.requests]
        return "; ".join(waiting) or "nothing"


def open_web_client(browser, odoo, path="/web", login=ADMIN):
    """A web client page, once Odoo has drawn its first view."""
    page = open_page(browser, odoo, path, login)
    wait_for_view(page)
    return page


def wait_for_view(page):
    page.wait_for_selector(".o_web_client .o_action_manager .o_view_controller, "
                           ".o_web_client .o_action_manager .o_action", timeout=WAIT_MS)


def form_route(odoo, model, record_id=None, action=None):
    """A record's form: `/web#…` (16, 17; 18 still understands it)."""
    parts = [f"model={model}", "view_type=form"]
    if record_id:
        parts.insert(0, f"id={record_id}")
    if action:
        parts.append(f"action={action}")
    return "/web#" + "&".join(parts)


def captured(browser, page, timeout=WAIT_MS):
    """The capture the extension stored for the error on screen (title, message, context…)."""
    page.wait_for_selector(CAPTURED, state="attached", timeout=timeout)
    capture_id = page.get_attribute(CAPTURED, "data-odoo-support-capture")
    return stored_capture(browser, capture_id)


def stored_capture(browser, capture_id):
    answer = browser.sw.evaluate("(id) => OSR.captures.getCapture({captureId: id})", capture_id)
    return answer["capture"]


def detected_kind(page):
    return page.get_attribute(DETECTED, "data-odoo-support-detected")


def rpc_in_page(page, route, model, method, args, kwargs=None):
    """Call Odoo's JSON-RPC the way the web client does, through the page's own fetch."""
    return page.evaluate("""async ([route, model, method, args, kwargs]) => {
      const answer = await fetch(route, {method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify({jsonrpc: "2.0", method: "call", id: 1,
          params: {model, method, args, kwargs}})});
      return answer.json();
    }""", [route, model, method, args, kwargs or {}])


# The page's own JSON-RPC function (16: the web client's rpc service, or the frontend's
# module; 17: rpc_service.jsonrpc;
# 18: @web/core/network/rpc), called and NOT awaited: Odoo's error service sees the
# rejection as unhandled and shows its dialog, as for any failing call of its own code.
FAILING_CALL = """([model, method, args]) => {
  const url = `/web/dataset/call_kw/${model}/${method}`;
  const params = {model, method, args, kwargs: {}};
  const modules = odoo.loader && odoo.loader.modules;
  if (modules && modules.get("@web/core/network/rpc")) {
    modules.get("@web/core/network/rpc").rpc(url, params);
  } else if (modules && modules.get("@web/core/network/rpc_service")) {
    modules.get("@web/core/network/rpc_service").jsonrpc(url, params);
  } else if (odoo.__WOWL_DEBUG__) {
    odoo.__WOWL_DEBUG__.root.env.services.rpc(url, params);
  } else {  // 16's frontend: the module's jsonrpc wants an env only to announce the call
    const quietEnv = {bus: {trigger() {}}};
    odoo.__DEBUG__.services["@web/core/network/rpc_service"].jsonrpc(quietEnv, 1, url, params);
  }
}"""


# Whether the page's RPC function of FAILING_CALL is there yet (16's frontend registers its
# modules after the page's load).
RPC_READY = """() => {
  const modules = odoo.loader && odoo.loader.modules;
  return Boolean((modules && (modules.get("@web/core/network/rpc") ||
    modules.get("@web/core/network/rpc_service"))) || odoo.__WOWL_DEBUG__ ||
    (odoo.__DEBUG__ && odoo.__DEBUG__.services["@web/core/network/rpc_service"]));
}"""


def call_failing_method(page, model, method, args):
    page.wait_for_function(RPC_READY, timeout=WAIT_MS)
    page.evaluate(FAILING_CALL, [model, method, args])


CLIENT_MESSAGE = "osr client failure: partner list is undefined"


def throw_in_page(page, message=CLIENT_MESSAGE):
    """An error thrown by a script of the page (not by the test's evaluate), as a bug would."""
    page.evaluate("""(message) => {
      const script = document.createElement("script");
      script.textContent = `setTimeout(() => { throw new TypeError(${JSON.stringify(message)}); })`;
      document.head.append(script);
    }""", message)


def open_report_form(browser, page):
    """Click our button in Odoo's dialog or notification; the report form, ready."""
    with browser.context.expect_page(timeout=WAIT_MS) as opened:
        page.locator(BUTTON).first.click()
    form = opened.value
    form.wait_for_selector("body[data-ready=true]", timeout=WAIT_MS)
    return form


def fill_and_send(form, doing, expected, email=None):
    """Answer the required questions and send; True when the receipt is shown."""
    form.fill("[name=doing]", doing)
    form.fill("[name=expected]", expected)
    if email is not None:
        form.fill("[name=reporter_email]", email)
    if not form.input_value("[name=module]"):
        form.fill("[name=module]", "Settings")
    form.click("[data-odoo-support=send]")
    return form.locator("#receipt-view")


def log_out(page, odoo):
    """Odoo's own logout (its route), then the login page."""
    page.goto(odoo.url + "/web/session/logout")
    page.wait_for_selector("form.oe_login_form, .oe_login_form", timeout=WAIT_MS)

