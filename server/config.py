"""Configuration flows one way: defaults → TOML file → environment → test overrides.

Everything is validated once, at start-up; a bad value stops the server with a message
that names the key (`port (SUPPORT_REPORTER_PORT): ...`). Code reads `app.config`.
"""
import os
import re
import tomllib
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import limits
import limits.storage

from server.config_checks import ConfigError, parse_customer, validate_customers
from server.customers import demo_customer
from server.mail.backends import backend_from_url
from server.mail.backends.odoo import parse_url as parse_odoo_url
from server.mail.headers import is_plain_address
from server.mail.message import SENDER_MODES

ENV_PREFIX = "SUPPORT_REPORTER_"
CONFIG_FILE_ENV = ENV_PREFIX + "CONFIG"
MAIL_SCHEMES = ("smtp", "smtps", "file", "memory", "odoo+https", "odoo+http")
DEFAULT_CORS_ORIGINS = (
    r"^chrome-extension://aihjlhgbpcckfioaohgikkcghmimapib$",
    r"^moz-extension://[0-9a-fA-F-]{36}$",
)
# One gunicorn worker per core this process may run on: decoding and re-encoding a
# screenshot holds the GIL, so one process uses one core however many threads it has
# (issue 13: one worker on two cores reached half the throughput Pillow allows).
DEFAULT_WORKERS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
    os.cpu_count() or 1)
# gthread workers give each connection a thread until its request is read, so a few slow
# clients can hold them all; threads mostly wait, so many per worker are cheap. The real
# answer to slow clients is nginx in front (deploy/nginx/).
DEFAULT_THREADS = 16
# Relative paths are resolved against the working directory: `make run` runs from the repo.
DEFAULTS = {
    "MAIL_URL": "file://{cwd}/var/mail",
    "MAIL_FROM": "Odoo Support Reporter <support-reporter@localhost>",
    "OUTBOX": "var/outbox",
    "HOST": "127.0.0.1",
    "PORT": 5000,
    "WORKERS": DEFAULT_WORKERS,
    "THREADS": DEFAULT_THREADS,
    "RETRY_INITIAL_SECONDS": 60.0,
    "RETRY_MAX_SECONDS": 3600.0,
    "RETRY_LIFETIME_SECONDS": 5 * 24 * 3600.0,
    # Refusals of one message (4xx to its RCPT or DATA) before it goes to dead letters:
    # with the default backoff about a day; a mail server that is down does not count.
    "RETRY_MAX_ATTEMPTS": 24,
    "RETENTION_SECONDS": 7 * 24 * 3600.0,
    "SMTP_TIMEOUT": 30.0,
    # How tickets name their sender: "server" (From the server, Reply-To the reporter) or
    # "reporter" (From the reporter, Sender the server; for a helpdesk's own mail gateway).
    "MAIL_SENDER_MODE": "server",
    "MAIL_THREADING": True,
    # MAIL_URL odoo+https://: the helpdesk user and its API key, and where tickets go.
    "ODOO_USER": "",
    "ODOO_API_KEY": "",
    "ODOO_TEAM": "",
    "ODOO_CATEGORY": "",
    "ODOO_TAGS": (),
    "HELPDESK_STATUS_SECONDS": 60.0,
    "DELIVERY_WORKER": True,
    "DELIVERY_POLL_SECONDS": 1.0,
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "RATE_LIMIT": "600 per minute",
    "RATE_LIMIT_REPORTS": "60 per minute",
    "RATE_LIMIT_AUTH_FAILURES": "20 per minute; 200 per hour",
    "PROXY_HOPS": 0,
    "RATE_LIMIT_STORAGE": "memory://",
    "CORS_ORIGINS": DEFAULT_CORS_ORIGINS,
    # Screenshots (issue 9): pixels a header may declare (refused above, before decoding),
    # the box the ticket's image fits in, and the most bytes its PNG may take.
    "SCREENSHOT_MAX_PIXELS": 16_000_000,
    "SCREENSHOT_MAX_WIDTH": 1920,
    "SCREENSHOT_MAX_HEIGHT": 1920,
    "SCREENSHOT_MAX_BYTES": 4 * 1024 * 1024,
    # `make package`'s dist/ folder: served at /extension/ for policy installs and updates
    # (server/extension_updates.py); empty: not served.
    "EXTENSION_DIST": "",
}
POSITIVE = {
    "PORT", "WORKERS", "THREADS", "RETRY_INITIAL_SECONDS", "RETRY_MAX_SECONDS",
    "RETRY_LIFETIME_SECONDS", "RETRY_MAX_ATTEMPTS", "RETENTION_SECONDS", "SMTP_TIMEOUT",
    "DELIVERY_POLL_SECONDS",
    "MAX_CONTENT_LENGTH", "SCREENSHOT_MAX_PIXELS", "SCREENSHOT_MAX_WIDTH",
    "SCREENSHOT_MAX_HEIGHT", "SCREENSHOT_MAX_BYTES",
}
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def key_label(key: str) -> str:
    """`port (SUPPORT_REPORTER_PORT)`: both spellings an operator may have used."""
    return f"{key.lower()} ({ENV_PREFIX}{key})"


def load_settings(test_config: dict | None = None, environ=None) -> dict:
    """The validated settings, merged from every source in order."""
    environ = os.environ if environ is None else environ
    settings = {**DEFAULTS, "MAIL_URL": DEFAULTS["MAIL_URL"].format(cwd=Path.cwd())}
    config_file = (test_config or {}).get("CONFIG_FILE") or environ.get(CONFIG_FILE_ENV)
    raw_customers = None
    if config_file:
        file_settings, raw_customers = read_toml(Path(config_file))
        settings.update(file_settings)
    settings.update(read_environment(environ))
    settings.update({k: v for k, v in (test_config or {}).items() if k != "CUSTOMERS"})
    if test_config and "CUSTOMERS" in test_config:
        raw_customers = test_config["CUSTOMERS"]
    settings["CONFIG_FILE"] = str(config_file) if config_file else None
    settings["DEV_MODE"] = raw_customers is None
    settings["CUSTOMERS"] = (
        (demo_customer(),) if raw_customers is None
        else tuple(parse_customer(raw, i) for i, raw in enumerate(raw_customers))
    )
    validate(settings)
    return settings


def read_toml(path: Path) -> tuple[dict, list | None]:
    """Top-level keys of the TOML file (lower case) and its `[[customers]]` tables."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{CONFIG_FILE_ENV}: cannot read {path}: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{CONFIG_FILE_ENV}: {path} is not valid TOML: {error}") from error
    customers = data.pop("customers", [])
    if not customers:
        raise ConfigError(f"customers: {path} declares no [[customers]] table")
    settings = {}
    for name, value in data.items():
        key = name.upper()
        if key not in DEFAULTS:
            raise ConfigError(f"{name}: unknown key in {path}")
        settings[key] = value
    return settings, customers


def read_environment(environ) -> dict:
    """`SUPPORT_REPORTER_<KEY>` variables, converted to the type of the key's default."""
    settings = {}
    for key, default in DEFAULTS.items():
        text = environ.get(ENV_PREFIX + key)
        if text is not None:
            settings[key] = convert(key, text, default)
    return settings


def type_name(default) -> str:
    """How an operator would call the type a key expects."""
    names = {bool: "a boolean (true/false)", int: "an integer", float: "a number",
             str: "a string", tuple: "a list"}
    return names[type(default)]


def convert(key: str, text: str, default):
    """One environment string as the type the key expects."""
    text = text.strip()
    try:
        if isinstance(default, bool):
            if text.lower() not in ("1", "true", "yes", "on", "0", "false", "no", "off"):
                raise ValueError(text)
            return text.lower() in ("1", "true", "yes", "on")
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
    except ValueError as error:
        raise ConfigError(f"{key_label(key)}: {text!r} is not {type_name(default)}") from error
    if isinstance(default, tuple):
        return tuple(part.strip() for part in text.split(",") if part.strip())
    return text


def validate(settings: dict) -> None:
    """Refuse anything the server could not run with, naming the key."""
    validate_types(settings)
    validate_values(settings)
    validate_mail(settings)
    settings["OUTBOX"] = str(Path(settings["OUTBOX"]).resolve())
    validate_customers(settings)
    if settings["EXTENSION_DIST"]:
        from server import extension_updates

        settings["EXTENSION_DIST"] = str(Path(settings["EXTENSION_DIST"]).resolve())
        extension_updates.validate(settings)


def validate_types(settings: dict) -> None:
    """Each key has the type of its default (an integer where a number is expected is fine)."""
    for key, default in DEFAULTS.items():
        value = settings[key]
        if isinstance(default, tuple) and isinstance(value, list):
            value = settings[key] = tuple(value)
        expected = (int, float) if isinstance(default, float) else type(default)
        if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
            raise ConfigError(f"{key_label(key)}: expected {type_name(default)}, got {value!r}")
        if key in POSITIVE and value <= 0:
            raise ConfigError(f"{key_label(key)}: must be greater than zero, got {value!r}")


def validate_mail(settings: dict) -> None:
    """A MAIL_URL a backend can be made of, and a From address that parses."""
    if urlsplit(settings["MAIL_URL"]).scheme not in MAIL_SCHEMES:
        raise ConfigError(f"{key_label('MAIL_URL')}: the scheme must be one of "
                          f"{', '.join(MAIL_SCHEMES)}")
    try:
        backend_from_url(settings["MAIL_URL"])
    except ValueError as error:
        raise ConfigError(f"{key_label('MAIL_URL')}: {error}") from error
    if settings["MAIL_SENDER_MODE"] not in SENDER_MODES:
        raise ConfigError(f"{key_label('MAIL_SENDER_MODE')}: must be one of "
                          f"{', '.join(SENDER_MODES)}")
    if urlsplit(settings["MAIL_URL"]).scheme.startswith("odoo+"):
        login = parse_odoo_url(settings["MAIL_URL"])[4:]
        if not (settings["ODOO_USER"] or login[0]) or not (settings["ODOO_API_KEY"] or login[1]):
            raise ConfigError(f"{key_label('ODOO_API_KEY')}: MAIL_URL delivers to Odoo, so "
                              "odoo_user and odoo_api_key are needed")
    mail_from = settings["MAIL_FROM"]
    # A plain address (server/mail/headers.py), or no ticket could be written safely.
    if not is_plain_address(parseaddr(mail_from)[1]) or any(ch in mail_from for ch in "\r\n"):
        raise ConfigError(f"{key_label('MAIL_FROM')}: expected an address like "
                          "'Odoo Support Reporter <support-reporter@partner.example>'")


def validate_values(settings: dict) -> None:
    """Values that have the right type but cannot work."""
    def refuse(key, problem):
        raise ConfigError(f"{key_label(key)}: {problem}")

    if settings["PORT"] > 65535:
        refuse("PORT", "must be at most 65535")
    if settings["RETRY_INITIAL_SECONDS"] > settings["RETRY_MAX_SECONDS"]:
        refuse("RETRY_INITIAL_SECONDS", "larger than retry_max_seconds")
    for key in ("RATE_LIMIT", "RATE_LIMIT_REPORTS", "RATE_LIMIT_AUTH_FAILURES"):
        try:
            limits.parse_many(settings[key])
        except ValueError:
            refuse(key, "expected e.g. '60 per minute'")
    if settings["PROXY_HOPS"] < 0:
        refuse("PROXY_HOPS", "must be 0 (no proxy) or more")
    if urlsplit(settings["RATE_LIMIT_STORAGE"]).scheme not in limits.storage.SCHEMES:
        refuse("RATE_LIMIT_STORAGE", "unknown storage; e.g. memory:// or redis://host:6379")
    if settings["DEV_MODE"] and settings["HOST"] not in LOOPBACK:
        refuse("HOST", "without a configuration file the server runs in dev mode with the "
                       "demo key, so it listens only on loopback")
    for pattern in settings["CORS_ORIGINS"]:
        try:
            re.compile(pattern)
        except re.error as error:
            refuse("CORS_ORIGINS", f"{pattern!r} is not a regular expression: {error}")
