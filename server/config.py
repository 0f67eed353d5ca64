"""Configuration flows one way: defaults → TOML file → environment → test overrides.

Flask's `Config` gathers the sources; SettingsSchema (marshmallow) validates the result once,
at start-up; a bad value stops the server with a message that names the key
(`port (SUPPORT_REPORTER_PORT): ...`). Code reads `app.config`.
"""
import os
import re
import tomllib
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import limits
import limits.storage
from flask import Config
from marshmallow import Schema, ValidationError, validate, validates_schema

from server.config_checks import (
    POSITIVE,
    ConfigError,
    CustomerSchema,
    Flag,
    Integer,
    Number,
    Text,
    TextList,
    dotted,
    problems,
)
from server.customers import DEMO_KEY, Customer, demo_customer, hash_key
from server.mail.backends import ODOO_SCHEMES, backend_from_url
from server.mail.backends.odoo import parse_url as parse_odoo_url
from server.mail.headers import is_plain_address
from server.mail.message import SENDER_MODES

ENV_PREFIX = "SUPPORT_REPORTER_"
CONFIG_FILE_ENV = ENV_PREFIX + "CONFIG"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
# One gunicorn worker per core this process may run on: decoding and re-encoding a
# screenshot holds the GIL, so one process uses one core however many threads it has
# (issue 13: one worker on two cores reached half the throughput Pillow allows).
DEFAULT_WORKERS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
    os.cpu_count() or 1)


def usable_mail_url(url: str) -> None:
    """A MAIL_URL a backend can be made of; server/mail/backends names what is wrong."""
    try:
        backend_from_url(url)
    except ValueError as error:
        raise ValidationError(str(error)) from error


def plain_mail_from(mail_from: str) -> None:
    """A plain address (server/mail/headers.py), or no ticket could be written safely."""
    if not is_plain_address(parseaddr(mail_from)[1]) or any(ch in mail_from for ch in "\r\n"):
        raise ValidationError("expected an address like "
                              "'Odoo Support Reporter <support-reporter@partner.example>'")


def rate_limit(text: str) -> None:
    try:
        limits.parse_many(text)
    except ValueError:
        raise ValidationError("expected e.g. '60 per minute'") from None


def rate_limit_storage(url: str) -> None:
    if urlsplit(url).scheme not in limits.storage.SCHEMES:
        raise ValidationError("unknown storage; e.g. memory:// or redis://host:6379")


def regular_expressions(patterns) -> None:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValidationError(f"{pattern!r} is not a regular expression: {error}") from None


class SettingsSchema(Schema):
    """Every top-level key with its default and its rules: the one list of keys (DEFAULTS)."""

    # Relative paths are resolved against the working directory: `make run` runs from the repo.
    MAIL_URL = Text(load_default="file://{cwd}/var/mail", validate=usable_mail_url)
    MAIL_FROM = Text(load_default="Odoo Support Reporter <support-reporter@localhost>",
                     validate=plain_mail_from)
    OUTBOX = Text(load_default="var/outbox")
    HOST = Text(load_default="127.0.0.1")
    PORT = Integer(load_default=5000, validate=[
        POSITIVE, validate.Range(max=65535, error="must be at most 65535")])
    WORKERS = Integer(load_default=DEFAULT_WORKERS, validate=POSITIVE)
    # gthread workers give each connection a thread until its request is read, so a few slow
    # clients can hold them all; threads mostly wait, so many per worker are cheap. The real
    # answer to slow clients is nginx in front (deploy/nginx/).
    THREADS = Integer(load_default=16, validate=POSITIVE)
    RETRY_INITIAL_SECONDS = Number(load_default=60.0, validate=POSITIVE)
    RETRY_MAX_SECONDS = Number(load_default=3600.0, validate=POSITIVE)
    RETRY_LIFETIME_SECONDS = Number(load_default=5 * 24 * 3600.0, validate=POSITIVE)
    # Refusals of one message (4xx to its RCPT or DATA) before it goes to dead letters:
    # with the default backoff about a day; a mail server that is down does not count.
    RETRY_MAX_ATTEMPTS = Integer(load_default=24, validate=POSITIVE)
    RETENTION_SECONDS = Number(load_default=7 * 24 * 3600.0, validate=POSITIVE)
    SMTP_TIMEOUT = Number(load_default=30.0, validate=POSITIVE)
    # How tickets name their sender: "server" (From the server, Reply-To the reporter) or
    # "reporter" (From the reporter, Sender the server; for a helpdesk's own mail gateway).
    MAIL_SENDER_MODE = Text(load_default="server", validate=validate.OneOf(
        SENDER_MODES, error="must be one of {choices}"))
    MAIL_THREADING = Flag(load_default=True)
    # MAIL_URL odoo+https://: the helpdesk user and its API key, and where tickets go.
    ODOO_USER = Text(load_default="")
    ODOO_API_KEY = Text(load_default="")
    ODOO_TEAM = Text(load_default="")
    ODOO_CATEGORY = Text(load_default="")
    ODOO_TAGS = TextList(load_default=())
    HELPDESK_STATUS_SECONDS = Number(load_default=60.0)
    DELIVERY_WORKER = Flag(load_default=True)
    DELIVERY_POLL_SECONDS = Number(load_default=1.0, validate=POSITIVE)
    MAX_CONTENT_LENGTH = Integer(load_default=16 * 1024 * 1024, validate=POSITIVE)
    RATE_LIMIT = Text(load_default="600 per minute", validate=rate_limit)
    RATE_LIMIT_REPORTS = Text(load_default="60 per minute", validate=rate_limit)
    RATE_LIMIT_AUTH_FAILURES = Text(load_default="20 per minute; 200 per hour",
                                    validate=rate_limit)
    PROXY_HOPS = Integer(load_default=0, validate=validate.Range(
        min=0, error="must be 0 (no proxy) or more"))
    RATE_LIMIT_STORAGE = Text(load_default="memory://", validate=rate_limit_storage)
    CORS_ORIGINS = TextList(load_default=(
        r"^chrome-extension://aihjlhgbpcckfioaohgikkcghmimapib$",
        r"^moz-extension://[0-9a-fA-F-]{36}$",
    ), validate=regular_expressions)
    # Screenshots (issue 9): pixels a header may declare (refused above, before decoding),
    # the box the ticket's image fits in, and the most bytes its PNG may take.
    SCREENSHOT_MAX_PIXELS = Integer(load_default=16_000_000, validate=POSITIVE)
    SCREENSHOT_MAX_WIDTH = Integer(load_default=1920, validate=POSITIVE)
    SCREENSHOT_MAX_HEIGHT = Integer(load_default=1920, validate=POSITIVE)
    SCREENSHOT_MAX_BYTES = Integer(load_default=4 * 1024 * 1024, validate=POSITIVE)
    # `make package`'s dist/ folder: served at /extension/ for policy installs and updates
    # (server/extension_updates.py); empty: not served.
    EXTENSION_DIST = Text(load_default="")

    @validates_schema
    def consistent(self, settings, **kwargs):
        """Values that are fine alone but cannot work together."""
        if settings["RETRY_INITIAL_SECONDS"] > settings["RETRY_MAX_SECONDS"]:
            raise ValidationError("larger than retry_max_seconds", "RETRY_INITIAL_SECONDS")
        if urlsplit(settings["MAIL_URL"]).scheme.lower() in ODOO_SCHEMES:
            user, key = parse_odoo_url(settings["MAIL_URL"])[4:]
            if not (settings["ODOO_USER"] or user) or not (settings["ODOO_API_KEY"] or key):
                raise ValidationError("MAIL_URL delivers to Odoo, so odoo_user and odoo_api_key "
                                      "are needed", "ODOO_API_KEY")


SCHEMA = SettingsSchema()
DEFAULTS = {key: setting.load_default for key, setting in SCHEMA.fields.items()}


def key_label(key: str) -> str:
    """`port (SUPPORT_REPORTER_PORT)`: both spellings an operator may have used."""
    return f"{key.lower()} ({ENV_PREFIX}{key})" if key in DEFAULTS else key


def load_settings(test_config: dict | None = None, environ=None) -> dict:
    """The validated settings, merged from every source in order."""
    environ = os.environ if environ is None else environ
    test_config = test_config or {}
    config = Config(Path.cwd(), {**DEFAULTS, "MAIL_URL": DEFAULTS["MAIL_URL"].format(
        cwd=Path.cwd())})
    config_file = test_config.get("CONFIG_FILE") or environ.get(CONFIG_FILE_ENV)
    if config_file:
        try:
            config.from_file(config_file, load=toml_settings, text=False)
        except OSError as error:
            raise ConfigError(f"{CONFIG_FILE_ENV}: cannot read {config_file}: "
                              f"{os.strerror(error.errno)}") from error
    try:
        config.update(environment_settings(environ))
        config.update(test_config)
        config.update(CONFIG_FILE=str(config_file) if config_file else None,
                      DEV_MODE="CUSTOMERS" not in config)
        config.update(SCHEMA.load({key: config[key] for key in DEFAULTS}))
        config["CUSTOMERS"] = customers(config)
    except ValidationError as error:
        raise ConfigError("; ".join(f"{key_label(dotted(path))}: {message}"
                                    for path, message in problems(error.messages))) from None
    if config["DEV_MODE"] and config["HOST"] not in LOOPBACK:
        raise ConfigError(f"{key_label('HOST')}: without a configuration file the server runs "
                          "in dev mode with the demo key, so it listens only on loopback")
    config["OUTBOX"] = str(Path(config["OUTBOX"]).resolve())
    if config["EXTENSION_DIST"]:
        from server import extension_updates

        config["EXTENSION_DIST"] = str(Path(config["EXTENSION_DIST"]).resolve())
        extension_updates.validate(config)
    return dict(config)


def toml_settings(file) -> dict:
    """A TOML file's keys in capitals, as Flask's `Config.from_file` takes them."""
    try:
        data = tomllib.load(file)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{CONFIG_FILE_ENV}: {file.name} is not valid TOML: {error}") from error
    if not data.get("customers"):
        raise ConfigError(f"customers: {file.name} declares no [[customers]] table")
    for name in data:
        if name.upper() not in DEFAULTS and name != "customers":
            raise ConfigError(f"{name}: unknown key in {file.name}")
    return {name.upper(): value for name, value in data.items()}


def environment_settings(environ) -> dict:
    """`SUPPORT_REPORTER_<KEY>` variables, read by their key's field.

    Not Flask's `Config.from_prefixed_env`: that reads only `os.environ` (tests pass their
    own), takes every prefixed name as a key (the CONFIG variable too) and decodes values as
    JSON, so an API key of digits would become a number.
    """
    settings, errors = {}, {}
    for key, setting in SCHEMA.fields.items():
        text = environ.get(ENV_PREFIX + key)
        try:
            if text is not None:
                settings[key] = setting.from_text(text)
        except ValidationError as error:
            errors[key] = error.messages
    if errors:
        raise ValidationError(errors)
    return settings


def customers(config) -> tuple[Customer, ...]:
    """The configured customers (the demo one in dev mode): ids and keys unique."""
    if config["DEV_MODE"]:
        return (demo_customer(),)
    if not isinstance(config["CUSTOMERS"], list | tuple):
        raise ValidationError({"customers": ["expected [[customers]] tables"]})
    loaded, errors = [], {}
    for index, raw in enumerate(config["CUSTOMERS"]):
        try:
            loaded.append(raw if isinstance(raw, Customer) else CustomerSchema().load(raw))
        except ValidationError as error:
            errors[index] = error.messages
    for index, customer in enumerate(loaded if not errors else ()):
        others = loaded[:index]
        if customer.id in {other.id for other in others}:
            errors[index] = {"id": [f"{customer.id!r} is used twice"]}
        elif customer.key_hash in {other.key_hash for other in others}:
            errors[index] = {"key_sha256": ["the same key is given to two customers"]}
        elif config["CONFIG_FILE"] and customer.key_hash == hash_key(DEMO_KEY):
            errors[index] = {"key_sha256": ["the demo key is refused in a config file"]}
    if errors:
        raise ValidationError({"customers": errors})
    return tuple(loaded)
