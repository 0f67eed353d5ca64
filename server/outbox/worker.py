"""The delivery worker: a thread in each server process (started by `create_app`) or in
`outbox deliver` that drains the spool, recovers what crashes left and applies retention.

Under gunicorn each worker process builds its own app after the fork, and so starts its
own thread (a thread started in the master would not survive the fork); the claims keep
them from sending one report twice.
"""
import atexit
import logging
import threading
import time

from server.mail.backends import backend_from_url, describe_url
from server.outbox.delivery import deliver_due

log = logging.getLogger(__name__)
PURGE_EVERY_SECONDS = 300.0  # reading every sent item on each poll would be waste
# Orphan references come only from a writer killed mid-accept (its grace is an hour too).
REFERENCES_EVERY_SECONDS = 3600.0


class DeliveryWorker(threading.Thread):
    """Drains the outbox in the background of a server process (or of `outbox deliver`)."""

    def __init__(self, spool, settings):
        super().__init__(name="outbox-delivery", daemon=True)
        self.spool = spool
        self.settings = settings
        self.stopping = threading.Event()
        self.next_purge = 0.0
        self.next_references_check = 0.0

    def run(self):
        log.info("outbox: delivering %s via %s", self.spool.root,
                 describe_url(self.settings.mail_url))
        while not self.stopping.is_set():
            # Cleared before the pass: a report accepted during it wakes the next one at once.
            self.spool.wakeup.clear()
            try:
                counts = self.run_once()
            except Exception:  # keep the worker alive whatever one pass met
                log.exception("outbox: delivery pass failed")
                counts = {}
            if counts.get("paused"):
                # The mail server is failing: a report accepted now would fail too, so new
                # reports do not wake the worker before the first retry is due. (A refusal
                # of one message does not pause: the others are not delayed by it.)
                self.stopping.wait(self.settings.retry_initial)
            else:
                self.spool.wakeup.wait(self.settings.poll)

    def run_once(self):
        """One pass: recover, deliver what is due, now and then purge old delivered mail."""
        self.spool.recover()
        backend = backend_from_url(self.settings.mail_url, timeout=self.settings.smtp_timeout,
                                   odoo=self.settings.odoo)
        try:
            counts = deliver_due(self.spool, backend, self.settings, self.stopping)
        finally:
            backend.close()
        if time.monotonic() >= self.next_purge:
            self.spool.purge_delivered(self.settings.retention)
            interval = min(PURGE_EVERY_SECONDS, max(1.0, self.settings.retention / 10))
            self.next_purge = time.monotonic() + interval
        if time.monotonic() >= self.next_references_check:
            self.spool.discard_orphan_references()
            self.next_references_check = time.monotonic() + REFERENCES_EVERY_SECONDS
        return counts

    def stop(self):
        self.stopping.set()
        self.spool.wakeup.set()

    def finish(self):
        """At process exit: let the message in flight reach sent/ instead of being resent."""
        self.stop()
        if self.is_alive():
            self.join(4 * self.settings.smtp_timeout + 5)


def start_worker(spool, settings):
    """Recover what a crash left, then deliver in a background thread until the process exits."""
    spool.recover()
    worker = DeliveryWorker(spool, settings)
    worker.start()
    # A daemon thread dies mid-send at interpreter exit (gunicorn's graceful stop included);
    # an SMTP 250 not yet recorded would mean a second copy, so wait for it at exit.
    atexit.register(worker.finish)
    return worker
