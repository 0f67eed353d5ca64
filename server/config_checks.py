"""The configuration's fields and the `[[customers]]` schema (marshmallow), and the one ConfigError.

TOML and test overrides give typed values, checked as they are (`port = "5000"` is refused);
an environment variable is text, read by its key's field (`from_text`) first.
"""
import re
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate

from server.customers import Customer, HelpdeskOptions, origin_of
from server.i18n import LANGUAGES
from server.mail.headers import is_deliverable_address

ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?$")
BOOLEAN_WORDS = {**dict.fromkeys(("1", "true", "yes", "on"), True),
                 **dict.fromkeys(("0", "false", "no", "off"), False)}


class ConfigError(ValueError):
    """A configuration value the server cannot start with; the message names the key."""


def problems(messages, path=()):
    """`(path, message)` for each problem in marshmallow's nested errors (list items by index)."""
    if isinstance(messages, dict):
        for key, inner in messages.items():
            yield from problems(inner, path if key == "_schema" else (*path, key))
    elif isinstance(messages, list):
        for inner in messages:
            yield from problems(inner, path)
    else:
        yield path, messages


def dotted(path) -> str:
    """`customers[0].key_user.email`: the key as an operator finds it in the TOML file."""
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)[1:]


class Setting(fields.Field):
    """A value already of the key's type (TOML, tests); `from_text` reads an environment one."""

    types, expected, parse = (str,), "a string", staticmethod(str)
    default_error_messages = {"required": "a non-empty string is required"}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, self.types) or (isinstance(value, bool)
                                                 and bool not in self.types):
            raise ValidationError(f"expected {self.expected}, got {value!r}")
        return value

    def from_text(self, text: str):
        try:
            return self.parse(text.strip())
        except (KeyError, ValueError):
            raise ValidationError(f"{text.strip()!r} is not {self.expected}") from None


class Text(Setting):
    """Text as written."""


class Line(Setting):
    """Text without its surrounding blanks (customer tables)."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class Flag(Setting):
    types, expected = (bool,), "a boolean (true/false)"
    parse = staticmethod(lambda text: BOOLEAN_WORDS[text.lower()])


class Integer(Setting):
    types, expected, parse = (int,), "an integer", staticmethod(int)


class Number(Setting):
    """A number; an integer where a number is expected is fine."""

    types, expected, parse = (int, float), "a number", staticmethod(float)


class TextList(Setting):
    """A list of texts; in the environment, comma-separated."""

    types, expected = (list, tuple), "a list"
    parse = staticmethod(lambda text: tuple(part for part in text.split(",") if part.strip()))

    def _deserialize(self, value, attr, data, **kwargs):
        values = super()._deserialize(value, attr, data, **kwargs)
        if not all(isinstance(item, str) and item.strip() for item in values):
            raise ValidationError(f"expected a list of texts, got {value!r}")
        return tuple(item.strip() for item in values)


POSITIVE = validate.Range(min=0, min_inclusive=False,
                          error="must be greater than zero, got {input}")


NOT_BLANK = validate.Length(min=1, error="a non-empty string is required")


def deliverable_address(address: str) -> None:
    """An address a ticket can be written to and sent to (server/mail/headers.py)."""
    if address and not is_deliverable_address(address):
        raise ValidationError(f"{address!r} is not a plain e-mail address like "
                              "'name@partner.example' (ASCII, no quotes or '=?')")


class Country(Line):
    """An ISO 3166-1 code whose public holidays the `holidays` library knows; "fi" is FI."""

    def _deserialize(self, value, attr, data, **kwargs):
        code = super()._deserialize(value, attr, data, **kwargs).upper()
        if code not in holidays.list_supported_countries():
            raise ValidationError(f"{value!r} is not a country code the holidays library "
                                  "knows (ISO 3166-1, e.g. FI, SE, EE)")
        return code


def known_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(f"unknown time zone {name!r}") from error


class Origins(Setting):
    """Odoo origins like 'https://erp.example.com', kept as `scheme://host[:port]`."""

    types, expected = (list, tuple), "a list of origins like 'https://erp.example.com'"

    def _deserialize(self, value, attr, data, **kwargs):
        values = super()._deserialize(value, attr, data, **kwargs)
        for item in values:
            if not isinstance(item, str) or not ORIGIN.match(item.rstrip("/")):
                raise ValidationError(f"{item!r} is not an origin like 'https://erp.example.com'")
        return tuple(origin_of(item) for item in values)


class Dates(Setting):
    """Dates (TOML dates or 'YYYY-MM-DD' texts) as a set."""

    types, expected = (list, tuple), "a list of dates (YYYY-MM-DD)"

    def _deserialize(self, value, attr, data, **kwargs):
        days = set()
        for item in super()._deserialize(value, attr, data, **kwargs):
            try:
                days.add(item if isinstance(item, date) else date.fromisoformat(str(item)))
            except ValueError:
                raise ValidationError(f"{item!r} is not a date (YYYY-MM-DD)") from None
        return frozenset(days)


class Record(Setting):
    """A helpdesk record by its name (text) or its id (a positive integer)."""

    types, expected = (str, int), "a name or a record id"

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if isinstance(value, str) and not value.strip() or isinstance(value, int) and value <= 0:
            raise ValidationError(f"expected {self.expected}, got {value!r}")
        return value.strip() if isinstance(value, str) else value


class Table(Schema):
    """A TOML table: an unknown key is refused by name."""

    error_messages = {"unknown": "unknown key", "type": "expected a table"}


class KeyUserSchema(Table):
    """Whom the customer's users ask first (A3)."""

    error_messages = {**Table.error_messages, "type": "expected a table {name, email}"}
    name = Line(load_default="")
    email = Line(load_default="", validate=deliverable_address)


class HelpdeskSchema(Table):
    """Where this customer's tickets go in an Odoo Helpdesk (MAIL_URL odoo+https://)."""

    error_messages = {**Table.error_messages,
                      "type": "expected a table {partner, team, category, tags}"}
    partner, team, category = Record(), Record(), Record()
    tags = TextList(load_default=())

    @post_load
    def options(self, data, **kwargs) -> HelpdeskOptions:
        return HelpdeskOptions(**data)


class CustomerSchema(Table):
    """One `[[customers]]` table; each problem is named `customers[i].<key>`."""

    id = Line(required=True, validate=NOT_BLANK)
    name = Line(required=True, validate=NOT_BLANK)
    key_sha256 = Line(required=True, validate=validate.Regexp(
        r"[0-9a-fA-F]{64}\Z", error="expected 64 hex digits (python -m server hash-key)"))
    support_address = Line(required=True, validate=[NOT_BLANK, deliverable_address])
    language = Line(load_default="fi", validate=validate.OneOf(
        LANGUAGES, error="must be one of {choices}"))
    production_origins = Origins(load_default=())
    staging_origins = Origins(load_default=())
    key_user = fields.Nested(KeyUserSchema, load_default=lambda: {"name": "", "email": ""})
    process_guide_url = Line(load_default="")
    # Public holidays come from the `holidays` library by country (G6); extra_holidays are
    # the customer's own days off besides them.
    country = Country(load_default="FI")
    extra_holidays = Dates(load_default=frozenset())
    timezone = Line(load_default="Europe/Helsinki", validate=known_timezone)
    support_hours = Line(load_default="")
    learning_mode = Flag(load_default=False)
    helpdesk = fields.Nested(HelpdeskSchema, load_default=HelpdeskOptions)

    @pre_load
    def renamed_holidays(self, data, **kwargs):
        if isinstance(data, dict) and "holidays" in data:
            raise ValidationError("now extra_holidays: only the customer's own days off; public "
                                  "holidays come from the customer's country", "holidays")
        return data

    @post_load
    def customer(self, data, **kwargs) -> Customer:
        key_user = data.pop("key_user")
        return Customer(key_hash=data.pop("key_sha256").lower(), key_user_name=key_user["name"],
                        key_user_email=key_user["email"], **data)
