"""One Odoo version for a test run: its database (demo data) and its server process.

The database is initialised once per tree and modules, then kept in the cache as a pg_dump
with its filestore, web assets already built; later runs restore it in seconds. A partner's
tree (ODOO_SRC) is initialised afresh every run, since its code may have changed.
"""
import hashlib
import os
import re
import shutil
import signal
import subprocess
import time
import xmlrpc.client
from pathlib import Path

import requests

from tests.conftest import free_port, wait_until_answering
from tests.odoo.trees import cache_root, locked

MODULES = ("base", "web", "contacts", "portal")
LANGUAGE = "fi_FI"
# A user whose language is Finnish (for translated titles); created over XML-RPC.
FINNISH_USER = {"login": "maija", "password": "maija", "name": "Maija Meikäläinen"}
ADMIN = ("admin", "admin")
DEMO = ("demo", "demo")
PORTAL = ("portal", "portal")
ASSET = re.compile(r'(?:src|href)="(/web/assets/[^"]+)"')


class OdooInstance:
    """`python odoo-bin` for one tree, on a free loopback port, against the private cluster."""

    # Every origin an Odoo of this test run has served: what a test's browser must forget.
    origins = set()

    def __init__(self, tree, python, cluster, workdir):
        self.tree = tree
        self.python = python
        self.cluster = cluster
        self.workdir = Path(workdir)
        self.db = f"odoo{tree.major}"
        self.data_dir = self.workdir / "data"
        self.log = self.workdir / "odoo.log"
        self.port = None
        self.proc = None
        self.timings = {}

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def _command(self, *extra):
        config = self.workdir / "odoo.conf"  # empty: never read the machine's ~/.odoorc
        config.touch()
        return [str(self.python), str(self.tree.path / "odoo-bin"), "-c", str(config),
                "-d", self.db, f"--addons-path={self.tree.addons_path()}",
                f"--data-dir={self.data_dir}", f"--db_host={self.cluster.socket_dir}",
                f"--db_user={self.cluster.role}", "--workers=0", "--max-cron-threads=0", *extra]

    def cache_key(self):
        if self.tree.key is None:
            return None
        text = "|".join([self.tree.key, self.tree.requirements.read_text(), ",".join(MODULES),
                         LANGUAGE, repr(FINNISH_USER), "v3"])
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def prepare_database(self):
        """Restore the cached database, or initialise it (and cache it when the tree is ours)."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        key = self.cache_key()
        if key is None:
            self._initialise()
            return
        cached = cache_root() / "databases" / f"{self.tree.series}-{key}"
        with locked(cached.parent / f"{cached.name}.lock"):
            if (cached / ".complete").exists():
                started = time.monotonic()
                self._restore(cached)
                self.timings["database restored"] = time.monotonic() - started
                return
            self._initialise()
            self._save(cached)

    def _initialise(self):
        started = time.monotonic()
        self.cluster.run("createdb", "-T", "template0", "-E", "UTF8", self.db)
        with open(self.log, "ab") as log:
            subprocess.run(self._command(
                "-i", ",".join(MODULES), f"--load-language={LANGUAGE}", "--stop-after-init",
                "--no-http"), check=True, stdout=log, stderr=subprocess.STDOUT)
        self.timings["database initialised"] = time.monotonic() - started
        # Built once here so that the cached copy serves the web client without compiling.
        started = time.monotonic()
        self.start()
        try:
            self._create_finnish_user()
            self._build_assets()
        finally:
            self.stop()
        self.timings["users and assets"] = time.monotonic() - started

    def _save(self, cached):
        shutil.rmtree(cached, ignore_errors=True)
        partial = cached.with_name(cached.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        self.cluster.run("pg_dump", "-Fc", "-Z1", "-f", str(partial / "db.dump"), self.db)
        filestore = self.data_dir / "filestore" / self.db
        if filestore.exists():
            shutil.copytree(filestore, partial / "filestore")
        partial.rename(cached)
        (cached / ".complete").touch()

    def _restore(self, cached):
        self.cluster.run("createdb", "-T", "template0", "-E", "UTF8", self.db)
        self.cluster.run("pg_restore", "--no-owner", "-j", "2", "-d", self.db,
                         str(cached / "db.dump"))
        if (cached / "filestore").exists():
            shutil.copytree(cached / "filestore", self.data_dir / "filestore" / self.db)

    def start(self, timeout=120):
        """Serve the database; the same port again after a stop (a restarted server)."""
        self.port = self.port or free_port()
        self.gevent_port = getattr(self, "gevent_port", None) or free_port()
        OdooInstance.origins.add(self.url)
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(self._command(
                "--http-interface=127.0.0.1", f"--http-port={self.port}",
                f"--gevent-port={self.gevent_port}", f"--db-filter=^{self.db}$"),
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_until_answering(self.proc, self.url + "/web/login", f"Odoo {self.tree.series}",
                             self.log_tail, timeout, request_timeout=5, pause=0.2)
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:  # a request still running: no need to be polite
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def log_tail(self, chars=6000):
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""

    # -- talking to Odoo ------------------------------------------------------------------

    def xmlrpc(self, login=ADMIN):
        """execute(model, method, *args, **kwargs) over XML-RPC as `login`."""
        common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common")
        uid = common.authenticate(self.db, login[0], login[1], {})
        models = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object", allow_none=True)

        def execute(model, method, *args, **kwargs):
            return models.execute_kw(self.db, uid, login[1], model, method, list(args), kwargs)
        return execute

    def session(self, login=ADMIN):
        """A logged-in requests session (its `session_id` cookie can go into a browser)."""
        http = requests.Session()
        answer = http.post(f"{self.url}/web/session/authenticate", json={
            "jsonrpc": "2.0", "method": "call",
            "params": {"db": self.db, "login": login[0], "password": login[1]}}, timeout=60)
        answer.raise_for_status()
        if "error" in answer.json():
            raise RuntimeError(answer.json()["error"])
        return http

    def _create_finnish_user(self):
        """Maija speaks Finnish; the others English (loading fi_FI at init made it the default)."""
        execute = self.xmlrpc()
        english = execute("res.lang", "search", [["code", "=", "en_US"]],
                          context={"active_test": False})
        execute("res.lang", "write", english, {"active": True})
        users = execute("res.users", "search", [["login", "in", ["admin", "demo", "portal"]]],
                        context={"active_test": False})
        execute("res.users", "write", users, {"lang": "en_US"})
        [group] = execute("ir.model.data", "search_read",
                          [["module", "=", "base"], ["name", "=", "group_user"]], fields=["res_id"])
        execute("res.users", "create", {
            **FINNISH_USER, "lang": LANGUAGE, "email": "maija@example.com",
            "groups_id": [(6, 0, [group["res_id"]])]})

    def _build_assets(self):
        """Fetch every asset bundle the login page, the web client and the portal use."""
        for login, path in ((None, "/web/login"), (ADMIN, "/web"), (PORTAL, "/my")):
            http = self.session(login) if login else requests.Session()
            page = http.get(self.url + path, timeout=120)
            page.raise_for_status()
            for asset in set(ASSET.findall(page.text)):
                http.get(self.url + asset, timeout=300).raise_for_status()

