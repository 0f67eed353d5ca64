"""Texts in fi, en and sv: one language list, one way to read a language tag, one catalog shape."""
import json
import re
import shutil
import string

import pytest

from server.i18n import (
    CATALOGS,
    LANGUAGES,
    LOCALES,
    TICKET_SECTION,
    CatalogError,
    load_catalogs,
    primary_language,
    t,
)
from server.mail.labels import labels_for
from server.validators.responses import STATUSES


@pytest.mark.parametrize("tag, language", [
    ("fi", "fi"), ("sv-SE", "sv"), ("fi_FI", "fi"), ("EN-gb", "en"), ("FI", "fi"),
    ("de-DE", None), ("", None), (None, None), ("*", None),
])
def test_a_language_tag_is_read_by_its_primary_language(tag, language):
    assert primary_language(tag) == language


def texts_of(language):
    """A shipped catalog, read straight from its file: "section.key" -> text or list."""
    catalog = json.loads((LOCALES / f"{language}.json").read_text(encoding="utf-8"))
    return {f"{section}.{key}": text
            for section, texts in catalog.items() for key, text in texts.items()}


def names_filled_in(text):
    """The argument names format() needs for `text`: "{date.day}" and "{date:%H}" need date."""
    return {field.split(".")[0]
            for _, field, _, _ in string.Formatter().parse(text) if field is not None}


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_language_has_exactly_englishs_texts(language):
    assert texts_of(language).keys() == texts_of("en").keys()


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_text_has_englishs_kind_and_placeholders(language):
    english = texts_of("en")
    for name, text in texts_of(language).items():
        assert type(text) is type(english[name]), name
        if isinstance(text, list):
            assert len(text) == len(english[name]), name
        else:
            assert names_filled_in(text) == names_filled_in(english[name]), name


def test_the_catalogs_carry_the_texts_that_take_placeholders_and_the_weekday_list():
    """The comparisons above have something to compare: placeholders and a list are there."""
    english = texts_of("en")
    assert names_filled_in(english["request.too_large"]) == {"max_bytes"}
    assert names_filled_in(english["ticket.datetime"]) == {"weekday", "date", "zone"}
    assert names_filled_in(texts_of("fi")["ticket.datetime"]) == {"weekday", "date", "zone"}
    assert english["ticket.weekdays"][0] == "Mon" and len(english["ticket.weekdays"]) == 7


def test_t_reads_every_section_but_the_tickets_and_labels_for_reads_the_tickets():
    for language in LANGUAGES:
        for section, texts in CATALOGS[language].items():
            for key, text in texts.items():
                if section == TICKET_SECTION:
                    assert labels_for(language)[key] == text
                elif not names_filled_in(text):
                    assert t(key, language) == text
    assert t("too_large", "fi", max_bytes=5) == "Pyyntö on liian suuri (enintään 5 tavua)."
    assert t("not_found", "de") == t("not_found") == "Not found."


def test_ticket_labels_follow_the_customers_language_tag():
    assert labels_for("sv-SE")["customer"] == "Kund"
    assert labels_for("fi_FI")["weekdays"][0] == "ma"
    assert labels_for("de")["customer"] == labels_for(None)["customer"] == "Customer"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_report_status_has_a_name_in_each_language(language):
    names = {t(f"outbox_state_{status}", language) for status in STATUSES}
    assert len(names) == len(STATUSES) == 4


def broken_copy(tmp_path, language, change):
    """The shipped catalogs in tmp_path, `language`'s changed by `change(catalog)`."""
    for each in LANGUAGES:
        shutil.copy(LOCALES / f"{each}.json", tmp_path / f"{each}.json")
    path = tmp_path / f"{language}.json"
    catalog = json.loads(path.read_text(encoding="utf-8"))
    change(catalog)
    path.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_shipped_catalogs_load_from_a_copy(tmp_path):
    broken_copy(tmp_path, "fi", lambda catalog: None)
    assert load_catalogs(tmp_path) == CATALOGS


def test_a_catalog_missing_a_key_is_refused_naming_the_language_and_key(tmp_path):
    path = broken_copy(tmp_path, "sv", lambda catalog: catalog["ticket"].pop("seen"))
    with pytest.raises(CatalogError) as refused:
        load_catalogs(tmp_path)
    assert str(refused.value) == (
        f"{path}: the sv catalog differs from English's: ticket.seen is missing")


@pytest.mark.parametrize("language, change, problem", [
    ("fi", lambda catalog: catalog["request"].update(too_large="Liian suuri ({max} tavua)."),
     "fi catalog differs from English's: request.too_large has the placeholders ['max'] where "
     "English has ['max_bytes']"),
    ("sv", lambda catalog: catalog["ticket"].update(weekdays="mån tis ons tors fre lör sön"),
     "sv catalog differs from English's: ticket.weekdays is a text where English has a list "
     "of 7 texts"),
    ("sv", lambda catalog: catalog["ticket"]["weekdays"].pop(),
     "sv catalog differs from English's: ticket.weekdays is a list of 6 texts where English "
     "has a list of 7 texts"),
    ("fi", lambda catalog: catalog["field"].update(spare="Ylimääräinen."),
     "fi catalog differs from English's: field.spare is not in English's catalog"),
    ("en", lambda catalog: catalog["rules"].update(steps_example="Write a step."),
     "fi catalog differs from English's: rules.steps_example is missing"),
    ("sv", lambda catalog: catalog["request"].update(rate_limited="Försök igen om {retry_after"),
     "request.rate_limited: expected '}' before end of string"),
    ("fi", lambda catalog: catalog["ticket"].update(yes=True),
     "ticket.yes is neither a text nor a list of texts"),
    ("fi", lambda catalog: catalog["field"].update(not_found="Ei löytynyt."),
     "not_found is in both request and field"),
    ("fi", lambda catalog: catalog.update(outbox_page=["Lähetetty"]),
     "a catalog is an object of sections, each of key -> text"),
], ids=["placeholder", "list-made-text", "short-list", "extra-key", "english-gains-a-key",
        "unclosed-brace", "not-a-text", "key-in-two-sections", "section-not-an-object"])
def test_a_broken_catalog_is_refused_with_what_is_wrong_and_where(tmp_path, language, change,
                                                                  problem):
    broken_copy(tmp_path, language, change)
    with pytest.raises(CatalogError, match="^" + re.escape(str(tmp_path))) as refused:
        load_catalogs(tmp_path)
    assert problem in str(refused.value)


def test_a_catalog_that_is_not_json_is_refused_naming_its_file(tmp_path):
    broken_copy(tmp_path, "sv", lambda catalog: None)
    (tmp_path / "sv.json").write_text('{"ticket": {"yes": "ja",}}', encoding="utf-8")
    refusal = f"{tmp_path / 'sv.json'}: not valid JSON"
    with pytest.raises(CatalogError, match="^" + re.escape(refusal)):
        load_catalogs(tmp_path)
