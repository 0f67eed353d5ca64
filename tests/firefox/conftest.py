"""Real headless Firefox ESR (Debian's) with the unpacked extension, driven from pytest.

Playwright's Firefox is a patched build we may not download, so puppeteer-core (npm) drives
Debian's firefox-esr over WebDriver BiDi: tests/firefox/driver.mjs runs one browser and takes
JSON-line commands from `Firefox` below. Each browser gets its own installation folder (a copy
of the small firefox-esr launcher beside links to the rest of /usr/lib/firefox-esr), whose
`distribution/policies.json` configures the extension as a company would: nothing
machine-wide is written, so these tests need no `policy` mark.

BiDi will not navigate to moz-extension:// pages; the tests reach the extension the way a user
does (the report button opens the form window) and, from an extension page, open the others.
"""
import json
import os
import selectors
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ServerProcess
from tests.fixture_server import production_and_staging
from tests.smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
DRIVER = Path(__file__).with_name("driver.mjs")
FIREFOX_DIR = Path("/usr/lib/firefox-esr")
LAUNCHER = "firefox-esr"
GECKO_ID = "odoo-support-reporter@example.org"
# moz-extension:// hosts are random per profile unless pinned by this pref.
EXTENSION_UUID = "0b4f4c5e-1c3b-4a57-9d8e-5e6f3a2b1c0d"
EXTENSION_ORIGIN = f"moz-extension://{EXTENSION_UUID}/"
WEB_ROUTE = "/web#id=42&cids=1&menu_id=178&action=312&model=sale.order&view_type=form"
BUTTON = '[data-odoo-support="report"]'
CAPTURED = "[data-odoo-support-capture]"
WAIT_MS = 10000  # generous bound for a loaded 2-core machine
START_TIMEOUT_S = 90


class FirefoxError(AssertionError):
    """A driver command failed: a wait ran out, a selector matched nothing, a script threw."""


def installation(folder, policies):
    """A Firefox installation folder of its own, configured by `policies` (policies.json)."""
    folder.mkdir(parents=True)
    for entry in FIREFOX_DIR.iterdir():
        if entry.name == LAUNCHER:
            # A copy, not a link: Firefox finds its installation from the launcher's real path.
            shutil.copy2(entry, folder / LAUNCHER)
        elif entry.name != "distribution":
            (folder / entry.name).symlink_to(entry)
    (folder / "distribution").mkdir()
    (folder / "distribution" / "policies.json").write_text(
        json.dumps({"policies": policies}), encoding="utf-8")
    return folder / LAUNCHER


def extension_policy(values):
    """policies.json's managed storage for the extension (Firefox's `3rdparty` policy)."""
    return {"3rdparty": {"Extensions": {GECKO_ID: values}}}


class Page:
    """One tab or window; the methods follow Playwright's names where they mean the same."""

    def __init__(self, firefox, handle):
        self.firefox = firefox
        self.handle = handle

    def _do(self, op, **args):
        return self.firefox.command(op, page=self.handle, **args)

    @property
    def url(self):
        return self.evaluate("() => location.href")

    def goto(self, url):
        self._do("goto", url=url)

    def evaluate(self, fn, *args):
        """`fn` is a JavaScript function's source, called in the page with `args` (JSON)."""
        return self._do("evaluate", fn=fn, args=list(args))

    def wait_for(self, fn, *args, timeout=WAIT_MS):
        """Until `fn(...args)` is truthy in the page; returns its value."""
        return self._do("waitFor", fn=fn, args=list(args), timeout=timeout)

    def wait_for_selector(self, selector, timeout=WAIT_MS, visible=False):
        self._do("waitForSelector", selector=selector, timeout=timeout, visible=visible)

    def click(self, selector):
        self._do("click", selector=selector)

    def fill(self, selector, text):
        self._do("fill", selector=selector, text=text)

    def press(self, key):
        self._do("press", key=key)

    def drag(self, start, end):
        self._do("drag", **{"from": list(start), "to": list(end)})

    def count(self, selector):
        return self.evaluate("(s) => document.querySelectorAll(s).length", selector)

    def text(self, selector):
        return self.evaluate("(s) => document.querySelector(s).textContent", selector)

    def value(self, selector):
        return self.evaluate("(s) => document.querySelector(s).value", selector)

    def attribute(self, selector, name):
        return self.evaluate("(s, n) => document.querySelector(s).getAttribute(n)", selector, name)

    def is_visible(self, selector):
        return self.evaluate(
            "(s) => Boolean(document.querySelector(s)?.checkVisibility())", selector)

    def close(self):
        self._do("close")


class Firefox:
    """One headless Firefox ESR with the extension installed, run by driver.mjs."""

    def __init__(self, folder, policies, prefs=None):
        self.folder = Path(folder)
        self.log = self.folder / "driver.log"
        self._next_id = 0
        self._console = None
        options = {
            "executablePath": str(installation(self.folder / "firefox", policies)),
            "profileDir": str(self.folder / "profile"),
            "extensionDir": str(EXTENSION),
            "prefs": {
                "xpinstall.signatures.required": False,
                "extensions.webextensions.uuids": json.dumps({GECKO_ID: EXTENSION_UUID}),
                **(prefs or {}),
            },
        }
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                ["node", str(DRIVER), json.dumps(options)], cwd=ROOT,
                env={**os.environ, "MOZ_HEADLESS": "1"},
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                text=True, bufsize=1, start_new_session=True,
            )
        ready = self._read_line(START_TIMEOUT_S)
        if not ready.get("ready"):
            self.close()
            raise FirefoxError(f"Firefox did not start: {ready}\n{self._log_tail()}")
        assert ready["extensionId"] == GECKO_ID

    def _log_tail(self):
        return self.log.read_text(errors="replace")[-3000:]

    def _read_line(self, timeout_s):
        with selectors.DefaultSelector() as selector:
            selector.register(self.proc.stdout, selectors.EVENT_READ)
            if not selector.select(timeout_s):
                raise FirefoxError(f"the Firefox driver did not answer in {timeout_s} s")
        line = self.proc.stdout.readline()
        if not line:
            raise FirefoxError(f"the Firefox driver exited:\n{self._log_tail()}")
        return json.loads(line)

    def command(self, op, **args):
        self._next_id += 1
        self.proc.stdin.write(json.dumps({"id": self._next_id, "op": op, **args}) + "\n")
        wait_s = args.get("timeout", WAIT_MS) / 1000 + 30
        answer = self._read_line(wait_s)
        while answer.get("id") != self._next_id:  # a late answer to a command that timed out
            answer = self._read_line(wait_s)
        if "error" in answer:
            raise FirefoxError(f"{op}: {answer['error']}")
        return answer["value"]

    def new_page(self):
        return Page(self, self.command("newPage"))

    def open_pages(self):
        """Handles of every open tab and window."""
        return [page["page"] for page in self.command("pages")]

    def wait_for_page(self, url_prefix, opened_after, timeout=WAIT_MS):
        """The tab or window at `url_prefix` that is not one of `opened_after` (handles)."""
        return Page(self, self.command("waitForPage", prefix=url_prefix,
                                       exclude=opened_after, timeout=timeout))

    def open_report_form(self, page):
        """Click the report button on `page`; the new form window, ready."""
        before = self.open_pages()
        page.click(BUTTON)
        form = self.wait_for_page(EXTENSION_ORIGIN + "report/report.html", before)
        form.wait_for_selector("body[data-ready=true]", timeout=15000)
        return form

    def console(self):
        """An extension page (the options page, in a tab) for talking to the background."""
        if self._console is None:
            raise FirefoxError("no extension page yet: open_console(error_page) first")
        return self._console

    def open_console(self, form):
        """From the form window, open the options page in a tab, as its link would."""
        before = self.open_pages()
        form.evaluate(
            "() => browser.tabs.create({url: browser.runtime.getURL('options/options.html')})")
        self._console = self.wait_for_page(EXTENSION_ORIGIN + "options/options.html", before,
                                           timeout=20000)
        self._console.wait_for_selector("body[data-ready=true]", timeout=15000)
        return self._console

    def message(self, type_, data=None):
        """Send `{type, data}` to the background, as the extension's pages do; its answer."""
        answer = self.console().evaluate(
            "(type, data) => browser.runtime.sendMessage({type, data})", type_, data or {})
        if not answer["ok"]:
            raise FirefoxError(f"{type_}: {answer['error']}")
        return answer["data"]

    def storage_get(self, area, keys=None):
        return self.console().evaluate("(a, k) => browser.storage[a].get(k)", area, keys)

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()  # the driver closes Firefox when its input ends
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait(timeout=10)
        self.proc.stdout.close()


@pytest.fixture(scope="session")
def firefox_ready():
    """Fails, never skips, when the browser or the driver is missing: `make test` installs both."""
    missing = [str(path) for path in (FIREFOX_DIR / LAUNCHER, ROOT / "node_modules/puppeteer-core")
               if not path.exists()]
    if missing or not shutil.which("node"):
        pytest.fail(f"missing {missing or 'node'}: `make test` installs firefox-esr and npm ci")


@pytest.fixture(scope="session")
def smtp_sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def support_server(tmp_path_factory, smtp_sink):
    """The server as a subprocess (dev mode, demo key), mailing to the SMTP sink."""
    server = ServerProcess(tmp_path_factory.mktemp("firefox-server"),
                           {"SUPPORT_REPORTER_MAIL_URL": smtp_sink.url}).start()
    yield server
    server.discard()


@pytest.fixture(scope="session")
def sites():
    """Production (127.0.0.1) and staging (127.0.0.2): two loopback origins playing Odoo."""
    with production_and_staging() as both:
        yield both


def company_policy(server, production, staging):
    """What a company deploys: its support server and key, and which Odoo is which."""
    return extension_policy({
        "serverUrl": server.url, "customerKey": "demo",
        "productionOrigins": [production.origin], "stagingOrigins": [staging.origin],
    })


@pytest.fixture(scope="session")
def firefox(firefox_ready, tmp_path_factory, support_server, sites):
    """One English Firefox for every scenario that needs no fresh profile."""
    browser = Firefox(tmp_path_factory.mktemp("firefox"), company_policy(support_server, *sites))
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def console(firefox, sites):
    """The shared Firefox's options page, reached as a user would: error, report form, options."""
    production, _ = sites
    production.use("odoo/17.0/validation.html")
    page = firefox.new_page()
    page.goto(production.url(WEB_ROUTE))
    form = firefox.open_report_form(page)
    console = firefox.open_console(form)
    form.close()
    page.close()
    return console


class Opened:
    """Tabs and report windows a test opens in the shared Firefox, to close after it."""

    def __init__(self, firefox):
        self.firefox = firefox
        self.pages = []

    def __call__(self):
        """A new tab."""
        self.pages.append(self.firefox.new_page())
        return self.pages[-1]

    def report_form(self, page):
        """Click the report button on `page`: the form window."""
        self.pages.append(self.firefox.open_report_form(page))
        return self.pages[-1]


@pytest.fixture
def new_page(firefox):
    """new_page() -> a tab in the shared Firefox, new_page.report_form(page) -> its form."""
    opened = Opened(firefox)
    yield opened
    for page in opened.pages:
        try:
            page.close()
        except FirefoxError:
            pass  # the test closed it already
