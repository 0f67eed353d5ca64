"""A real SMTP server on loopback (aiosmtpd) whose answer the test chooses.

`mode` decides what each DATA gets: "accept" (250), "421", "451", "550", "drop" (the
connection is closed without an answer) or "hang" (no answer until the next set_mode()
or stop(); the client's timeout fires first). `script` is a list of modes used
once each, in order, before `mode` applies again. Optional STARTTLS or implicit TLS
(`tls="starttls"|"ssl"` with a self-signed certificate) and AUTH (`users={name: pw}`).
Accepted messages are parsed with `email.policy.default`.
"""
import asyncio
import collections
import email
import socket
import ssl
import subprocess
import threading
import time
from email.policy import default as default_policy
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

MODES = ("accept", "421", "451", "550", "drop", "hang")


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        mode = self.sink.next_mode()
        if mode == "hang":
            generation = self.sink.generation
            while self.sink.generation == generation and not self.sink.closing:
                await asyncio.sleep(0.05)
            return "451 4.3.0 released after hang"
        if mode == "drop":
            server.transport.close()
            return "421 4.3.0 dropped"
        if mode in ("421", "451"):
            return f"{mode} 4.3.0 try again later"
        if mode == "550":
            return "550 5.7.1 mailbox unavailable"
        # Stored as received and parsed later, so the 250 goes out as fast as an MTA's would.
        with self.sink.lock:
            self.sink.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.sink.raw.append(envelope.content)
        return "250 2.0.0 OK queued"


class SmtpSink:
    def __init__(self, host="127.0.0.1", port=0, tls=None, users=None, cert_dir=None):
        self.mode = "accept"
        self.script = collections.deque()
        self.generation = 0  # set_mode() bumps it, which releases hanging sessions
        self.attempts = 0
        self.closing = False
        self.lock = threading.Lock()
        self._parsed = []
        self.envelopes = []
        self.raw = []
        self.host = host
        self.port = port or _free_port(host)
        self.tls = tls
        self.users = users or {}
        self.cert_dir = Path(cert_dir) if cert_dir else None
        self.certfile = None
        self._controller = None

    @property
    def url(self):
        scheme = "smtps" if self.tls == "ssl" else "smtp"
        credentials = ""
        if self.users:
            name, password = next(iter(self.users.items()))
            credentials = f"{name}:{password}@"
        query = []
        if self.tls == "starttls":
            query.append("starttls=true")
        if self.tls:
            query.append(f"cafile={self.certfile}")
        address = f"{scheme}://{credentials}{self.host}:{self.port}"
        return address + ("?" + "&".join(query) if query else "")

    def set_mode(self, mode, script=()):
        if mode not in MODES or any(step not in MODES for step in script):
            raise ValueError(f"unknown sink mode in {mode!r} / {script!r}")
        with self.lock:
            self.script = collections.deque(script)
            self.mode = mode
            self.generation += 1

    def next_mode(self):
        with self.lock:
            self.attempts += 1
            return self.script.popleft() if self.script else self.mode

    def start(self):
        self.closing = False
        self._controller = Controller(_Handler(self), hostname=self.host, port=self.port,
                                      **self._server_options())
        self._controller.start()
        return self

    def _server_options(self):
        options = {}
        if self.tls:
            context = self._server_tls_context()
            if self.tls == "ssl":
                options["ssl_context"] = context
            else:
                options["tls_context"] = context
                options["require_starttls"] = True
        if self.users:
            options["authenticator"] = self._authenticate
            # aiosmtpd only counts STARTTLS as TLS: with implicit TLS, AUTH is offered
            # (the socket is TLS anyway) but cannot be required without a warning.
            options["auth_require_tls"] = self.tls == "starttls"
            options["auth_required"] = self.tls == "starttls"
        return options

    def _server_tls_context(self):
        self.certfile, keyfile = self_signed_certificate(self.cert_dir, self.host)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.certfile, keyfile)
        return context

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword):
            name = auth_data.login.decode()
            if self.users.get(name) == auth_data.password.decode():
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def stop(self):
        """Take the server down (the port refuses connections until start())."""
        self.closing = True
        if self._controller:
            self._controller.stop()
            self._controller = None

    @property
    def messages(self):
        """Every accepted message, parsed in the local line-ending convention (as stored by a
        mail client)."""
        with self.lock:
            for content in self.raw[len(self._parsed):]:
                local = content.replace(b"\r\n", b"\n")
                self._parsed.append(email.message_from_bytes(local, policy=default_policy))
            return list(self._parsed)

    def wait_for(self, count, timeout=10.0):
        """Block until `count` messages arrived; returns them (fewer on timeout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                arrived = len(self.raw)
            if arrived >= count:
                return self.messages
            time.sleep(0.05)
        return self.messages

    def message_id_counts(self):
        """How many times each Message-ID arrived."""
        return collections.Counter(message["Message-ID"] for message in self.messages)


def self_signed_certificate(directory, host):
    """A self-signed certificate for `host` (made once per folder with the openssl CLI)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    certfile, keyfile = directory / "cert.pem", directory / "key.pem"
    if not certfile.exists():
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-keyout", str(keyfile), "-out", str(certfile), "-subj", f"/CN={host}",
             "-addext", f"subjectAltName=IP:{host},DNS:localhost"],
            check=True, capture_output=True, timeout=60,
        )
    return str(certfile), str(keyfile)


def _free_port(host):
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]
