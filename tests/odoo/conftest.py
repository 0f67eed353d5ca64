"""Real Odoo servers for the browser tests: one per version, prepared once per test run.

Which trees: `ODOO_SRC` (+ `ODOO_ADDONS`), else every ../shared/odoo/odoo-*.tar.xz;
`ODOO_VERSIONS=17.0,18.0` narrows them. Tests take the `odoo` fixture and run once per
version. All versions are prepared in the background from the first test on (unpack, venv,
database), so one version's tests run while the next one is being built.
"""
import concurrent.futures
import os
import time

import pytest

from tests.e2e.conftest import close_pages, reset
from tests.odoo.instance import OdooInstance
from tests.odoo.pages import forget_site_data
from tests.odoo.postgres import PostgresCluster
from tests.odoo.trees import find_trees
from tests.odoo.venvs import odoo_venv

TREES, SKIPPED = find_trees()
_wanted = {v.strip() for v in os.environ.get("ODOO_VERSIONS", "").split(",") if v.strip()}
if _wanted:
    for _tree in [t for t in TREES if t.series not in _wanted]:
        SKIPPED[_tree.series] = f"not in ODOO_VERSIONS={os.environ['ODOO_VERSIONS']}"
    TREES = [t for t in TREES if t.series in _wanted]

# What the summary reports: series -> {"version", "timings", "error"}; filled as versions run.
STATUS = {}


def pytest_generate_tests(metafunc):
    if "odoo_tree" not in metafunc.fixturenames:
        return
    if TREES:
        params = [pytest.param(tree, id=tree.series) for tree in TREES]
    else:
        reason = "; ".join(f"{k}: {v}" for k, v in SKIPPED.items()) or "no Odoo tree"
        params = [pytest.param(None, id="no-odoo", marks=pytest.mark.skip(reason=reason))]
    metafunc.parametrize("odoo_tree", params, scope="session")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Every test of one Odoo version before the next version's, module order kept within.

    Pytest's own grouping leaves parametrized tests of several modules interleaved (16, 17,
    18, then 16 again), and each return to a version tears down and rebuilds its session
    fixtures: the helpdesk database (a module install, about a minute), Odoo, the Chromium.
    """
    order = {tree.series: index for index, tree in enumerate(TREES)}

    def series(item):
        tree = getattr(item, "callspec", None) and item.callspec.params.get("odoo_tree")
        return order.get(tree.series) if tree else None

    slots = [index for index, item in enumerate(items) if series(item) is not None]
    grouped = sorted((items[index] for index in slots), key=series)  # stable: keeps module order
    for index, item in zip(slots, grouped, strict=True):
        items[index] = item


class Preparation:
    """Builds every collected version in the background: tree, venv, then database."""

    def __init__(self, trees, workdir):
        self.workdir = workdir
        self.cluster = None
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=2)
        self.futures = {}
        self.trees = trees

    def start(self):
        self.cluster = PostgresCluster().start()
        # Venvs in parallel (mostly download and unpacking); database inits one at a time
        # in the order the tests need them (each takes a core).
        self.futures = {tree.series: self.pool.submit(self._prepare, tree) for tree in self.trees}
        return self

    def _prepare(self, tree):
        timings = {}
        started = time.monotonic()
        tree.prepare()
        timings["tree"] = time.monotonic() - started
        workdir = self.workdir / tree.series
        workdir.mkdir(parents=True, exist_ok=True)
        python, timings["venv"] = odoo_venv(tree, workdir / "pip.log")
        instance = OdooInstance(tree, python, self.cluster, workdir)
        instance.prepare_database()
        timings.update(instance.timings)
        STATUS.setdefault(tree.series, {})["timings"] = timings
        return instance

    def instance(self, tree):
        return self.futures[tree.series].result()

    def stop(self):
        for future in self.futures.values():
            future.cancel()
        self.pool.shutdown(wait=True)
        if self.cluster:
            self.cluster.stop()


@pytest.fixture(scope="session")
def odoo_preparation(request, tmp_path_factory):
    series = {item.callspec.params["odoo_tree"].series for item in request.session.items
              if hasattr(item, "callspec") and item.callspec.params.get("odoo_tree")}
    trees = [tree for tree in TREES if tree.series in series]
    preparation = Preparation(trees, tmp_path_factory.mktemp("odoo")).start()
    yield preparation
    preparation.stop()


@pytest.fixture(scope="session")
def odoo(odoo_tree, odoo_preparation):
    """The running Odoo of this version (admin/admin, demo/demo, portal/portal, maija/maija)."""
    status = STATUS.setdefault(odoo_tree.series, {})
    try:
        instance = odoo_preparation.instance(odoo_tree)
        status["version"] = odoo_tree.version
        started = time.monotonic()
        instance.start()
        status.setdefault("timings", {})["server start"] = time.monotonic() - started
    except Exception as error:
        status["error"] = f"{type(error).__name__}: {str(error)[:300]}"
        raise
    status["ran"] = True
    yield instance
    instance.stop()


@pytest.fixture
def browser(chromium, odoo, request):
    """The session's Chromium, as a fresh profile would be: no cookies, no settings, no pages."""
    request.node.odoo_log_offset = odoo.log.stat().st_size if odoo.log.exists() else 0
    request.node.odoo_instance = odoo
    reset(chromium)
    forget_site_data(chromium, OdooInstance.origins)
    yield chromium
    close_pages(chromium)
    if odoo.proc.poll() is not None:  # a test that stopped Odoo and failed before restarting
        odoo.start()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On failure, show what Odoo logged during the test."""
    outcome = yield
    report = outcome.get_result()
    instance = getattr(item, "odoo_instance", None)
    if report.failed and instance is not None and instance.log.exists():
        with open(instance.log, "rb") as log:
            log.seek(getattr(item, "odoo_log_offset", 0))
            text = log.read().decode(errors="replace")
        report.sections.append((f"Odoo {instance.tree.series} log", text[-20000:]))


def pytest_terminal_summary(terminalreporter):
    """Which Odoo versions ran, which were skipped and why, and what preparing them cost."""
    collected = any("tests/odoo/" in report.nodeid
                    for reports in terminalreporter.stats.values() for report in reports
                    if hasattr(report, "nodeid"))
    if not collected:
        return
    terminalreporter.section("real Odoo")
    for tree in TREES:
        status = STATUS.get(tree.series, {})
        timings = ", ".join(f"{name} {seconds:.0f} s"
                            for name, seconds in status.get("timings", {}).items())
        if status.get("ran"):
            terminalreporter.write_line(f"{tree.series} ran: {status['version']} ({timings})")
        elif status.get("error"):
            terminalreporter.write_line(f"{tree.series} FAILED to start: {status['error']}")
        else:
            terminalreporter.write_line(f"{tree.series} not run: no test of it was selected")
    for series, reason in SKIPPED.items():
        terminalreporter.write_line(f"{series} skipped: {reason}")
