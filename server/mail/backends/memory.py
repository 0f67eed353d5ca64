"""Keeps sent messages in a class-level list, for tests."""
from .base import BaseMailBackend


class MailBackend(BaseMailBackend):
    """Appends every message to `MailBackend.outbox` (shared by all instances)."""

    outbox = []

    def __init__(self, url=None, **options):
        self.url = url

    def send_messages(self, messages):
        messages = list(messages)
        MailBackend.outbox.extend(messages)
        return len(messages)
