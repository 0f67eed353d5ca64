"""Real headless Chromium (Debian's) with the unpacked extension loaded.

Never a downloaded browser: Playwright from PyPI drives /usr/lib/chromium/chromium.
The extension id is pinned by the manifest `key`, so policy files can name it.
"""
import json
from pathlib import Path

import pytest

from tests.fixture_server import FixtureServer, production_and_staging

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
EXTENSION_ID = "aihjlhgbpcckfioaohgikkcghmimapib"
CHROMIUM = "/usr/lib/chromium/chromium"
POLICY_DIR = Path("/etc/chromium/policies/managed")
POLICY_FILE = POLICY_DIR / "odoo-support-reporter-test.json"


class ExtensionBrowser:
    """A Chromium profile with the extension; `sw` is its background service worker."""

    def __init__(self, context, service_worker):
        self.context = context
        self.sw = service_worker
        self.id = EXTENSION_ID

    def page_url(self, path):
        """URL of an extension page, e.g. page_url('options/options.html')."""
        return f"chrome-extension://{self.id}/{path}"

    def new_page(self):
        return self.context.new_page()

    def storage_set(self, area, values):
        self.sw.evaluate(f"(v) => chrome.storage.{area}.set(v)", values)

    def storage_get(self, area, keys=None):
        return self.sw.evaluate(f"(k) => chrome.storage.{area}.get(k)", keys)


def launch(playwright, profile_dir, lang="en-US", extra_args=()):
    args = [
        f"--disable-extensions-except={EXTENSION}", f"--load-extension={EXTENSION}",
        "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-quic", f"--lang={lang}", *extra_args,
    ]
    context = playwright.chromium.launch_persistent_context(
        str(profile_dir), executable_path=CHROMIUM, headless=True, args=args,
        locale=lang, viewport={"width": 1280, "height": 800},
    )
    workers = context.service_workers
    sw = workers[0] if workers else context.wait_for_event("serviceworker", timeout=15000)
    return ExtensionBrowser(context, sw)


def reset(browser):
    """The profile as a fresh one starts: no cookies, settings, queued reports or alarms."""
    browser.context.clear_cookies()
    browser.sw.evaluate("""async () => {
      await chrome.storage.sync.clear();
      await chrome.storage.local.clear();
      if (chrome.storage.session) await chrome.storage.session.clear();
      await chrome.alarms.clearAll();
    }""")


def close_pages(browser):
    """Every tab and window a test left open, closed; the browser itself stays."""
    for page in browser.context.pages:
        page.close()


@pytest.fixture
def launch_browser(playwright, tmp_path):
    """Factory: launch_browser(lang='fi') -> a fresh ExtensionBrowser; closed after the test.

    Only for a test that needs what the shared one cannot give: another language, a browser
    just started, a worker of its own to stop or patch, or a policy written before the start.
    """
    opened = []

    def start(lang="en-US", extra_args=()):
        browser = launch(playwright, tmp_path / f"profile{len(opened)}", lang, extra_args)
        opened.append(browser)
        return browser

    yield start
    for browser in opened:
        browser.context.close()


@pytest.fixture
def browser(chromium):
    """The session's Chromium (tests/conftest.py), reset as a fresh profile would be."""
    reset(chromium)
    yield chromium
    close_pages(chromium)


@pytest.fixture
def odoo_site():
    """One loopback origin serving fixture pages at Odoo's routes."""
    server = FixtureServer().start()
    yield server
    server.stop()


@pytest.fixture
def odoo_sites():
    """Two origins (production, staging): 127.0.0.1 and 127.0.0.2 on loopback."""
    with production_and_staging() as sites:
        yield sites


# Resolves once the worker's managed storage is empty again (Chromium watches the policy
# folder), false after 30 s.
MANAGED_STORAGE_EMPTY = """async () => {
  const empty = async () => Object.keys(await chrome.storage.managed.get(null)).length === 0;
  if (await empty()) return true;
  return new Promise((resolve) => {
    setTimeout(() => resolve(false), 30000);
    chrome.storage.onChanged.addListener(async (changes, area) => {
      if (area === "managed" && await empty()) resolve(true);
    });
  });
}"""


@pytest.fixture
def chromium_policy(chromium):
    """Write the machine-wide managed policy for the extension; removed after.

    Machine-wide, so tests using it are marked `policy` and never run in parallel. The
    session's Chromium sees the file too: the next test gets it only once it is gone there.
    """
    written = []

    def write(values):
        POLICY_DIR.mkdir(parents=True, exist_ok=True)
        policy = {"3rdparty": {"extensions": {EXTENSION_ID: values}}}
        POLICY_FILE.write_text(json.dumps(policy))
        written.append(POLICY_FILE)

    yield write
    for path in written:
        path.unlink(missing_ok=True)
    if written:
        assert chromium.sw.evaluate(MANAGED_STORAGE_EMPTY), "the removed policy still applies"
