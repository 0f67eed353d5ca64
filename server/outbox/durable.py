"""Durable writes for the spool: fsync the file, then its folder; nothing half-written stays."""
import errno
import fcntl
import json
import os
import secrets
import shutil
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
