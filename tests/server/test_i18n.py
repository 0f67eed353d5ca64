"""Texts in fi, en and sv: one language list, one way to read a language tag, one table shape."""
import pytest

from server.i18n import LANGUAGES, MESSAGES, primary_language, t
from server.mail.labels import LABELS, labels_for
from server.validators.responses import STATUSES


@pytest.mark.parametrize("tag, language", [
    ("fi", "fi"), ("sv-SE", "sv"), ("fi_FI", "fi"), ("EN-gb", "en"), ("FI", "fi"),
    ("de-DE", None), ("", None), (None, None), ("*", None),
])
def test_a_language_tag_is_read_by_its_primary_language(tag, language):
    assert primary_language(tag) == language


@pytest.mark.parametrize("table", [MESSAGES, LABELS], ids=["messages", "labels"])
def test_every_text_is_in_each_language_we_speak(table):
    for key, by_language in table.items():
        assert set(by_language) == set(LANGUAGES), key


def test_ticket_labels_follow_the_customers_language_tag():
    assert labels_for("sv-SE")["customer"] == "Kund"
    assert labels_for("fi_FI")["weekdays"][0] == "ma"
    assert labels_for("de")["customer"] == labels_for(None)["customer"] == "Customer"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_report_status_has_a_name_in_each_language(language):
    names = {t(f"outbox_state_{status}", language) for status in STATUSES}
    assert len(names) == len(STATUSES) == 4
