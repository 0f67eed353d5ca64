"""Fields whose errors speak the reporter's language and whose text is safe to use anywhere.

Every text is NFC-normalized and bounded. Single-line fields (`Line`) refuse CR, LF,
U+2028, U+2029 and every other control character, so nothing a client sends can split a
mail header or a log line; multi-line fields (`Text`) keep line breaks as LF only.
"""
import re
import unicodedata
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from marshmallow import ValidationError, fields

from server.i18n import t
from server.mail.headers import is_deliverable_address

# marshmallow's error keys → our message keys (server/i18n.py).
ERROR_KEYS = {"required": "required", "null": "null", "invalid_uuid": "invalid_uuid"}
LINE_BREAKS = ("\r", "\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c")
# Lone surrogates cannot be encoded as UTF-8: no mail or file could carry them.
SURROGATES = re.compile("[\ud800-\udfff]")
# Bidirectional overrides reorder what a reader sees ("Trojan Source"); no report needs them.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
CONTROL_EXCEPT_TAB_LF = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class Translated:
    """Mixin: marshmallow's own errors (required, null, wrong type) in the request's language."""

    def make_error(self, key: str, **kwargs) -> ValidationError:
        return ValidationError(t(ERROR_KEYS.get(key, "invalid")))


def has_control_character(text: str, multiline: bool = False) -> bool:
    """Any C0/C1 control character (NUL included); multi-line text may keep tabs and LF."""
    return bool((CONTROL_EXCEPT_TAB_LF if multiline else CONTROL).search(text))


def normalized(value: str) -> str:
    """NFC text, or a ValidationError for text that is not valid Unicode."""
    if SURROGATES.search(value):
        raise ValidationError(t("invalid_character"))
    return unicodedata.normalize("NFC", value)


class BoundedString(Translated, fields.String):
    """A string of at most `max_length` characters; anything but a JSON string is refused."""

    def __init__(self, max_length: int, **kwargs):
        super().__init__(**kwargs)
        self.max_length = max_length

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        return self.bounded(self.string(value))

    @staticmethod
    def string(value) -> str:
        if not isinstance(value, str):
            raise ValidationError(t("invalid"))
        return value

    def bounded(self, text: str) -> str:
        if not text and self.required:
            raise ValidationError(t("blank"))
        if len(text) > self.max_length:
            raise ValidationError(t("too_long", max=self.max_length))
        return text


class Line(BoundedString):
    """One line of text: NFC, trimmed, bounded, no line breaks or control characters."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = normalized(self.string(value))
        if any(mark in text for mark in LINE_BREAKS):
            raise ValidationError(t("line_break"))
        if has_control_character(text) or BIDI_CONTROLS.search(text):
            raise ValidationError(t("control_character"))
        return self.bounded(text.strip())


class Text(Line):
    """Several lines: line breaks become LF; tabs stay; other control characters are refused."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = re.sub("\r\n?|[\u2028\u2029\x85]", "\n", normalized(self.string(value)))
        if has_control_character(text, multiline=True) or BIDI_CONTROLS.search(text):
            raise ValidationError(t("control_character"))
        return self.bounded(text.strip("\n ").rstrip())


class Choice(Line):
    """A line that must be one of a closed set of values."""

    def __init__(self, choices, **kwargs):
        super().__init__(max_length=max(len(c) for c in choices), **kwargs)
        self.choices = tuple(choices)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if value not in self.choices:
            raise ValidationError(t("one_of", choices=", ".join(self.choices)))
        return value


class Email(Line):
    """An address for Reply-To: one line, one address, no display name.

    Only a plain dot-atom without "=?" (server/mail/headers.py): no quoted local part and
    no encoded-word that a mail reader could decode into a line break (CVE-2024-6923).
    """

    def __init__(self, **kwargs):
        super().__init__(max_length=254, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if text and not is_deliverable_address(text):
            raise ValidationError(t("invalid_email"))
        return text


class Url(Line):
    """An http(s) address."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        parts = urlsplit(text) if text else None
        if text and (parts.scheme not in ("http", "https") or not parts.hostname):
            raise ValidationError(t("invalid_url"))
        return text


class DataUrl(BoundedString):
    """A data URL, only bounded here: server/screenshots.py decodes and checks the image."""


class Uuid(Translated, fields.String):
    """A UUID, returned in its canonical lower-case text form."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        try:
            return str(uuid.UUID(str(value)))
        except (ValueError, AttributeError, TypeError) as error:
            raise ValidationError(t("invalid_uuid")) from error


# When a problem can have happened: Odoo (and this extension) did not exist before 2000, and
# a browser clock may run ahead by a day at most. Outside these bounds a time is a mistake or
# an attack: year 1 with +14:00 overflows once converted to the customer's time zone.
EARLIEST_TIME = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_AHEAD = timedelta(days=1)


class AwareDateTime(Translated, fields.String):
    """An ISO 8601 time with its offset, returned as ISO text (the report stays plain JSON)."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        try:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError as error:
            raise ValidationError(t("invalid_datetime")) from error
        if moment.tzinfo is None:
            raise ValidationError(t("invalid_datetime"))
        latest = datetime.now(UTC) + LATEST_AHEAD
        if not EARLIEST_TIME <= in_utc(moment) <= latest:
            raise ValidationError(t("datetime_out_of_range",
                                    earliest=EARLIEST_TIME.date().isoformat()))
        return moment.isoformat()


def in_utc(moment: datetime) -> datetime:
    """The time in UTC; one beyond datetime's range (year 1 at +14:00) is clamped to its edge."""
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return (datetime.min if moment.year == 1 else datetime.max).replace(tzinfo=UTC)


class Boolean(Translated, fields.Boolean):
    """true or false."""


class Integer(Translated, fields.Integer):
    """A whole number (Odoo record ids)."""


class List(Translated, fields.List):
    """A list with an upper bound on its length."""

    def __init__(self, inner, max_items: int, **kwargs):
        super().__init__(inner, **kwargs)
        self.max_items = max_items

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, list) and len(value) > self.max_items:
            raise ValidationError(t("too_many", max=self.max_items))
        return super()._deserialize(value, attr, data, **kwargs)


class Nested(Translated, fields.Nested):
    """A nested object; anything but a JSON object is refused in the request's language."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, dict):
            raise ValidationError(t("invalid"))
        return super()._deserialize(value, attr, data, **kwargs)
