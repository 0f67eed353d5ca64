"""Which process owns a claim or a half-written report: `host.pid.starttime`.

The start time tells a crashed process (or a pid reused by another program) apart from a
live one without any lock file or daemon.
"""
import os
import re
import socket

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
