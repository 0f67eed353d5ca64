"""The one small interface every mail backend shares (the Django backend pattern)."""
from abc import ABC, abstractmethod


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
    def send_messages(self, messages):
        """Send `EmailMessage` objects; return how many were sent or raise DeliveryError."""

    def __enter__(self):
        self.open()
        return self

    def __exit__(self, *exc_info):
        self.close()
