"""What the extension costs a heavy real Odoo view: a list of 1,000 contacts re-sorted.

A real Odoo server (the test harness's, tests/odoo/; 17.0 unless `--versions` or
ODOO_VERSIONS says otherwise) gets 1,000 more contacts over XML-RPC and a window action
that lists res.partner 1,000 to a page. Two headless Debian Chromiums run side by side,
one with the extension and one without; each round opens the list afresh in both, in
turn (alternating which goes first), re-sorts it twice to warm up, then `--sorts` times
more: every sort fetches the 1,000 records again and Odoo re-renders every row. The
renderer's main-thread time over those sorts comes from the Chrome DevTools Protocol
(Performance.getMetrics: TaskDuration, ScriptDuration, in thread time), so Odoo's own
rendering and the extension's content scripts are counted, the server is not.
Prints both per round and the median ratio with / without against the goal (≤ 1.02).
Usage: .venv/bin/python bench/extension_overhead_odoo.py [--rounds 6] [--sorts 4]
       [--bare-observers]   (two do-nothing document-wide observers instead of the extension)
"""
import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import load_average  # noqa: E402
from bench.extension_overhead import launch_with_or_without, main_thread_seconds  # noqa: E402
from bench.real_odoo import odoo_servers  # noqa: E402
from tests.odoo.pages import WAIT_MS, log_in  # noqa: E402

GOAL_RATIO = 1.02
RECORDS = 1000
ROWS = ".o_list_view .o_data_row"
# Sort by the first sortable column again and again, each time until Odoo has drawn the
# other order (its first row changed) with every row; polled from a timer, alike for both.
RESORT = """async ([times, rows, selector]) => {
  const firstRow = () => document.querySelector(selector)?.textContent;
  for (let time = 0; time < times; time++) {
    const before = firstRow();
    document.querySelector(".o_list_table thead th.o_column_sortable").click();
    while (firstRow() === before || document.querySelectorAll(selector).length < rows) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}"""


def heavy_list_action(odoo):
    """1,000 new contacts and an action listing res.partner 1,000 to a page: its URL."""
    execute = odoo.xmlrpc()
    execute("res.partner", "create", [
        {"name": f"Bench Contact {n:04d}", "email": f"bench{n}@example.com",
         "phone": f"+358 40 {n:07d}", "city": "Turku"} for n in range(RECORDS)])
    view_mode = "list" if odoo.tree.major >= 18 else "tree"
    action = execute("ir.actions.act_window", "create", {
        "name": "Bench contacts", "res_model": "res.partner", "view_mode": view_mode,
        "limit": RECORDS})
    return f"/web#action={action}&model=res.partner&view_type=list"


# `--bare-observers`: instead of the extension, two observers that do nothing but walk the
# added nodes, on what the extension watches (document and body, subtree): what observing
# the whole document costs by itself, whoever observes.
BARE_OBSERVERS = """
const walk = (records) => {
  for (const record of records) for (const node of record.addedNodes) node.nodeType;
};
new MutationObserver(walk).observe(document, {childList: true, subtree: true});
document.addEventListener("DOMContentLoaded", () => {
  new MutationObserver(walk).observe(document.body, {childList: true, subtree: true});
});
"""


def measure(browser, odoo, path, with_extension, sorts, bare_observers=False):
    page = browser.new_page()
    try:
        if with_extension and bare_observers:
            page.add_init_script(BARE_OBSERVERS)
            with_extension = False  # no content scripts to wait for
        page.goto(odoo.url + path)
        page.wait_for_function(f"document.querySelectorAll('{ROWS}').length >= {RECORDS}",
                               timeout=WAIT_MS * 2)
        if with_extension:  # the content scripts have recognised the page
            page.wait_for_selector("html[data-odoo-support-environment]", state="attached",
                                   timeout=WAIT_MS)
        page.evaluate(RESORT, [2, RECORDS, ROWS])  # warm-up: JIT, Odoo's caches
        return main_thread_seconds(page, RESORT, [sorts, RECORDS, ROWS])
    finally:
        page.close()


class Plain:
    """A browser without the extension, as log_in() wants it (its context)."""

    def __init__(self, context):
        self.context = context


def measure_version(playwright, odoo, rounds, sorts, bare_observers=False):
    path = heavy_list_action(odoo)
    runs = {True: [], False: []}
    with tempfile.TemporaryDirectory() as profiles:
        browsers = {with_extension: Plain(launch_with_or_without(
            playwright, Path(profiles) / str(with_extension),
            with_extension and not bare_observers))
            for with_extension in (False, True)}
        try:
            for browser in browsers.values():
                log_in(browser, odoo)
            for number in range(rounds):
                order = (False, True) if number % 2 == 0 else (True, False)
                for with_extension in order:
                    runs[with_extension].append(measure(
                        browsers[with_extension].context, odoo, path, with_extension, sorts,
                        bare_observers))
        finally:
            for browser in browsers.values():
                browser.context.close()
    return runs


def report(series, runs, sorts, load, bare_observers=False):
    print(f"Odoo {series}: a list of {RECORDS} contacts re-sorted {sorts} times per round, "
          f"main-thread seconds (load average {load:.1f})"
          + ("; 'with' is two bare observers, not the extension" if bare_observers else ""))
    print(f"{'round':>6}{'task without':>14}{'task with':>11}{'ratio':>8}"
          f"{'script without':>16}{'script with':>13}")
    ratios = []
    for number, (without, with_) in enumerate(zip(runs[False], runs[True], strict=True), 1):
        ratio = with_["TaskDuration"] / without["TaskDuration"]
        ratios.append(ratio)
        print(f"{number:>6}{without['TaskDuration']:>14.3f}{with_['TaskDuration']:>11.3f}"
              f"{ratio:>8.3f}{without['ScriptDuration']:>16.3f}{with_['ScriptDuration']:>13.3f}")
    script = statistics.median(w["ScriptDuration"] / o["ScriptDuration"]
                               for o, w in zip(runs[False], runs[True], strict=True))
    median = statistics.median(ratios)
    print(f"with / without, median of the rounds: TaskDuration x{median:.3f}, "
          f"ScriptDuration x{script:.3f} (goal ≤ x{GOAL_RATIO})")
    return median


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--sorts", type=int, default=4)
    parser.add_argument("--bare-observers", action="store_true",
                        help="compare with two bare document-wide observers, not the extension")
    parser.add_argument("--versions", help="e.g. 16.0,18.0 (default: ODOO_VERSIONS, else 17.0)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    missed = False
    with sync_playwright() as playwright, odoo_servers(
            args.versions or os.environ.get("ODOO_VERSIONS") or "17.0") as servers:
        for series, odoo in servers:
            runs = measure_version(playwright, odoo, args.rounds, args.sorts,
                                   args.bare_observers)
            missed |= report(series, runs, args.sorts, load_average(),
                             args.bare_observers) > GOAL_RATIO
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
