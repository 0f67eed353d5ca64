"""Writes one `.eml` file per message into a folder, atomically."""
import os
import re
import tempfile
import uuid
from pathlib import Path

from .base import BaseMailBackend, TemporaryFailure

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class MailBackend(BaseMailBackend):
    """Each message lands as `<Message-ID>.eml`: a redelivery overwrites, never doubles."""

    def __init__(self, directory, **options):
        self.directory = Path(directory)

    def open(self):
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise TemporaryFailure(f"cannot create mail folder {self.directory}: {exc}") from exc

    def send_messages(self, envelopes):
        self.open()
        count = 0
        for envelope in envelopes:
            self._write(envelope)
            count += 1
        return count

    def file_name(self, message):
        """A safe file name derived from the Message-ID (or a fresh one without it)."""
        message_id = (message.get("Message-ID") or "").strip("<> ")
        stem = _UNSAFE.sub("_", message_id) or uuid.uuid4().hex
        return f"{stem}.eml"

    def _write(self, envelope):
        # Readers never see half a message: write a temporary file, then rename it.
        target = self.directory / self.file_name(envelope.message())
        try:
            fd, tmp_name = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".eml")
            with os.fdopen(fd, "wb") as handle:
                handle.write(envelope.data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_name, target)
        except OSError as exc:
            raise TemporaryFailure(f"cannot write {target}: {exc}") from exc
