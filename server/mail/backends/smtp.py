"""Sends over SMTP: plain, STARTTLS or implicit TLS (smtps), optional AUTH, bounded by timeouts.

Failures are classified for the outbox: 5xx replies are permanent, everything else
(4xx replies, refused, dropped or hanging connections, TLS or AUTH trouble that an
operator can fix) is temporary, so that no ticket is given up because of a passing fault.
"""
import re
import smtplib
import socket
import ssl

from .base import BaseMailBackend, PermanentFailure, TemporaryFailure


class MailBackend(BaseMailBackend):
    """One SMTP connection, opened lazily and reused for every message until close()."""

    def __init__(self, host, port, *, username=None, password=None, use_ssl=False,
                 starttls=False, timeout=30.0, cafile=None, local_hostname=None, **options):
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.use_ssl = use_ssl
        self.starttls = starttls
        self.timeout = timeout
        self.cafile = cafile
        self.local_hostname = local_hostname
        self.connection = None

    def _tls_context(self):
        return ssl.create_default_context(cafile=self.cafile)

    def open(self):
        if self.connection is not None:
            return
        try:
            self.connection = self._connect()
        except (smtplib.SMTPException, OSError) as exc:
            self.connection = None
            raise classify(exc) from exc

    def _connect(self):
        if self.use_ssl:
            connection = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                          local_hostname=self.local_hostname,
                                          context=self._tls_context())
        else:
            connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout,
                                      local_hostname=self.local_hostname)
        try:
            if self.starttls:
                connection.starttls(context=self._tls_context())
            if self.username:
                connection.login(self.username, self.password or "")
        except BaseException:
            _close_quietly(connection)
            raise
        return connection

    def close(self):
        connection, self.connection = self.connection, None
        if connection is not None:
            _close_quietly(connection)

    def send_messages(self, envelopes):
        count = 0
        for envelope in envelopes:
            self.open()
            try:
                # The envelope's recipients, never the headers' (send_message reads those).
                self.connection.sendmail(envelope.sender, list(envelope.recipients),
                                         _crlf(envelope.data), _mail_options(envelope))
            except (smtplib.SMTPException, OSError) as exc:
                # After any failure the session state is unknown: start afresh next time.
                self.close()
                raise classify(exc) from exc
            count += 1
        return count


def classify(exc):
    """Turn an smtplib/socket exception into TemporaryFailure or PermanentFailure."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        reason = "; ".join(f"{rcpt}: {code} {_text(msg)}"
                           for rcpt, (code, msg) in exc.recipients.items())
        permanent = codes and all(500 <= code < 600 for code in codes)
        failure = PermanentFailure if permanent else TemporaryFailure
        return failure(f"recipients refused: {reason}")
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return TemporaryFailure(
            f"SMTP authentication failed: {exc.smtp_code} {_text(exc.smtp_error)}")
    if isinstance(exc, smtplib.SMTPResponseException):
        reason = f"{exc.smtp_code} {_text(exc.smtp_error)}"
        if 500 <= exc.smtp_code < 600:
            return PermanentFailure(reason)
        return TemporaryFailure(reason)
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return TemporaryFailure(f"timed out talking to the SMTP server: {exc}")
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return TemporaryFailure(f"SMTP server closed the connection: {exc}")
    if isinstance(exc, ConnectionRefusedError):
        return TemporaryFailure(f"SMTP server refused the connection: {exc}")
    return TemporaryFailure(f"{type(exc).__name__}: {exc}")


def _crlf(data):
    """SMTP's line ending (RFC 5321 §2.3.8); sendmail sends bytes as they are."""
    return re.sub(rb"\r\n|\r|\n", b"\r\n", data)


def _mail_options(envelope):
    """SMTPUTF8 when an envelope address is not ASCII (as smtplib's send_message decides)."""
    addresses = (envelope.sender, *envelope.recipients)
    return ["SMTPUTF8", "BODY=8BITMIME"] if not all(a.isascii() for a in addresses) else []


def _text(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _close_quietly(connection):
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        connection.close()
