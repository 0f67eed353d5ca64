"""C clients × T seconds of realistic reports against the server's default settings, on loopback.

Every report carries a 1920×1080 screenshot of an Odoo-like screen. Prints requests, errors,
latency percentiles, throughput, and throughput against the CPU limit of the accept path
measured in the same run: cores ÷ the time of a bare Pillow decode + re-encode of the same
screenshot (the work no server can skip). Then checks that every accepted report reached the
SMTP sink, and samples the server's memory (master and workers) through the run: printed
after warm-up (the first third) and at the end, with their ratio (flat: ≤ 1.10).
Usage: .venv/bin/python bench/load.py [--clients 50] [--seconds 30]
"""
import base64
import io
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import cpu_seconds, options, percentile, rss_bytes  # noqa: E402
from tests.conftest import ServerProcess  # noqa: E402
from tests.server.samples import report_body  # noqa: E402
from tests.smtp_sink import SmtpSink  # noqa: E402

ID_SLOT = "00000000-0000-4000-8000-000000000000"
GOAL_RATIO = 0.8
GOAL_MEMORY = 1.10  # flat: the end within 10 % of the memory after warm-up


def odoo_like_screenshot(width=1920, height=1080):
    """A PNG with what a real capture has: a navbar, a list of text rows, a dialog, some noise."""
    image = Image.new("RGB", (width, height), (245, 246, 248))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 46), fill=(113, 75, 103))
    for row in range(60, height - 20, 32):
        draw.line((16, row + 30, width - 16, row + 30), fill=(222, 226, 230))
        for column, x in enumerate(range(24, width - 200, 300)):
            draw.text((x, row + 8), f"S{row * 7 + column:05d} Customer {column} {row} €",
                      fill=(33, 37, 41))
    draw.rectangle((560, 300, 1360, 700), fill=(255, 255, 255), outline=(0, 0, 0))
    draw.text((590, 320), "Validation Error", fill=(0, 0, 0))
    noise = Image.effect_noise((200, 120), 60).convert("RGB")  # a photo-like avatar
    image.paste(noise, (1680, 80))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def pillow_seconds(png, rounds=7):
    """Median CPU time of decoding the screenshot and encoding it again as PNG."""
    # This thread's CPU time, not the wall clock: on a shared machine the wall clock counts
    # the waits for a core too, which made the server look faster than bare Pillow.
    timings = []
    for _ in range(rounds):
        started = time.thread_time()
        with Image.open(io.BytesIO(png)) as image:
            image.load()
            image.convert("RGB").save(io.BytesIO(), "PNG")
        timings.append(time.thread_time() - started)
    return statistics.median(timings)


def body_template(png):
    body = report_body()
    body["client_report_id"] = ID_SLOT
    body["screenshot"] = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return json.dumps(body)


class MemorySampler(threading.Thread):
    """The server's resident memory (master and workers) every `interval` s, with its time."""

    def __init__(self, pid, interval=0.25):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.samples = []  # (seconds since start, bytes)
        self.stopped = threading.Event()

    def run(self):
        started = time.monotonic()
        while not self.stopped.is_set():
            self.samples.append((time.monotonic() - started, rss_bytes(self.pid)))
            self.stopped.wait(self.interval)

    def at(self, seconds):
        """The last sample taken at or before `seconds` into the run (the first one for 0)."""
        earlier = [rss for when, rss in self.samples if when <= seconds]
        return earlier[-1] if earlier else self.samples[0][1]

    def stop(self):
        self.stopped.set()
        self.join()
        self.samples.append((float("inf"), rss_bytes(self.pid)))


def client(url, template, until, results, lock):
    session = requests.Session()
    headers = {"Authorization": "Bearer demo", "Content-Type": "application/json"}
    while time.monotonic() < until:
        data = template.replace(ID_SLOT, str(uuid.uuid4()))
        started = time.perf_counter()
        try:
            response = session.post(url + "/api/v1/reports", data=data, headers=headers,
                                    timeout=60)
            outcome = response.status_code, response.json().get("id")
        except (requests.RequestException, ValueError) as error:
            outcome = type(error).__name__, None
        with lock:
            results.append((time.perf_counter() - started, *outcome))


def wait_for_delivery(sink, ids, timeout):
    """Report ids that did not reach the sink within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    missing = set(ids)
    while missing and time.monotonic() < deadline:
        for message in sink.messages:
            missing.discard(message["Message-ID"].strip("<>").partition("@")[0])
        time.sleep(0.5)
    return missing


def main(argv=None):
    args = options(__doc__, argv, clients=50, seconds=30.0)
    png = odoo_like_screenshot()
    template = body_template(png)
    cores = os.cpu_count() or 1
    pillow = pillow_seconds(png)
    limit = cores / pillow
    sink = SmtpSink().start()
    with tempfile.TemporaryDirectory(prefix="osr-load-") as workdir:
        server = ServerProcess(Path(workdir), {
            "SUPPORT_REPORTER_MAIL_URL": sink.url,
            # Only the limits are lifted: one benchmark client is not a company of browsers.
            "SUPPORT_REPORTER_RATE_LIMIT": "1000000 per minute",
            "SUPPORT_REPORTER_RATE_LIMIT_REPORTS": "1000000 per minute",
        })
        try:
            server.start(timeout=60)
            memory = MemorySampler(server.proc.pid)
            memory.start()
            cpu_start = cpu_seconds(server.proc.pid)
            results, lock = [], threading.Lock()
            until = time.monotonic() + args.seconds
            threads = [threading.Thread(target=client, args=(server.url, template, until,
                                                             results, lock))
                       for _ in range(args.clients)]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
            memory.stop()
            cpu_used = cpu_seconds(server.proc.pid) - cpu_start
            accepted = [report_id for _, status, report_id in results if status == 202]
            missing = wait_for_delivery(sink, accepted, timeout=120)
        finally:
            server.stop()
            sink.stop()
    latencies = [seconds * 1000 for seconds, _, _ in results]
    errors = len(results) - len(accepted)
    throughput = len(accepted) / elapsed
    print(f"{args.clients} clients × {args.seconds:g} s, 1920×1080 screenshots "
          f"({len(png) // 1024} KB PNG), {cores} cores, default workers and threads")
    print(f"requests {len(results)}, accepted {len(accepted)}, errors {errors}")
    if latencies:
        print(f"latency ms: p50 {percentile(latencies, 0.5):.0f}, "
              f"p95 {percentile(latencies, 0.95):.0f}, p99 {percentile(latencies, 0.99):.0f}")
    print(f"throughput {throughput:.1f} reports/s; Pillow-bound limit {limit:.1f} reports/s "
          f"(cores / decode+encode)")
    print(f"throughput / limit: x{throughput / limit:.2f}")
    # On a shared machine the server gets less than every core: what it did with what it got.
    got = cpu_used / elapsed
    print(f"CPU the server got: {got:.2f} of {cores} cores (load average "
          f"{os.getloadavg()[0]:.1f}); throughput / limit of that CPU: "
          f"x{throughput / (got / pillow):.2f} ({1000 * cpu_used / max(1, len(accepted)):.0f} "
          f"ms of CPU per report, Pillow's bare work {1000 * pillow:.0f} ms)")
    print(f"delivered {len(accepted) - len(missing)} of {len(accepted)} accepted"
          f"{'' if not missing else f'; NOT delivered: {len(missing)}'}")
    # Memory from the first third on: by then every worker has decoded screenshots and
    # grown its heap; what happens after is what "flat" is about.
    warm, end = memory.at(elapsed / 3), memory.samples[-1][1]
    trail = ", ".join(f"{memory.at(elapsed * sixth / 6) / 2**20:.0f}" for sixth in range(7))
    print(f"server memory (master and workers), MB at each sixth of the run: {trail}")
    print(f"server memory: {memory.samples[0][1] / 2**20:.0f} MB at start, "
          f"{warm / 2**20:.0f} MB after warm-up (first third), {end / 2**20:.0f} MB at end; "
          f"end / warm-up: x{end / warm:.2f} (goal ≤ x{GOAL_MEMORY:.2f})")
    # The goal (issue 13): 0.8 of the limit. Judged against the CPU the server was given, so
    # that a machine shared with other work does not fail it; both ratios are printed.
    slow = throughput / (got / pillow) < GOAL_RATIO
    return 1 if errors or missing or slow or end / warm > GOAL_MEMORY else 0


if __name__ == "__main__":
    sys.exit(main())
