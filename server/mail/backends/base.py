"""The one small interface every mail backend shares (the Django backend pattern)."""
from abc import ABC, abstractmethod
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import default as default_policy


@dataclass(frozen=True)
class Envelope:
    """A message exactly as stored, with the SMTP sender and recipients chosen for it.

    The recipients come from the configuration (kept in the spool item's state), never
    from the message's headers: whatever a header says, SMTP hands the mail only to
    these (G1).
    """

    sender: str
    recipients: tuple[str, ...]
    data: bytes

    def message(self):
        """The stored bytes parsed with email.policy.default."""
        return BytesParser(policy=default_policy).parsebytes(self.data)


class DeliveryError(Exception):
    """A message could not be handed over; `temporary` says whether a retry may succeed."""

    temporary = True

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class TemporaryFailure(DeliveryError):
    """4xx replies, refused or dropped connections, timeouts: retry later."""

    temporary = True


class PermanentFailure(DeliveryError):
    """5xx replies: the receiving server refuses this message for good."""

    temporary = False


class BaseMailBackend(ABC):
    """Open a connection, send messages, close it; usable as a context manager."""

    # open/close are optional hooks: the file and memory backends have no connection.
    def open(self):  # noqa: B027
        """Open a connection if the backend needs one; idempotent."""

    def close(self):  # noqa: B027
        """Close the connection if one is open; idempotent."""

    @abstractmethod
    def send_messages(self, envelopes):
        """Send `Envelope`s as they are; return how many were sent or raise DeliveryError."""

    def __enter__(self):
        self.open()
        return self

    def __exit__(self, *exc_info):
        self.close()
