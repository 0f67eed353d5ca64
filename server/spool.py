"""The spool's building blocks: durable writes (fsync file, then folder) and claim owners.

A claim or a half-written report names its owner as `host.pid.starttime`, so that a
crashed process (or a pid reused by another program) is told apart from a live one
without any lock file or daemon.
"""
import errno
import fcntl
import json
import os
import re
import secrets
import shutil
import socket
from contextlib import contextmanager
from pathlib import Path


def write_durably(path, data):
    """Write, flush and fsync a new file (the caller renames it into place).

    If any step fails (a full disk), the file it created is removed: no half file is left.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(path).unlink(missing_ok=True)  # O_EXCL: the file is ours
        raise


def replace_durably(path, data):
    """Atomically replace `path` with `data` (temp file, fsync, rename, fsync the folder)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    write_durably(tmp, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def is_storage_full(error):
    """True for "no space left" and "disk quota exceeded": the disk, not the data, is at fault."""
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)


@contextmanager
def locked(path):
    """An exclusive flock on `path` (created if needed) for the `with` block.

    The kernel drops the lock when the holder's file is closed or its process dies, so a
    crash can never leave a stale lock behind.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def fsync_dir(path):
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def json_bytes(data):
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def read_json(path):
    try:
        return json.loads(Path(path).read_bytes())
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return None


def remove_tree(path):
    shutil.rmtree(path, ignore_errors=True)


# -- which process owns a claim -------------------------------------------------------


_HOST = re.sub(r"[^A-Za-z0-9.-]", "-", socket.gethostname()) or "host"


def process_owner(pid=None):
    """`host.pid.starttime`: names one process, robust against pid reuse."""
    pid = pid or os.getpid()
    return f"{_HOST}.{pid}.{_start_time(pid)}"


def owner_alive(owner):
    """False only when we can tell the owning process is gone (same host, pid dead or reused)."""
    parts = owner.rsplit(".", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return False
    host, pid, start = parts[0], int(parts[1]), parts[2]
    if host != _HOST:
        return True  # another machine: only the lease can tell
    return start != "gone" and _start_time(pid) == start


_HAS_PROC = os.path.exists("/proc/self/stat")


def _start_time(pid):
    """The process's start time in clock ticks since boot ("gone" if it does not exist)."""
    if not _HAS_PROC:
        return _start_time_portable(pid)
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().decode("ascii", "replace").rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return "gone"
    # A zombie (killed, not yet reaped) holds no claim: it will never finish a delivery.
    return "gone" if fields[0] in ("Z", "X") else fields[19]


def _start_time_portable(pid):
    """Without /proc: alive or not, from signal 0 (pid reuse cannot be told apart)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return "gone"
    except PermissionError:
        pass
    return "0"


