#!/usr/bin/env python3
"""What the extension costs an Odoo page: the same DOM work timed with and without it.

A fixture Odoo 17 form (served on loopback) is loaded in Debian's headless Chromium twice
per round, once with the extension and once without, alternating so that machine noise
hits both alike. In the page, a list of 2,000 rows (each with a few cells, like a list
view) is added and removed in 40 batches, the kind of churn Odoo's own rendering makes;
the renderer's main-thread time measures it (CDP TaskDuration, in thread time). The
extension's observer watches every batch (it looks only at added nodes, with bounded work
per batch), so the ratio is its whole cost.

    .venv/bin/python bench/extension_overhead.py [rounds]
"""
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench.common import load_average  # noqa: E402
from tests.e2e.conftest import CHROMIUM, EXTENSION  # noqa: E402
from tests.fixture_server import FixtureServer  # noqa: E402

ROUTE = "/web#id=42&cids=1&menu_id=178&action=312&model=sale.order&view_type=form"
CHURN = """async () => {
  const host = document.querySelector(".o_content") || document.body;
  const started = performance.now();
  for (let batch = 0; batch < 40; batch++) {
    const rows = document.createDocumentFragment();
    for (let i = 0; i < 50; i++) {
      const row = document.createElement("tr");
      row.className = "o_data_row";
      for (let cell = 0; cell < 6; cell++) {
        const td = document.createElement("td");
        td.className = "o_data_cell";
        td.textContent = `S${batch}-${i}-${cell}`;
        row.append(td);
      }
      rows.append(row);
    }
    host.append(rows);
    await new Promise((resolve) => setTimeout(resolve, 0)); // let observers run per batch
  }
  host.querySelectorAll(".o_data_row").forEach((row) => row.remove());
  await new Promise((resolve) => setTimeout(resolve, 0));
  return performance.now() - started;
}"""
BASE_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run"]
GOAL_RATIO = 1.02


def launch_with_or_without(playwright, profile, with_extension):
    """Debian's headless Chromium on a fresh profile, the extension loaded or not."""
    args = list(BASE_ARGS)
    if with_extension:
        args += [f"--disable-extensions-except={EXTENSION}", f"--load-extension={EXTENSION}"]
    return playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, headless=True, args=args)


def main_thread_seconds(page, script, arg=None):
    """TaskDuration and ScriptDuration of the page's renderer (CDP) while `script` runs."""
    cdp = page.context.new_cdp_session(page)
    # Thread time, not wall time: on a shared machine the renderer waits for a core, and
    # that wait is nobody's cost.
    cdp.send("Performance.enable", {"timeDomain": "threadTicks"})

    def metrics():
        return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    before = metrics()
    page.evaluate(script, arg)
    after = metrics()
    cdp.detach()
    return {name: after[name] - before[name] for name in ("TaskDuration", "ScriptDuration")}


def measure(playwright, site, with_extension):
    with tempfile.TemporaryDirectory() as profile:
        context = launch_with_or_without(playwright, profile, with_extension)
        try:
            page = context.new_page()
            page.goto(site.url(ROUTE))
            page.wait_for_function("window.fixtureLog && window.fixtureLog.length >= 1",
                                   timeout=15000)
            if with_extension:  # the content scripts have recognised the page
                page.wait_for_selector("html[data-odoo-support-environment]", state="attached",
                                       timeout=15000)
            page.evaluate(CHURN)  # warm-up: JIT and layout caches
            return main_thread_seconds(page, CHURN)["TaskDuration"] * 1000
        finally:
            context.close()


def main(rounds=5):
    site = FixtureServer().start()
    site.use("odoo/17.0/page-form.html")
    timings = {True: [], False: []}
    try:
        with sync_playwright() as playwright:
            for _ in range(rounds):
                for with_extension in (False, True):
                    timings[with_extension].append(measure(playwright, site, with_extension))
    finally:
        site.stop()
    without, with_ = statistics.median(timings[False]), statistics.median(timings[True])
    print(f"DOM churn on an Odoo 17 form: 2,000 list rows added in 40 batches, then removed "
          f"({rounds} rounds, main-thread milliseconds)")
    print(f"{'':18}{'median':>10}{'min':>10}{'max':>10}")
    for label, values in (("without extension", timings[False]), ("with extension", timings[True])):
        print(f"{label:18}{statistics.median(values):10.1f}{min(values):10.1f}{max(values):10.1f}")
    print(f"with / without: median x{with_ / without:.2f} (goal ≤ x{GOAL_RATIO}; "
          f"load average {load_average():.1f})")
    return 0 if with_ / without <= GOAL_RATIO else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
