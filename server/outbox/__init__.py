"""The durable outbox: an accepted report is on disk before the client hears 202.

`spool.py` owns the folders (every path, name and move); `reports.py` accepts a report
into it and tells its status; `delivery.py` sends one claimed report and records the
outcome through the spool; `worker.py` is the thread that drains it (started by
`create_app`, or by `outbox deliver`); `cli.py` is the operator's `outbox` command.
"""
from server.history import History, history_path
from server.outbox.reports import Outbox
from server.outbox.spool import Spool, lease_seconds


def init_app(app):
    """Attach the outbox to `app` and clear what processes that died mid-write left."""
    outbox = outbox_from_config(app.config)
    app.extensions["outbox"] = outbox
    # Whether or not this process delivers: nobody was promised these leftovers.
    outbox.spool.discard_abandoned_writes()
    outbox.spool.discard_orphan_references()
    return outbox


def spool_from_config(config):
    """The spool the configuration names (the server's and the `outbox` command's)."""
    return Spool(config["OUTBOX"], lease_seconds=lease_seconds(config))


def outbox_from_config(config):
    """The app's Outbox: its spool, the ticket options and the history beside the spool."""
    return Outbox(spool_from_config(config), mail_from=config["MAIL_FROM"],
                  history=History(history_path(config["OUTBOX"])),
                  sender_mode=config["MAIL_SENDER_MODE"], thread_repeats=config["MAIL_THREADING"])
