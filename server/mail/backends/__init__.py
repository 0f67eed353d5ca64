"""Pick a backend from MAIL_URL: smtp://, smtps://, file:///abs/dir, memory:// or odoo+https://."""
from urllib.parse import parse_qs, unquote, urlsplit

from .base import BaseMailBackend, DeliveryError, Envelope, PermanentFailure, TemporaryFailure

__all__ = ["BaseMailBackend", "DeliveryError", "Envelope", "PermanentFailure", "TemporaryFailure",
           "backend_from_url", "describe_url"]

_TRUE = {"1", "true", "yes", "on"}
ODOO_SCHEMES = ("odoo+https", "odoo+http")
SCHEMES = ("smtp", "smtps", "file", "memory", *ODOO_SCHEMES)


def backend_from_url(url, *, timeout=30.0, odoo=None):
    """A new, unopened backend for `url`; raises ValueError naming what is wrong.

    `odoo`: the Odoo backend's OdooSettings (user, API key, helpdesk options, history).
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ODOO_SCHEMES:
        from .odoo import MailBackend

        return MailBackend(url, odoo, timeout=timeout)
    if scheme in ("smtp", "smtps"):
        return _smtp_backend(parts, scheme, timeout)
    if scheme == "file":
        from .file import MailBackend

        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
            raise ValueError(f"MAIL_URL file:// needs an absolute folder, got {url!r}")
        return MailBackend(unquote(parts.path))
    if scheme == "memory":
        from .memory import MailBackend

        return MailBackend(url)
    raise ValueError(f"MAIL_URL scheme must be one of {', '.join(SCHEMES)}, got {scheme!r}")


def _smtp_backend(parts, scheme, timeout):
    from .smtp import MailBackend

    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = set(query) - {"starttls", "timeout", "cafile"}
    if unknown:
        raise ValueError(f"MAIL_URL: unknown option(s) {', '.join(sorted(unknown))}")
    if not parts.hostname:
        raise ValueError("MAIL_URL: smtp:// needs a host")
    try:
        port = parts.port or (465 if scheme == "smtps" else 25)
        timeout = float(query.get("timeout", timeout))
    except ValueError as exc:
        raise ValueError(f"MAIL_URL: bad port or timeout ({exc})") from exc
    return MailBackend(
        parts.hostname, port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_ssl=scheme == "smtps",
        starttls=query.get("starttls", "").lower() in _TRUE,
        timeout=timeout,
        cafile=query.get("cafile"),
    )


def describe_url(url):
    """MAIL_URL with any password masked, for logs and status output."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url
