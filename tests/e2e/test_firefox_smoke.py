"""Firefox: the same unpacked extension installs and starts in firefox-esr (headless).

Playwright's Firefox is a patched build we may not download, so this is a smoke
test through Mozilla's own runner, `web-ext run`: the add-on must install as a
temporary add-on and its background scripts must start without an uncaught error.
"""
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIREFOX = shutil.which("firefox-esr")
WEB_EXT = ROOT / "node_modules" / ".bin" / "web-ext"

pytestmark = pytest.mark.skipif(
    not FIREFOX or not WEB_EXT.exists(),
    reason="firefox-esr or web-ext missing (make test installs both)",
)


def test_extension_installs_and_starts_in_firefox_esr(tmp_path):
    log_path = tmp_path / "web-ext.log"
    env = {**os.environ, "MOZ_HEADLESS": "1"}
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [str(WEB_EXT), "run", "--source-dir", str(ROOT / "extension"),
             f"--firefox={FIREFOX}", "--no-input", "--no-reload", "--verbose",
             "--start-url", "about:blank", "--args=--headless"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and proc.poll() is None:
                if b"as a temporary add-on" in log_path.read_bytes():
                    break
                time.sleep(0.5)
            time.sleep(3)  # let the background scripts run
        finally:
            os.killpg(proc.pid, 15)
            proc.wait(timeout=20)
    output = log_path.read_text(errors="replace")
    assert "Installed" in output and "as a temporary add-on" in output, output[-3000:]
    extension_errors = [
        line for line in output.splitlines()
        if re.search(r"moz-extension://\S+", line) and re.search(r"Error|error", line)
    ]
    assert not extension_errors, "\n".join(extension_errors[:20])
