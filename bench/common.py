"""What the benchmarks share: command-line options, percentiles, a process tree's memory and CPU."""
import argparse
import os


def options(doc, argv, **defaults):
    """The command line's `--name value` options, one per default (of its type); `doc` is --help."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    for name, default in defaults.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(default), default=default)
    return parser.parse_args(argv)


def percentile(values, fraction):
    """The nearest-rank percentile (`fraction` 0.95 for p95) of a non-empty sequence."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def process_tree(pid):
    """The process and all its descendants (gunicorn master and workers)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            with open(f"/proc/{current}/task/{current}/children", encoding="ascii") as kids:
                pending.extend(int(child) for child in kids.read().split())
        except OSError:  # exited meanwhile
            continue
    return found


def _proc_files(pid, name):
    """The text of /proc/<p>/<name> for every live process of the tree."""
    for current in process_tree(pid):
        try:
            with open(f"/proc/{current}/{name}", encoding="ascii") as handle:
                yield handle.read()
        except OSError:  # exited meanwhile
            continue


def rss_bytes(pid):
    """Resident memory of the process tree: master and workers."""
    return sum(int(line.split()[1]) * 1024 for status in _proc_files(pid, "status")
               for line in status.splitlines() if line.startswith("VmRSS:"))


def cpu_seconds(pid):
    """CPU time (user + system) the process tree has used, all its threads."""
    ticks = 0
    for stat in _proc_files(pid, "stat"):
        fields = stat.rpartition(")")[2].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def load_average():
    """The 1-minute load average, printed beside every figure (the machine is shared)."""
    return os.getloadavg()[0]
