"""Keeps sent messages in class-level lists, for tests."""
from .base import BaseMailBackend


class MailBackend(BaseMailBackend):
    """Appends every message, parsed, to `MailBackend.outbox` and its envelope to `envelopes`."""

    outbox = []
    envelopes = []

    def __init__(self, url=None, **options):
        self.url = url

    def send_messages(self, envelopes):
        envelopes = list(envelopes)
        MailBackend.outbox.extend(envelope.message() for envelope in envelopes)
        MailBackend.envelopes.extend(envelopes)
        return len(envelopes)
