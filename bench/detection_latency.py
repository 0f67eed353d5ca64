"""Detection latency: from an Odoo error's insertion to the extension's report button.

Every error page of the fixtures (tests/fixtures/odoo/<version>/, each a real JSON-RPC call
answered by the fixture server and rendered the way that Odoo version does) is opened in
headless Debian Chromium with the extension, `--rounds` times. A MutationObserver in the
page, installed before any of its scripts, records when the dialog or notification node was
added and when the button was: the difference is measured in the page's own clock.
Prints p50/p95/max and the ratio of p95 to the goal (50 ms).
Usage: .venv/bin/python bench/detection_latency.py [--rounds 3]
"""
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import options, percentile  # noqa: E402
from tests.e2e import test_error_detection as detection  # noqa: E402
from tests.e2e.conftest import launch  # noqa: E402
from tests.fixture_server import FixtureServer  # noqa: E402

GOAL_MS = 50


def measure(browser, site, version, name):
    """Milliseconds from the error node's insertion to the button's, on one fresh page."""
    site.use(f"odoo/{version}/{name}.html")
    page = browser.new_page()
    try:
        page.add_init_script(detection.TIMING_SCRIPT)
        page.goto(site.url(detection.route_of(version, name)))
        page.wait_for_selector(detection.BUTTON, timeout=detection.WAIT_MS)
        times = page.evaluate("window.__osrTimes")
        return times["button"] - times["error"]
    finally:
        page.close()


def main(argv=None):
    args = options(__doc__, argv, rounds=3)
    from playwright.sync_api import sync_playwright

    errors = detection.cases(lambda name, spec: spec is not None)
    pages = [(param.values[0], param.values[1]) for param in errors]
    delays = []
    site = FixtureServer().start()
    try:
        with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
            browser = launch(playwright, Path(profile))
            try:
                measure(browser, site, *pages[0])  # warm-up: the service worker's first start
                for _ in range(args.rounds):
                    delays.extend(measure(browser, site, version, name)
                                  for version, name in pages)
            finally:
                browser.context.close()
    finally:
        site.stop()
    p95 = percentile(delays, 0.95)
    print(f"{len(pages)} fixture error pages ({', '.join(detection.VERSIONS)}) "
          f"x {args.rounds} rounds, headless Debian Chromium with the extension")
    print(f"error inserted -> button, ms: p50 {statistics.median(delays):.1f}, "
          f"p95 {p95:.1f}, max {max(delays):.1f}")
    print(f"p95 / goal ({GOAL_MS} ms): x{p95 / GOAL_MS:.2f}")
    return 0 if p95 <= GOAL_MS else 1


if __name__ == "__main__":
    sys.exit(main())
