"""POST /api/v1/reports latency with the SMTP server up, down and hanging, in one run.

The web request only writes the outbox (issue 3), so the three columns should be alike.
Starts a real SMTP sink and, per scenario, a fresh server subprocess with its own spool.
Usage: .venv/bin/python bench/post_latency.py [--posts 50]
"""
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import options, percentile  # noqa: E402
from tests.conftest import ServerProcess  # noqa: E402
from tests.server.samples import report_body  # noqa: E402
from tests.smtp_sink import SmtpSink  # noqa: E402

SCENARIOS = ("up", "down", "hanging")
# "Not slower": a request that waited for SMTP would take its timeout (seconds) when SMTP
# hangs, so the margin only absorbs a shared machine's noise.
GOAL_RATIO = 1.5


def prepare_sink(sink, scenario):
    """up: answers 250; down: the port refuses; hanging: accepts, then never answers DATA."""
    sink.stop()
    if scenario == "down":
        return
    sink.start()
    sink.set_mode("hang" if scenario == "hanging" else "accept")


def measure(scenario, sink, posts, workdir):
    prepare_sink(sink, scenario)
    server = ServerProcess(Path(workdir) / scenario, {
        "SUPPORT_REPORTER_MAIL_URL": sink.url,
        "SUPPORT_REPORTER_SMTP_TIMEOUT": "30",
        "SUPPORT_REPORTER_RETRY_INITIAL_SECONDS": "1",
        "SUPPORT_REPORTER_DELIVERY_POLL_SECONDS": "0.2",
        "SUPPORT_REPORTER_RATE_LIMIT": "100000 per minute",
        "SUPPORT_REPORTER_RATE_LIMIT_REPORTS": "100000 per minute",
    })
    try:
        server.start(timeout=60)
        session = requests.Session()
        headers = {"Authorization": "Bearer demo"}
        for _ in range(5):  # warm-up: imports, first connections
            session.post(server.url + "/api/v1/reports", json=report_body(),
                         headers=headers, timeout=30).raise_for_status()
        timings = []
        for _ in range(posts):
            started = time.perf_counter()
            response = session.post(server.url + "/api/v1/reports", json=report_body(),
                                    headers=headers, timeout=30)
            timings.append(time.perf_counter() - started)
            if response.status_code != 202:
                raise RuntimeError(f"{scenario}: POST answered {response.status_code}")
        return timings
    finally:
        server.stop()


def main(argv=None):
    args = options(__doc__, argv, posts=50)
    sink = SmtpSink()
    results = {}
    with tempfile.TemporaryDirectory(prefix="osr-bench-") as workdir:
        try:
            for scenario in SCENARIOS:
                results[scenario] = measure(scenario, sink, args.posts, workdir)
        finally:
            sink.stop()
    medians = {name: statistics.median(values) * 1000 for name, values in results.items()}
    p95s = {name: percentile(values, 0.95) * 1000 for name, values in results.items()}
    print(f"POST /api/v1/reports, {args.posts} posts per scenario (milliseconds)")
    print(f"{'':8}" + "".join(f"{name:>12}" for name in SCENARIOS))
    print(f"{'median':8}" + "".join(f"{medians[name]:12.1f}" for name in SCENARIOS))
    print(f"{'p95':8}" + "".join(f"{p95s[name]:12.1f}" for name in SCENARIOS))
    slower = []
    for name in SCENARIOS[1:]:
        ratio = medians[name] / medians["up"]
        print(f"SMTP {name} / up: median x{ratio:.2f}, p95 x{p95s[name] / p95s['up']:.2f} "
              f"(goal: median ≤ x{GOAL_RATIO})")
        if ratio > GOAL_RATIO:
            slower.append(name)
    return 1 if slower else 0


if __name__ == "__main__":
    sys.exit(main())
