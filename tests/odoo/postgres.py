"""A private PostgreSQL cluster for one test run: a temporary folder, a unix socket, no TCP.

Never the machine's default cluster. initdb and postgres refuse to run as root, so as root
they run as Debian's `postgres` system user (runuser); Odoo refuses the `postgres` role, so
the cluster gets a superuser role named after the user that runs Odoo.
"""
import getpass
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

PG_BIN = Path(os.environ.get("ODOO_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))


class PostgresCluster:
    def __init__(self):
        self.as_root = os.geteuid() == 0
        # Not under pytest's tmp folder: /tmp/pytest-of-root is closed to the postgres user.
        self.base = Path(tempfile.mkdtemp(prefix="odoo-test-pg-"))
        self.data = self.base / "data"
        self.socket_dir = self.base / "socket"
        self.log = self.base / "postgres.log"
        self.role = getpass.getuser()
        self.proc = None

    def _as_owner(self, argv):
        return ["runuser", "-u", "postgres", "--", *argv] if self.as_root else argv

    def start(self, timeout=60):
        if not (PG_BIN / "initdb").exists():
            raise RuntimeError(f"{PG_BIN}/initdb missing: `make odoo-deps` installs it")
        self.socket_dir.mkdir()
        if self.as_root:
            shutil.chown(self.base, "postgres")
            shutil.chown(self.socket_dir, "postgres")
        subprocess.run(self._as_owner([
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C", "--no-sync"]),
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # listen_addresses='' : the unix socket only, no TCP port at all. fsync off: a
        # throwaway cluster, and the 2-core CI spends its time elsewhere.
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(self._as_owner([
                str(PG_BIN / "postgres"), "-D", str(self.data), "-k", str(self.socket_dir),
                "-c", "listen_addresses=", "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off", "-c", "max_connections=100"]),
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while subprocess.call([str(PG_BIN / "pg_isready"), "-q", "-h", str(self.socket_dir)]) != 0:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"postgres did not start: {self.log.read_text()[-3000:]}")
            time.sleep(0.1)
        self.psql(f'CREATE ROLE "{self.role}" SUPERUSER LOGIN', user="postgres")
        return self

    def psql(self, sql, user=None, db="postgres"):
        return subprocess.run(
            [str(PG_BIN / "psql"), "-h", str(self.socket_dir), "-U", user or self.role, "-d", db,
             "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
            check=True, capture_output=True, text=True).stdout

    def run(self, tool, *args, **kwargs):
        """A client tool (pg_dump, pg_restore, createdb) against this cluster as our role."""
        return subprocess.run(
            [str(PG_BIN / tool), "-h", str(self.socket_dir), "-U", self.role, *args],
            check=True, capture_output=True, **kwargs)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            # SIGINT is postgres' "fast" shutdown; the whole group, runuser and postgres.
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        shutil.rmtree(self.base, ignore_errors=True)
