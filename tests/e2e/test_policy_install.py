"""Force-install by policy from the partner's own server (issue 14), as a company does it.

`make package`'s CRX, signed with a fresh partner key, served by the real server
(extension_dist); Debian's Chromium with nothing but a machine-wide managed policy that
names the extension by id and the server's updates.xml, and configures it (3rdparty).
Nothing loads the extension by hand: the browser must fetch, verify and install it, and
the installed extension must use the server and key the policy gave it.
"""
import json
import re
import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from scripts import package
from tests.e2e.conftest import CHROMIUM, POLICY_DIR
from tests.e2e.test_environment import DECIDED, PRODUCTION_BANNER, WEB_ROUTE
from tests.e2e.test_environment import PAGE_17 as ENV_PAGE

pytestmark = [pytest.mark.browser, pytest.mark.policy]

POLICY_FILE = POLICY_DIR / "odoo-support-reporter-install-test.json"
# Playwright's defaults keep extensions and the updater off; a managed browser has both.
NOT_IN_A_MANAGED_BROWSER = ["--disable-extensions", "--disable-background-networking",
                            "--disable-component-extensions-with-background-pages"]


@pytest.fixture
def machine_policy():
    """Write the managed policy file; whatever was there before comes back after."""
    previous = POLICY_FILE.read_bytes() if POLICY_FILE.exists() else None
    POLICY_DIR.mkdir(parents=True, exist_ok=True)
    yield lambda policy: POLICY_FILE.write_text(json.dumps(policy))
    if previous is None:
        POLICY_FILE.unlink(missing_ok=True)
    else:
        POLICY_FILE.write_bytes(previous)


def wait_for_line(log, pattern, timeout=60.0):
    """The first line of the server's log matching `pattern` (the browser works on its own)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in log.read_text().splitlines():
            if re.search(pattern, line):
                return line
        time.sleep(0.2)
    raise AssertionError(f"no {pattern!r} in the server log:\n{log.read_text()[-3000:]}")


def open_once_configured(context, url, attempts=6):
    """The first production page the extension decides on (a new tab each time: the route's
    #fragment would make a second goto a no-op). Content scripts reach only pages loaded
    after the install, and right after it the policy's settings may not be read yet."""
    for _ in range(attempts):
        page = context.new_page()
        page.goto(url)
        try:
            page.wait_for_selector(f'{DECIDED}[data-odoo-support-environment="production"]',
                                   state="attached", timeout=10000)
            return page
        except PlaywrightTimeout:
            page.close()  # loaded before the install, or decided before the policy was read
    raise AssertionError("the extension never showed the policy's production Odoo")


def test_chromium_installs_and_configures_the_crx_from_the_server_by_policy(
        playwright, server_process, machine_policy, odoo_site, tmp_path):
    odoo_site.use(ENV_PAGE)
    dist, key = tmp_path / "dist", tmp_path / "partner-key.pem"
    package.build(dist, key)
    server = server_process(env={"SUPPORT_REPORTER_EXTENSION_DIST": str(dist),
                                 "SUPPORT_REPORTER_MAIL_URL": "memory://"})
    # `make package UPDATE_URL=…` once the server's address is known: served at once.
    built = package.build(dist, key, update_url=server.url)
    extension_id = built["chromium_id"]
    machine_policy({
        "ExtensionInstallForcelist": [f"{extension_id};{server.url}/extension/updates.xml"],
        "3rdparty": {"extensions": {extension_id: {
            "serverUrl": server.url, "customerKey": "demo",
            "productionOrigins": [odoo_site.origin]}}},
    })
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True,
        args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
        ignore_default_args=NOT_IN_A_MANAGED_BROWSER)
    try:
        # The browser asks for its update manifest as a policy install, then the package.
        check = wait_for_line(server.log, r"GET /extension/updates\.xml\?\S*"
                              + extension_id + r"\S*installedby%3Dpolicy")
        assert " 200 " in check
        wait_for_line(server.log, r'"GET /extension/odoo-support-reporter\.crx HTTP/1\.1" 200')
        # Installed and configured by the same policy: on the customer's production Odoo
        # the extension's banner shows (a policy setting), after it fetched its customer's
        # settings with the key only the policy gave it (200, not 401).
        page = open_once_configured(context, odoo_site.url(WEB_ROUTE))
        expect(page.locator(PRODUCTION_BANNER)).to_be_visible(timeout=10000)
        assert page.get_attribute("html", "data-odoo-support-environment") == "production"
        wait_for_line(server.log, r'"GET /api/v1/config HTTP/1\.1" 200')
        installed = tmp_path / "profile" / "Default" / "Extensions" / extension_id
        assert [path.name for path in installed.iterdir()] == [f"{built['version']}_0"]
        manifest = json.loads((installed / f"{built['version']}_0" / "manifest.json").read_text())
        assert manifest["update_url"] == f"{server.url}/extension/updates.xml"
    finally:
        context.close()
