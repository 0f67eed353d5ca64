"""A real SMTP server on loopback (aiosmtpd) whose answer the test chooses.

`mode` decides what the next DATA gets: "accept" (250), "421", "451", "550",
"drop" (the connection is closed without an answer) or "hang" (no answer until
released). Accepted messages are parsed with `email.policy.default`.
"""
import asyncio
import email
import threading
from email.policy import default as default_policy

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        mode = self.sink.mode
        self.sink.attempts += 1
        if mode == "hang":
            while self.sink.mode == "hang" and not self.sink.closing:
                await asyncio.sleep(0.05)
            return "451 4.3.0 released after hang"
        if mode == "drop":
            server.transport.close()
            return "421 4.3.0 dropped"
        if mode in ("421", "451"):
            return f"{mode} 4.3.0 try again later"
        if mode == "550":
            return "550 5.7.1 mailbox unavailable"
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        with self.sink.lock:
            self.sink.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.sink.messages.append(message)
        return "250 2.0.0 OK queued"


class SmtpSink:
    def __init__(self, host="127.0.0.1", port=0):
        self.mode = "accept"
        self.attempts = 0
        self.closing = False
        self.lock = threading.Lock()
        self.messages = []
        self.envelopes = []
        self.host = host
        self.port = port or _free_port(host)
        self._controller = None

    @property
    def url(self):
        return f"smtp://{self.host}:{self.port}"

    def start(self):
        self.closing = False
        self._controller = Controller(_Handler(self), hostname=self.host, port=self.port)
        self._controller.start()
        return self

    def stop(self):
        """Take the server down (the port refuses connections until start())."""
        self.closing = True
        if self._controller:
            self._controller.stop()
            self._controller = None

    def wait_for(self, count, timeout=10.0):
        """Block until `count` messages arrived; returns them (fewer on timeout)."""
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        with self.lock:
            return list(self.messages)


def _free_port(host):
    import socket

    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]
