"""A real Odoo 17 with OCA helpdesk_mgmt, self-contained (until the shared harness lands).

Tree: ../shared/odoo/odoo-<series>.tar.xz, unpacked once into the cache. Venv: Odoo's
requirements (../shared/odoo/requirements-<series>-py311.txt), cached. helpdesk_mgmt: the
OCA wheel from PyPI (pip download), unpacked beside. PostgreSQL: a private cluster on a
unix socket in a temporary folder, as the postgres system user when run as root.
"""
import fcntl
import getpass
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
import xmlrpc.client
import zipfile
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "odoo"
PG_BIN = Path(os.environ.get("ODOO_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
WHEEL_SPEC = {"16.0": ">=16.0,<16.1", "17.0": ">=17.0,<17.1", "18.0": ">=18.0,<18.1"}


def cache_root():
    configured = os.environ.get("ODOO_TEST_CACHE")
    base = Path(configured) if configured else Path.home() / ".cache" / "odoo-support-reporter"
    base.mkdir(parents=True, exist_ok=True)
    return base


@contextmanager
def locked(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def file_hash(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:16]


def odoo_tree(series):
    """The unpacked tree of `series` (cached by the tarball's hash)."""
    tarball = SHARED / f"odoo-{series}.tar.xz"
    target = cache_root() / "trees" / file_hash(tarball)
    with locked(target.with_suffix(".lock")):
        tree = target / f"odoo-{series}"
        if not (tree / "odoo-bin").exists():
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            with tarfile.open(tarball) as archive:
                archive.extractall(target, filter="data")
        return tree


def odoo_python(series, tree):
    """Python of a venv with the tree's requirements (cached by their hash)."""
    requirements = SHARED / f"requirements-{series}-py311.txt"
    text = requirements.read_text()
    key = hashlib.sha256((sys.version + text).encode()).hexdigest()[:16]
    target = cache_root() / "venvs" / f"{series}-helpdesk-{key}"
    python = target / "bin" / "python"
    # The shared harness's venv of this tree serves as well (same requirements).
    for other in sorted((cache_root() / "venvs").glob(f"{series}-*/.installed")):
        return other.parent / "bin" / "python"
    with locked(target.with_suffix(".lock")):
        if not (target / ".installed").exists():
            shutil.rmtree(target, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "venv", str(target)], check=True)
            subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(requirements),
                            "setuptools<70"], check=True)
            (target / ".installed").touch()
    return python


def helpdesk_addons(series):
    """The addons folder holding helpdesk_mgmt for `series` (the OCA wheel from PyPI)."""
    target = cache_root() / "addons" / f"helpdesk_mgmt-{series}"
    with locked(target.with_suffix(".lock")):
        addons = target / "odoo" / "addons"
        if not (addons / "helpdesk_mgmt" / "__manifest__.py").exists():
            shutil.rmtree(target, ignore_errors=True)
            download = target.with_name(target.name + ".download")
            shutil.rmtree(download, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                            "-d", str(download), f"odoo-addon-helpdesk-mgmt{WHEEL_SPEC[series]}"],
                           check=True)
            [wheel] = download.glob("*.whl")
            with zipfile.ZipFile(wheel) as archive:
                archive.extractall(target)
            shutil.rmtree(download)
        return addons


class Postgres:
    """A private cluster: unix socket only, a superuser role named after this user."""

    def __init__(self):
        self.as_root = os.geteuid() == 0
        self.base = Path(tempfile.mkdtemp(prefix="helpdesk-pg-"))
        self.data, self.socket_dir = self.base / "data", self.base / "socket"
        self.role = getpass.getuser()
        self.proc = None

    def _owner(self, argv):
        return ["runuser", "-u", "postgres", "--", *argv] if self.as_root else argv

    def start(self):
        self.socket_dir.mkdir()
        if self.as_root:
            shutil.chown(self.base, "postgres")
            shutil.chown(self.socket_dir, "postgres")
        subprocess.run(self._owner([str(PG_BIN / "initdb"), "-D", str(self.data), "-U",
                                    "postgres", "--auth=trust", "-E", "UTF8", "--locale=C",
                                    "--no-sync"]), check=True, capture_output=True)
        self.proc = subprocess.Popen(self._owner([
            str(PG_BIN / "postgres"), "-D", str(self.data), "-k", str(self.socket_dir), "-c",
            "listen_addresses=", "-c", "fsync=off", "-c", "synchronous_commit=off"]),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 60
        while subprocess.call([str(PG_BIN / "pg_isready"), "-q", "-h", str(self.socket_dir)]):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("postgres did not start")
            time.sleep(0.1)
        subprocess.run([str(PG_BIN / "psql"), "-h", str(self.socket_dir), "-U", "postgres",
                        "-d", "postgres", "-qc", f'CREATE ROLE "{self.role}" SUPERUSER LOGIN'],
                       check=True, capture_output=True)
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            self.proc.wait(timeout=30)
        shutil.rmtree(self.base, ignore_errors=True)


class HelpdeskOdoo:
    """One Odoo with helpdesk_mgmt (demo data), served on a loopback port."""

    def __init__(self, series, workdir, postgres, port):
        self.series = series
        self.tree = odoo_tree(series)
        self.python = odoo_python(series, self.tree)
        self.addons = helpdesk_addons(series)
        self.workdir = Path(workdir)
        self.postgres = postgres
        self.port = port
        self.db = "helpdesk"
        self.log = self.workdir / "odoo.log"
        self.proc = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def command(self, *extra):
        config = self.workdir / "odoo.conf"
        config.touch()
        return [str(self.python), str(self.tree / "odoo-bin"), "-c", str(config), "-d", self.db,
                f"--addons-path={self.tree / 'odoo' / 'addons'},{self.addons}",
                f"--data-dir={self.workdir / 'data'}", f"--db_host={self.postgres.socket_dir}",
                f"--db_user={self.postgres.role}", "--workers=0", "--max-cron-threads=0", *extra]

    def initialise(self):
        with open(self.log, "ab") as log:
            subprocess.run(self.command("-i", "helpdesk_mgmt", "--stop-after-init", "--no-http"),
                           check=True, stdout=log, stderr=subprocess.STDOUT)

    def start(self, timeout=120):
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(self.command(
                "--http-interface=127.0.0.1", f"--http-port={self.port}",
                f"--gevent-port={self.port + 1}", f"--db-filter=^{self.db}$"),
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(self.log.read_text(errors="replace")[-4000:])
            try:
                if requests.get(self.url + "/web/login", timeout=5).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError("Odoo did not answer")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def execute(self, model, method, *args, login=("admin", "admin"), **kwargs):
        with xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common") as common:
            uid = common.authenticate(self.db, login[0], login[1], {})
        with xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object", allow_none=True) as models:
            return models.execute_kw(self.db, uid, login[1], model, method, list(args), kwargs)

    def api_key(self):
        """A new API key of admin (res.users.apikeys, as Preferences > Account Security does)."""
        with requests.Session() as session:
            return self._api_key(session)

    def _api_key(self, session):
        answer = session.post(f"{self.url}/web/session/authenticate", json={
            "jsonrpc": "2.0", "method": "call",
            "params": {"db": self.db, "login": "admin", "password": "admin"}}, timeout=60)
        answer.raise_for_status()
        # _generate is private (not callable over RPC): call it through a server action.
        code = ("action = {'key': env['res.users.apikeys']._generate(None, 'support reporter')}"
                if self.series < "18" else
                "action = {'key': env['res.users.apikeys']._generate(None, 'support reporter',"
                " False)}")
        action = self.execute("ir.actions.server", "create", [{
            "name": "api key", "model_id": self.execute(
                "ir.model", "search", [["model", "=", "res.users"]])[0],
            "state": "code", "code": code}])
        result = session.post(f"{self.url}/web/action/run", json={
            "jsonrpc": "2.0", "method": "call",
            "params": {"action_id": action[0] if isinstance(action, list) else action}},
            timeout=60).json()
        return result["result"]["key"]
