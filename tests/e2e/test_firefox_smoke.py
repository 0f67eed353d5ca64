"""Firefox: the same unpacked extension runs in Debian's firefox-esr (headless).

Playwright's Firefox is a patched build we may not download, so Firefox is driven through
Mozilla's own runner, `web-ext run`. One run shows the Firefox side end to end as far as
no click is needed: the add-on installs; its background scripts start without an uncaught
error; enterprise policy (Firefox's `policies.json`, `3rdparty.Extensions`) reaches
`storage.managed`; and on an Odoo page the content scripts recognise the web client and
ask the background for the configuration, which fetches it from the support server with
the policy's key — the request the server logs with Firefox's user agent.

The policy is the `distribution/policies.json` of a Firefox installation folder of the test's
own (tests/firefox/conftest.py), so nothing machine-wide is written. The flows themselves,
with clicks, are tests/firefox/.
"""
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.firefox.conftest import extension_policy, installation

ROOT = Path(__file__).resolve().parents[2]
FIREFOX = shutil.which("firefox-esr")
WEB_EXT = ROOT / "node_modules" / ".bin" / "web-ext"
GECKO_ID = "odoo-support-reporter@example.org"
ODOO_ROUTE = "/web#id=42&cids=1&menu_id=178&action=312&model=sale.order&view_type=form"

pytestmark = pytest.mark.browser


@pytest.fixture
def firefox_with_policy(tmp_path):
    """firefox_with_policy(values) -> a Firefox launcher whose policies.json configures us."""
    if not FIREFOX or not WEB_EXT.exists():
        pytest.fail("firefox-esr or web-ext missing: `make test` installs both")

    def make(values):
        return installation(tmp_path / "firefox", extension_policy(values))

    return make


def firefox_config_requests(server):
    log = server.log.read_text(errors="replace")
    return [line for line in log.splitlines()
            if "GET /api/v1/config" in line and "Firefox/" in line and '" 200 ' in line]


def test_firefox_runs_the_extension_with_policy_on_an_odoo_page(
        tmp_path, server_process, odoo_site, firefox_with_policy):
    server = server_process()
    odoo_site.use("odoo/17.0/validation.html")
    firefox = firefox_with_policy({"serverUrl": server.url, "customerKey": "demo",
                                   "productionOrigins": [odoo_site.origin]})
    log_path = tmp_path / "web-ext.log"
    env = {**os.environ, "MOZ_HEADLESS": "1"}
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [str(WEB_EXT), "run", "--source-dir", str(ROOT / "extension"),
             f"--firefox={firefox}", "--no-input", "--no-reload", "--verbose",
             "--start-url", odoo_site.url(ODOO_ROUTE), "--args=--headless"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            if firefox_config_requests(server):
                break
            time.sleep(0.5)
        # Kept: web-ext gives no handle into the page, so no event says the content scripts
        # are done. This only bounds how long errors are collected from the log: a shorter
        # wait could miss an error, never make one up.
        time.sleep(2)
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=20)
    output = log_path.read_text(errors="replace")
    assert "as a temporary add-on" in output, output[-3000:]
    # The fixture web client made its JSON-RPC call, so the page ran as Odoo's would.
    assert any(method == "POST" for method, _, _ in odoo_site.requests)
    assert firefox_config_requests(server), server.log.read_text()[-3000:]
    extension_errors = [
        line for line in output.splitlines()
        if re.search(r"moz-extension://\S+", line) and re.search(r"Error|error", line)
    ]
    assert not extension_errors, "\n".join(extension_errors[:20])
