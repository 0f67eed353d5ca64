"""How often an error was seen, and which helpdesk ticket each report became (SQLite).

One file beside the outbox, shared by every server process: WAL lets readers run beside
the one writer, and the busy timeout makes a second writer wait instead of failing.
Counts help support (E3); they are no promise, so a broken history never refuses a report.
"""
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

WINDOW_SECONDS = 30 * 24 * 3600.0
EARLIER_SHOWN = 5
BUSY_TIMEOUT_MS = 10_000
_SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    report_id TEXT PRIMARY KEY,
    reference TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    reporter TEXT NOT NULL,
    created_at REAL NOT NULL,
    message_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reports_by_fingerprint ON reports (fingerprint, created_at);
CREATE TABLE IF NOT EXISTS tickets (
    reference TEXT PRIMARY KEY,
    ticket_id INTEGER NOT NULL,
    number TEXT NOT NULL,
    stage TEXT,
    closed INTEGER,
    fetched_at REAL
);
"""


@dataclass(frozen=True)
class Seen:
    """Earlier reports of one error in the window, as the next ticket tells them."""

    count: int = 1            # this report included
    users: int = 1
    customers: int = 1
    first_seen: float | None = None
    earlier: tuple[str, ...] = ()              # references (helpdesk numbers when known)
    thread_root: str | None = None             # Message-ID of this customer's first ticket


def history_path(outbox_dir):
    """The history file beside the outbox folder: var/outbox → var/outbox.history.sqlite3."""
    outbox_dir = Path(outbox_dir)
    return outbox_dir.with_name(outbox_dir.name + ".history.sqlite3")


class History:
    """Reads and writes the history file; one connection per thread."""

    def __init__(self, path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.local = threading.local()
        self._db().executescript(_SCHEMA)

    def connection(self):
        """A transaction on this thread's connection (BEGIN IMMEDIATE: writers queue up)."""
        return _Transaction(self._db())

    def _db(self):
        db = getattr(self.local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                 isolation_level=None)
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            self.local.db = db
        return db

    def seen(self, fingerprint, customer_id, reporter, now=None):
        """What the window holds about `fingerprint`, counting the report about to be stored."""
        now = time.time() if now is None else now
        since = now - WINDOW_SECONDS
        with self.connection() as db:
            rows = db.execute(
                "SELECT r.reference, r.customer_id, r.reporter, r.created_at, r.message_id, "
                "t.number FROM reports r LEFT JOIN tickets t ON t.reference = r.reference "
                "WHERE r.fingerprint = ? AND r.created_at >= ? ORDER BY r.created_at",
                (fingerprint, since)).fetchall()
        if not rows:
            return Seen()
        users = {(row[1], row[2]) for row in rows} | {(customer_id, reporter)}
        customers = {row[1] for row in rows} | {customer_id}
        own = [row for row in rows if row[1] == customer_id]
        earlier = [f"{row[0]} ({row[5]})" if row[5] else row[0] for row in rows]
        return Seen(count=len(rows) + 1, users=len(users), customers=len(customers),
                    first_seen=rows[0][3], earlier=tuple(earlier[-EARLIER_SHOWN:]),
                    thread_root=own[0][4] if own else None)

    def record(self, *, report_id, reference, fingerprint, customer_id, reporter, created_at,
               message_id):
        """One accepted report (once: a second call for the same id changes nothing)."""
        with self.connection() as db:
            db.execute("INSERT OR IGNORE INTO reports VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (report_id, reference, fingerprint, customer_id, reporter, created_at,
                        message_id))

    def record_ticket(self, reference, ticket_id, number):
        """The helpdesk ticket a report became."""
        with self.connection() as db:
            db.execute("INSERT INTO tickets (reference, ticket_id, number) VALUES (?, ?, ?) "
                       "ON CONFLICT (reference) DO UPDATE SET ticket_id = excluded.ticket_id, "
                       "number = excluded.number", (reference, ticket_id, number))

    def ticket(self, reference):
        """{"ticket_id", "number", "stage", "closed", "fetched_at"} of a report, or None."""
        with self.connection() as db:
            row = db.execute("SELECT ticket_id, number, stage, closed, fetched_at FROM tickets "
                             "WHERE reference = ?", (reference,)).fetchone()
        if row is None:
            return None
        return {"ticket_id": row[0], "number": row[1], "stage": row[2],
                "closed": None if row[3] is None else bool(row[3]), "fetched_at": row[4]}

    def first_ticket(self, fingerprint, other_than):
        """(helpdesk id, number) of the first delivered ticket of `fingerprint` in the window."""
        with self.connection() as db:
            row = db.execute(
                "SELECT t.ticket_id, t.number FROM reports r JOIN tickets t "
                "ON t.reference = r.reference WHERE r.fingerprint = ? AND r.reference != ? "
                "AND r.created_at >= ? ORDER BY r.created_at LIMIT 1",
                (fingerprint, other_than, time.time() - WINDOW_SECONDS)).fetchone()
        return tuple(row) if row else None

    def claim_stage_refresh(self, reference, min_age, now=None):
        """True for the one caller that may read the stage again now (rate bound per ticket)."""
        now = time.time() if now is None else now
        with self.connection() as db:
            changed = db.execute(
                "UPDATE tickets SET fetched_at = ? WHERE reference = ? "
                "AND (fetched_at IS NULL OR fetched_at <= ?)",
                (now, reference, now - min_age)).rowcount
        return changed == 1

    def record_stage(self, reference, stage, closed):
        with self.connection() as db:
            db.execute("UPDATE tickets SET stage = ?, closed = ? WHERE reference = ?",
                       (stage, int(bool(closed)), reference))


class _Transaction:
    """`with`: BEGIN IMMEDIATE … COMMIT (ROLLBACK on error) on one connection."""

    def __init__(self, db):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, *_):
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
