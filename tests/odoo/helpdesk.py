"""OCA helpdesk_mgmt on the harness's real Odoo (tests/odoo/conftest.py), for issue 11.

The harness prepares each version's tree, venv and cached database; this module adds the
helpdesk: the OCA wheel for the tree's series from PyPI (pip download, cached), its
folder as one more addons path, and a database of its own restored from the harness's
cache with helpdesk_mgmt installed, served by a second Odoo process.
"""
import dataclasses
import shutil
import subprocess
import sys
import xmlrpc.client
import zipfile

import pytest
import requests

from tests.odoo.instance import OdooInstance
from tests.odoo.trees import cache_root, locked

WHEEL_SPEC = {"16.0": ">=16.0,<16.1", "17.0": ">=17.0,<17.1", "18.0": ">=18.0,<18.1"}


def helpdesk_addons(series):
    """The addons folder holding helpdesk_mgmt for `series` (the OCA wheel from PyPI)."""
    if series not in WHEEL_SPEC:
        pytest.skip(f"no helpdesk_mgmt wheel known for Odoo {series}")
    target = cache_root() / "addons" / f"helpdesk_mgmt-{series}"
    with locked(target.with_suffix(".lock")):
        addons = target / "odoo" / "addons"
        if not (addons / "helpdesk_mgmt" / "__manifest__.py").exists():
            shutil.rmtree(target, ignore_errors=True)
            download = target.with_name(target.name + ".download")
            shutil.rmtree(download, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                            "--disable-pip-version-check", "-d", str(download),
                            f"odoo-addon-helpdesk-mgmt{WHEEL_SPEC[series]}"],
                           check=True, capture_output=True)
            [wheel] = download.glob("*.whl")
            with zipfile.ZipFile(wheel) as archive:
                archive.extractall(target)
            shutil.rmtree(download)
        return addons


def instance_attribute(name):
    """A read-only attribute that is the wrapped OdooInstance's own `name`."""
    return property(lambda self: getattr(self.instance, name))


class HelpdeskOdoo:
    """One version's Odoo with helpdesk_mgmt: its own database and process."""

    def __init__(self, base, workdir):
        tree = dataclasses.replace(base.tree,
                                   addons=[*base.tree.addons, helpdesk_addons(base.tree.series)])
        self.instance = OdooInstance(tree, base.python, base.cluster, workdir)
        self.instance.db = f"helpdesk{tree.major}"
        self.series = tree.series
        self.key = None

    def prepare(self):
        """The harness's cached database under another name, then helpdesk_mgmt into it."""
        # Once per run: conftest groups each version's tests. Should a selection still come
        # back to a version, start again from the cache.
        self.instance.cluster.run("dropdb", "--if-exists", self.instance.db)
        self.instance.prepare_database()
        with open(self.instance.log, "ab") as log:
            subprocess.run(self.instance._command("-i", "helpdesk_mgmt", "--stop-after-init",
                                                  "--no-http"),
                           check=True, stdout=log, stderr=subprocess.STDOUT)
        self.instance.start()
        self.key = self.api_key()
        return self

    url = instance_attribute("url")
    port = instance_attribute("port")
    db = instance_attribute("db")
    log = instance_attribute("log")

    def start(self):
        self.instance.start()

    def stop(self):
        self.instance.stop()

    def execute(self, model, method, *args, login=("admin", "admin"), **kwargs):
        with xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common") as common:
            uid = common.authenticate(self.db, login[0], login[1], {})
        with xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object", allow_none=True) as models:
            return models.execute_kw(self.db, uid, login[1], model, method, list(args), kwargs)

    def api_key(self):
        """A new API key of admin (res.users.apikeys, as Preferences > Account Security does)."""
        # _generate is private (not callable over RPC): a server action runs it.
        arguments = "None, 'support reporter'" + (", False" if self.series >= "18" else "")
        action = self.execute("ir.actions.server", "create", [{
            "name": "api key", "state": "code",
            "model_id": self.execute("ir.model", "search", [["model", "=", "res.users"]])[0],
            "code": f"action = {{'key': env['res.users.apikeys']._generate({arguments})}}"}])
        with requests.Session() as session:
            session.post(f"{self.url}/web/session/authenticate", json={
                "jsonrpc": "2.0", "method": "call",
                "params": {"db": self.db, "login": "admin", "password": "admin"}},
                timeout=60).raise_for_status()
            answer = session.post(f"{self.url}/web/action/run", json={
                "jsonrpc": "2.0", "method": "call",
                "params": {"action_id": action[0] if isinstance(action, list) else action}},
                timeout=60).json()
        return answer["result"]["key"]
