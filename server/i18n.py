"""Server-side texts in Finnish, English and Swedish; the language comes from Accept-Language.

The texts are data, one catalog per language: server/locales/<language>.json (its README says
how to add a text or a language). They are read once, here, and refused at import unless every
language has English's keys, kinds and placeholders.
"""
import json
import re
import string
from pathlib import Path

from flask import g, has_request_context, request

LANGUAGES = ("fi", "en", "sv")
LOCALES = Path(__file__).with_name("locales")
# The catalog section of the ticket's fixed texts (server/mail/labels.py); t() reads the others.
TICKET_SECTION = "ticket"


class CatalogError(ValueError):
    """A catalog that cannot be read, or differs from English's in a key, kind or placeholder."""


def load_catalogs(folder: Path = LOCALES) -> dict[str, dict]:
    """Each language's catalog (section -> key -> text or list), checked against English's."""
    catalogs = {language: read_catalog(folder / f"{language}.json") for language in LANGUAGES}
    for language, catalog in catalogs.items():
        problems = differences(catalogs["en"], catalog)
        if problems:
            raise CatalogError(f"{folder / f'{language}.json'}: the {language} catalog differs "
                               f"from English's: " + "; ".join(problems))
    return catalogs


def read_catalog(path: Path) -> dict[str, dict]:
    """One catalog: sections of key -> text or list of texts; no key in two of t()'s sections."""
    try:
        catalog = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise CatalogError(f"{path}: not valid JSON: {error}") from None
    if not isinstance(catalog, dict) or not all(isinstance(texts, dict)
                                                for texts in catalog.values()):
        raise CatalogError(f"{path}: a catalog is an object of sections, each of key -> text")
    seen = {}
    for section, texts in catalog.items():
        for key, text in texts.items():
            if not (isinstance(text, str) or isinstance(text, list)
                    and all(isinstance(item, str) for item in text)):
                raise CatalogError(f"{path}: {section}.{key} is neither a text nor a list of texts")
            try:
                placeholders(text)
            except ValueError as error:  # "{retry_after" without its "}"
                raise CatalogError(f"{path}: {section}.{key}: {error}") from None
            if section != TICKET_SECTION and seen.setdefault(key, section) != section:
                raise CatalogError(f"{path}: {key} is in both {seen[key]} and {section}")
    return catalog


def differences(reference: dict, catalog: dict) -> list[str]:
    """How `catalog` differs from `reference` (English), one phrase per section.key."""
    expected, found = entries(reference), entries(catalog)
    problems = [f"{name} is missing" for name in expected if name not in found]
    problems += [f"{name} is not in English's catalog" for name in found if name not in expected]
    for name in expected.keys() & found.keys():
        want, have = expected[name], found[name]
        if isinstance(want, list) != isinstance(have, list) or \
                isinstance(want, list) and len(want) != len(have):
            problems.append(f"{name} is {kind(have)} where English has {kind(want)}")
        elif placeholders(have) != placeholders(want):
            problems.append(f"{name} has the placeholders {sorted(placeholders(have))} where "
                            f"English has {sorted(placeholders(want))}")
    return sorted(problems)


def entries(catalog: dict) -> dict[str, str | list]:
    """The catalog's texts by "section.key"."""
    return {f"{section}.{key}": text
            for section, texts in catalog.items() for key, text in texts.items()}


def kind(value: str | list) -> str:
    """"a text" or "a list of N texts", for a catalog error."""
    return f"a list of {len(value)} texts" if isinstance(value, list) else "a text"


def placeholders(value: str | list) -> set[str]:
    """The names format() fills in: "{date:%H.%M}" and "{date.day}" both name date."""
    texts = value if isinstance(value, list) else [value]
    return {re.split(r"[.\[]", field)[0]
            for text in texts for _, field, _, _ in string.Formatter().parse(text)
            if field is not None}


CATALOGS = load_catalogs()
# What t() reads, by language: every section but the ticket's, in one table of key -> text.
MESSAGES_BY_LANGUAGE = {
    language: {key: text for section, texts in catalog.items() if section != TICKET_SECTION
               for key, text in texts.items()}
    for language, catalog in CATALOGS.items()}


def current_language() -> str:
    """The request's best language: Accept-Language, else the customer's, else English."""
    if not has_request_context():
        return "en"
    chosen = accepted_language()
    if chosen is None and g.get("customer") is not None:
        chosen = g.customer.language
    return chosen or "en"


def accepted_language() -> str | None:
    """The first of the reporter's languages (by quality) that we speak; "sv-SE" means sv.

    Werkzeug's best_match prefers an exact "en" at q=0.5 over "sv-SE" at q=1.
    """
    for value, quality in request.accept_languages:
        language = primary_language(value)
        if quality > 0 and language:
            return language
    return None


def primary_language(tag: str | None) -> str | None:
    """The language of a tag if we speak it: "sv-SE", "fi_FI" and "FI" are sv, fi, fi."""
    code = (tag or "").replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else None


def t(key: str, language: str | None = None, **params) -> str:
    """The text for `key` in the request's language, with `params` filled in."""
    messages = MESSAGES_BY_LANGUAGE.get(language or current_language(), MESSAGES_BY_LANGUAGE["en"])
    return messages[key].format(**params)
