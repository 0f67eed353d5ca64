"""`outbox status [id] | deliver [--once] | retry <id>`: the operator's view of the spool.

One click group, run as `python -m server outbox ...` (server/__main__.py) and as
`flask --app server outbox ...` (a `flask.commands` entry point, setup.cfg). It reads the
configuration itself and never builds the app: the app starts a delivery thread, and
`outbox status` must not deliver anything.
"""
import json
import logging
import signal
from datetime import UTC, datetime

import click

from server.config import ConfigError, load_settings
from server.mail.backends import describe_url
from server.outbox import spool_from_config
from server.outbox.delivery import retry_now, settings_from_config
from server.outbox.worker import DeliveryWorker

STATUS_ORDER = ("queue", "sending", "dead", "sent")


@click.group("outbox", help="Inspect and drive the durable outbox.")
def outbox_command():
    """The group; each command reads the configuration when it runs."""


def configured():
    """(spool, delivery settings) from the server's configuration; exit 2 if it is wrong."""
    try:
        config = load_settings()
    except ConfigError as error:
        click.echo(f"configuration error: {error}", err=True)
        raise click.exceptions.Exit(2) from None
    return spool_from_config(config), settings_from_config(config)


@outbox_command.command(help="Counts and waiting/failed reports, or only REPORT_ID.")
@click.argument("report_id", required=False)
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
def status(report_id, as_json):
    spool, settings = configured()
    if report_id:
        _show_one(spool, report_id, as_json)
        return
    summary = {"spool": str(spool.root), "mail_url": describe_url(settings.mail_url),
               "counts": spool.counts(),
               "reports": [_row(spool.inspect(report_id)) for folder in STATUS_ORDER[:3]
                           for report_id in spool.list(folder)]}
    summary["reports"] = [row for row in summary["reports"] if row]
    if as_json:
        click.echo(json.dumps(summary, indent=2, ensure_ascii=False))
        return
    click.echo(f"spool {summary['spool']}  mail {summary['mail_url']}")
    click.echo("  ".join(f"{name}: {count}" for name, count in summary["counts"].items()))
    for row in summary["reports"]:
        detail = row.get("reason") or row.get("last_error") or ""
        when = f"next {row['next_attempt']}" if row["status"] == "queued" else ""
        click.echo(f"{row['id']}  {row['reference']}  {row['status']:8} "
                   f"attempts={row['attempts']} {when} {detail}".rstrip())


def _show_one(spool, report_id, as_json):
    details = spool.inspect(report_id)
    if details is None:
        click.echo(f"no report {report_id} in {spool.root}", err=True)
        raise click.exceptions.Exit(1)
    if as_json:
        click.echo(json.dumps(details, indent=2, ensure_ascii=False))
        return
    for key in ("id", "reference", "status", "customer_id", "created_at", "attempts",
                "sent_at", "reason", "last_error", "path"):
        if details.get(key) not in (None, ""):
            click.echo(f"{key}: {details[key]}")


def _row(details):
    if details is None:  # delivered or moved while we listed: nothing to show
        return None
    next_at = details.get("next_attempt_at") or 0
    return {"id": details["id"], "reference": details["reference"], "status": details["status"],
            "attempts": details.get("attempts", 0), "reason": details.get("reason"),
            "last_error": details.get("last_error"),
            "next_attempt": datetime.fromtimestamp(next_at, UTC).isoformat()
            if next_at else "now"}


@outbox_command.command(help="Deliver queued reports in the foreground.")
@click.option("--once", is_flag=True, help="one pass over what is due, then exit")
def deliver(once):
    spool, settings = configured()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    thread = DeliveryWorker(spool, settings)
    if once:
        counts = thread.run_once()
        click.echo("  ".join(f"{name}: {count}" for name, count in counts.items()))
        return
    signal.signal(signal.SIGTERM, lambda *_: thread.stop())
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.5)
    except KeyboardInterrupt:
        thread.stop()
        thread.join(30)


@outbox_command.command(help="Send a failed or waiting report again now.")
@click.argument("report_id")
def retry(report_id):
    spool, _ = configured()
    if retry_now(spool, report_id):
        click.echo(f"{report_id}: queued for immediate delivery")
        return
    found = spool.inspect(report_id)
    state = found["status"] if found else "unknown"
    click.echo(f"{report_id}: cannot retry (status {state})", err=True)
    raise click.exceptions.Exit(1)
