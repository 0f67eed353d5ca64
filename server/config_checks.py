"""Checks of configuration values, each naming the key it refuses: the `[[customers]]`
tables (addresses, languages, origins, holidays, time zones) and the one ConfigError."""
import re
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from server.customers import DEMO_KEY, Customer, HelpdeskOptions, hash_key, origin_of
from server.mail.headers import is_plain_address

LANGUAGES = ("fi", "en", "sv")
ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?$")
EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")


class ConfigError(ValueError):
    """A configuration value the server cannot start with; the message names the key."""


def validate_customers(settings: dict) -> None:
    """Ids and keys unique; the demo key only in dev mode."""
    seen_ids, seen_keys = set(), set()
    for i, customer in enumerate(settings["CUSTOMERS"]):
        where = f"customers[{i}]"
        if customer.id in seen_ids:
            raise ConfigError(f"{where}.id: {customer.id!r} is used twice")
        if customer.key_hash in seen_keys:
            raise ConfigError(f"{where}.key_sha256: the same key is given to two customers")
        if settings["CONFIG_FILE"] and customer.key_hash == hash_key(DEMO_KEY):
            raise ConfigError(f"{where}.key_sha256: the demo key is refused in a config file")
        seen_ids.add(customer.id)
        seen_keys.add(customer.key_hash)


CUSTOMER_KEYS = frozenset({
    "id", "name", "key_sha256", "support_address", "language", "production_origins",
    "staging_origins", "key_user", "process_guide_url", "holidays", "timezone",
    "support_hours", "learning_mode", "helpdesk"})


def parse_customer(raw, index: int) -> Customer:
    """One `[[customers]]` table as a Customer; every problem names `customers[i].<key>`."""
    if isinstance(raw, Customer):
        return raw
    table = CustomerTable(raw, f"customers[{index}]")
    key_user = table.key_user()
    return Customer(
        id=table.text("id", required=True),
        name=table.text("name", required=True),
        key_hash=table.key_hash(),
        support_address=checked_support_address(table.text("support_address", required=True),
                                                table.where("support_address")),
        language=checked_language(table.text("language", default="fi"), table.where("language")),
        production_origins=table.checked("production_origins", checked_origins, []),
        staging_origins=table.checked("staging_origins", checked_origins, []),
        key_user_name=str(key_user.get("name", "")).strip(),
        key_user_email=checked_optional_email(str(key_user.get("email", "")).strip(),
                                              table.where("key_user.email")),
        process_guide_url=table.text("process_guide_url"),
        holidays=table.checked("holidays", checked_holidays, []),
        timezone=checked_timezone(table.text("timezone", default="Europe/Helsinki"),
                                  table.where("timezone")),
        support_hours=table.text("support_hours"),
        learning_mode=table.checked("learning_mode", checked_bool, False),
        helpdesk=table.checked("helpdesk", checked_helpdesk, {}),
    )


class CustomerTable:
    """One raw `[[customers]]` table, read key by key with errors naming the key."""

    def __init__(self, raw, prefix: str):
        if not isinstance(raw, dict):
            raise ConfigError(f"{prefix}: expected a table")
        unknown = sorted(set(raw) - CUSTOMER_KEYS)
        if unknown:
            raise ConfigError(f"{prefix}.{unknown[0]}: unknown key")
        self.raw = raw
        self.prefix = prefix

    def where(self, name: str) -> str:
        return f"{self.prefix}.{name}"

    def text(self, name: str, required: bool = False, default: str = "") -> str:
        value = self.raw.get(name, default)
        if not isinstance(value, str) or (required and not value.strip()):
            raise ConfigError(f"{self.where(name)}: a non-empty string is required")
        return value.strip()

    def checked(self, name: str, checker, default):
        return checker(self.raw.get(name, default), self.where(name))

    def key_hash(self) -> str:
        key_hash = self.text("key_sha256", required=True).lower()
        if not re.fullmatch(r"[0-9a-f]{64}", key_hash):
            raise ConfigError(f"{self.where('key_sha256')}: expected 64 hex digits "
                              "(python -m server hash-key)")
        return key_hash

    def key_user(self) -> dict:
        key_user = self.raw.get("key_user", {})
        if not isinstance(key_user, dict):
            raise ConfigError(f"{self.where('key_user')}: expected a table {{name, email}}")
        return key_user


def checked_optional_email(value: str, where: str) -> str:
    return checked_email(value, where) if value else value


def checked_email(value: str, where: str) -> str:
    if not EMAIL.match(value):
        raise ConfigError(f"{where}: {value!r} is not an email address")
    return value


def checked_support_address(value: str, where: str) -> str:
    """The ticket's To: a plain address (server/mail/headers.py), so every ticket can be written."""
    checked_email(value, where)
    if not is_plain_address(value):
        raise ConfigError(f"{where}: {value!r} must be a plain address (ASCII, no quotes or '=?')")
    return value


def checked_language(value: str, where: str) -> str:
    if value not in LANGUAGES:
        raise ConfigError(f"{where}: must be one of {LANGUAGES}")
    return value


def checked_origins(values, where: str) -> tuple[str, ...]:
    if not isinstance(values, list | tuple):
        raise ConfigError(f"{where}: expected a list of origins like 'https://erp.example.com'")
    origins = []
    for value in values:
        if not isinstance(value, str) or not ORIGIN.match(value.rstrip("/")):
            raise ConfigError(f"{where}: {value!r} is not an origin like 'https://erp.example.com'")
        origins.append(origin_of(value))
    return tuple(origins)


def checked_holidays(values, where: str) -> frozenset[date]:
    if not isinstance(values, list | tuple):
        raise ConfigError(f"{where}: expected a list of dates (YYYY-MM-DD)")
    days = set()
    for value in values:
        try:
            days.add(value if isinstance(value, date) else date.fromisoformat(str(value)))
        except ValueError as error:
            raise ConfigError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from error
    return frozenset(days)


def checked_timezone(value: str, where: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigError(f"{where}: unknown time zone {value!r}") from error
    return value


def checked_bool(value, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: expected true or false")
    return value


HELPDESK_KEYS = ("partner", "team", "category", "tags")


def checked_helpdesk(value, where: str) -> HelpdeskOptions:
    """`{partner, team, category, tags}`: names (text) or ids (integers) in the helpdesk."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table {{partner, team, category, tags}}")
    unknown = sorted(set(value) - set(HELPDESK_KEYS))
    if unknown:
        raise ConfigError(f"{where}.{unknown[0]}: unknown key")
    for key in ("partner", "team", "category"):
        item = value.get(key)
        if item is not None and (isinstance(item, bool) or not isinstance(item, str | int)
                                 or (isinstance(item, str) and not item.strip())
                                 or (isinstance(item, int) and item <= 0)):
            raise ConfigError(f"{where}.{key}: expected a name or a record id")
    tags = value.get("tags", [])
    if not isinstance(tags, list | tuple) or not all(isinstance(t, str) and t.strip()
                                                      for t in tags):
        raise ConfigError(f"{where}.tags: expected a list of tag names")
    return HelpdeskOptions(partner=value.get("partner"), team=value.get("team"),
                           category=value.get("category"),
                           tags=tuple(t.strip() for t in tags))
