"""Real Odoo servers for the benchmarks, prepared as the test harness does (tests/odoo/).

The first run on a machine unpacks each tree, builds its virtualenv and initialises its
database (minutes per version, cached in ~/.cache/odoo-support-reporter); later runs
restore the cached database and start the server in seconds.
"""
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from tests.odoo.instance import OdooInstance
from tests.odoo.postgres import PostgresCluster
from tests.odoo.trees import find_trees
from tests.odoo.venvs import odoo_venv


def wanted_trees(versions=None):
    """The shared trees (or ODOO_SRC's), narrowed to `versions` ("17.0,18.0") when given."""
    trees, skipped = find_trees()
    wanted = {v.strip() for v in (versions or os.environ.get("ODOO_VERSIONS", "")).split(",")
              if v.strip()}
    if wanted:
        trees = [tree for tree in trees if tree.series in wanted]
    if not trees:
        raise SystemExit(f"no Odoo tree to run: {skipped or 'none matches ' + str(wanted)}")
    return trees


@contextmanager
def odoo_servers(versions=None):
    """Yield (series, started OdooInstance) one version at a time, each stopped after use.

    One private PostgreSQL cluster for the whole run; what preparing each version took
    (tree, venv, database) is printed, so a cold machine's first run says where time went.
    """
    trees = wanted_trees(versions)
    cluster = PostgresCluster().start()
    workdir = Path(tempfile.mkdtemp(prefix="osr-bench-odoo-"))

    def each():
        for tree in trees:
            started = time.monotonic()
            tree.prepare()
            unpacked = time.monotonic() - started
            python, venv_seconds = odoo_venv(tree, workdir / f"{tree.series}-pip.log")
            instance = OdooInstance(tree, python, cluster, workdir / tree.series)
            instance.prepare_database()
            started = time.monotonic()
            instance.start()
            steps = {"tree": unpacked, "venv": venv_seconds, **instance.timings,
                     "server start": time.monotonic() - started}
            print(f"Odoo {tree.version}: " + ", ".join(
                f"{name} {seconds:.0f} s" for name, seconds in steps.items()), flush=True)
            try:
                yield tree.series, instance
            finally:
                instance.stop()

    servers = each()
    try:
        yield servers
    finally:
        servers.close()  # the server in use, when the caller left early
        cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)
