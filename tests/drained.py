"""Waiting for "nothing left to send": what proves no further e-mail can come for a report."""
import time
from pathlib import Path

from server.outbox.spool import Spool


def spool_backlog(outbox):
    """How many reports the server's outbox still holds to send: queued or claimed."""
    counts = Spool(Path(outbox)).counts()
    return counts["queued"] + counts["sending"]


def wait_until_drained(list_reports, outbox, client_report_ids=None, timeout=60.0):
    """Wait until the extension holds the reports only as sent, the server says each is sent
    and its outbox has nothing left to send; return the extension's records of them.

    A second e-mail can only come from the extension's queue (it POSTs again) or from the
    server's spool (it delivers again). Once both are drained it cannot come, so a count
    of e-mails taken after this is final. `list_reports` answers the extension's
    `list-reports` with the server's delivery status (`delivery: true`).
    """
    deadline = time.monotonic() + timeout
    while True:
        records = [record for record in list_reports()
                   if client_report_ids is None or record["clientReportId"] in client_report_ids]
        backlog = spool_backlog(outbox)
        done = (records and backlog == 0
                and (client_report_ids is None or len(records) == len(client_report_ids))
                and all(r["status"] == "sent" and r["delivery"] == "sent" for r in records))
        if done:
            return records
        if time.monotonic() >= deadline:
            states = [(r["clientReportId"], r["status"], r["delivery"]) for r in records]
            raise AssertionError(f"not drained after {timeout} s: extension {states}, "
                                 f"{backlog} left in the server's outbox")
        time.sleep(0.1)
