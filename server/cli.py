"""`python -m server outbox status [id] | deliver [--once] | retry <id>`: the operator's view."""
import argparse
import json
import logging
import signal
import sys
from datetime import UTC, datetime

from server import claims, delivery, worker
from server.mail.backends import describe_url
from server.outbox import outbox_from_config

STATUS_ORDER = ("queue", "sending", "dead", "sent")


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m server outbox",
                                     description="Inspect and drive the durable outbox.")
    commands = parser.add_subparsers(dest="command", required=True)
    status = commands.add_parser("status", help="counts and waiting/failed reports, or one report")
    status.add_argument("report_id", nargs="?", help="show this report only")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    deliver = commands.add_parser("deliver", help="deliver queued reports in the foreground")
    deliver.add_argument("--once", action="store_true", help="one pass over what is due, then exit")
    retry = commands.add_parser("retry", help="send a failed or waiting report again now")
    retry.add_argument("report_id")
    return parser


def main(argv=None):
    """Entry point; `argv` may start with "outbox". Returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["outbox"]:
        argv = argv[1:]
    args = build_parser().parse_args(argv)
    from server.config import ConfigError

    try:
        config = load_config()
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    outbox = outbox_from_config(config)
    settings = delivery.settings_from_config(config)
    return COMMANDS[args.command](outbox, settings, args)


def load_config():
    """The server's validated configuration (file and environment), as the app sees it."""
    from server.config import load_settings

    return load_settings()


def show_status(outbox, settings, args):
    if args.report_id:
        return _show_one(outbox, args.report_id, args.json)
    summary = {"spool": str(outbox.root), "mail_url": describe_url(settings.mail_url),
               "counts": outbox.counts(),
               "reports": [_row(outbox.inspect(report_id)) for state_dir in STATUS_ORDER[:3]
                           for report_id in outbox.list(state_dir)]}
    summary["reports"] = [row for row in summary["reports"] if row]
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        return 0
    print(f"spool {summary['spool']}  mail {summary['mail_url']}")
    print("  ".join(f"{name}: {count}" for name, count in summary["counts"].items()))
    for row in summary["reports"]:
        detail = row.get("reason") or row.get("last_error") or ""
        when = f"next {row['next_attempt']}" if row["status"] == "queued" else ""
        print(f"{row['id']}  {row['reference']}  {row['status']:8} attempts={row['attempts']} "
              f"{when} {detail}".rstrip())
    return 0


def _show_one(outbox, report_id, as_json):
    details = outbox.inspect(report_id)
    if details is None:
        print(f"no report {report_id} in {outbox.root}", file=sys.stderr)
        return 1
    if as_json:
        print(json.dumps(details, indent=2, ensure_ascii=False))
        return 0
    for key in ("id", "reference", "status", "customer_id", "created_at", "attempts",
                "sent_at", "reason", "last_error", "path"):
        if details.get(key) not in (None, ""):
            print(f"{key}: {details[key]}")
    return 0


def _row(details):
    if details is None:  # delivered or moved while we listed: nothing to show
        return None
    next_at = details.get("next_attempt_at") or 0
    return {"id": details["id"], "reference": details["reference"], "status": details["status"],
            "attempts": details.get("attempts", 0), "reason": details.get("reason"),
            "last_error": details.get("last_error"),
            "next_attempt": datetime.fromtimestamp(next_at, UTC).isoformat()
            if next_at else "now"}


def run_delivery(outbox, settings, args):
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    thread = worker.DeliveryWorker(outbox, settings)
    if args.once:
        counts = thread.run_once()
        print("  ".join(f"{name}: {count}" for name, count in counts.items()))
        return 0
    signal.signal(signal.SIGTERM, lambda *_: thread.stop())
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.5)
    except KeyboardInterrupt:
        thread.stop()
        thread.join(30)
    return 0


def retry_report(outbox, settings, args):
    if claims.retry_now(outbox, args.report_id):
        print(f"{args.report_id}: queued for immediate delivery")
        return 0
    found = outbox.inspect(args.report_id)
    state = found["status"] if found else "unknown"
    print(f"{args.report_id}: cannot retry (status {state})", file=sys.stderr)
    return 1


COMMANDS = {"status": show_status, "deliver": run_delivery, "retry": retry_report}
