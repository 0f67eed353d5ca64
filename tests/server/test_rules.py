"""The support rules as functions: G2 generic and short titles, E3 the error in the title."""
import pytest
from flask import Flask
from marshmallow import ValidationError

from server.validators.rules import (
    GENERIC_ERROR_TITLES,
    normalized_title,
    reject_generic_title,
    require_error_seed_fields,
    require_error_title_in_title,
    require_more_than_the_dialog_title,
    title_rules,
)


@pytest.fixture(autouse=True)
def english_request():
    with Flask(__name__).test_request_context(headers={"Accept-Language": "en"}):
        yield


@pytest.mark.parametrize("title, normalized", [
    ("Error in Odoo", "error"),
    ("  VIKA   Odoossa!!! ", "vika"),
    ("Problem i Odoo", "problem"),
    ("Validation Error: can't confirm S00042", "validation error can t confirm s00042"),
    ("Ｆｕｌｌｗｉｄｔｈ ｅｒｒｏｒ", "fullwidth error"),
    ("Laskun\u00a0vahvistus—epäonnistuu", "laskun vahvistus epäonnistuu"),
])
def test_normalization(title, normalized):
    assert normalized_title(title) == normalized


@pytest.mark.parametrize("title", [
    "Validation Error when confirming sales order S00042",
    "Laskun vahvistus epäonnistuu",
    "Access Error: cannot open purchase orders",
    "Lagersaldo uppdateras inte",
])
def test_descriptive_titles_pass_G2(title):
    reject_generic_title(title)


@pytest.mark.parametrize("title", ["Problem", "Vika Odoossa", "Fel!", "Urgent: Odoo error!!",
                                   "", "???", "Ei toimi taas", "Hjälp, fungerar inte"])
def test_generic_titles_fail_G2_with_advice(title):
    with pytest.raises(ValidationError) as refused:
        reject_generic_title(title)
    assert "too generic." in refused.value.messages[0]
    assert "e.g." in refused.value.messages[0]


@pytest.mark.parametrize("title", ["Invoice fails", "Stock", "Odoo invoice x"])
def test_short_titles_fail_G2(title):
    with pytest.raises(ValidationError, match="too short"):
        reject_generic_title(title)


@pytest.mark.parametrize("title, error_title, message", [
    ("Validation Error when confirming S00042", "Validation Error", "No invoice address"),
    ("validation error: S00042 ei vahvistu", "Validation Error", ""),
    ("Access Error avattaessa ostotilauksia", "Access Error", "Sorry, you are not allowed"),
    # Odoo 18+ titles every server error "Oops!": then words of the message count.
    ("Invoice address missing on S00042", "Oops!", "The customer has no invoice address."),
    # ... with Finnish inflection: "laskua" in the title, "laskun" in the message.
    ("Laskua ei voi vahvistaa S00042", "Odoo Server Error", "Laskun vahvistus epäonnistui"),
    ("Lisenssi vanhentunut tuotannossa", "Odoo-palvelinvirhe", "Lisenssi on vanhentunut"),
    ("Order S00042 cannot be confirmed", "Oops!", ""),  # nothing to mention
])
def test_titles_that_mention_the_error_pass_E3(title, error_title, message):
    require_error_title_in_title(title, error_title, message)


@pytest.mark.parametrize("title, error_title, message, says", [
    ("Cannot confirm sales order S00042", "Validation Error", "No invoice address",
     'error\'s title "Validation Error"'),
    ("Sales order confirmation broken", "Oops!", "The customer has no invoice address.",
     "error message"),
    ("Sales order confirmation broken", "Odoo Server Error", "Record does not exist",
     "error message"),
    ("Sales order confirmation broken", "Odoo Client Error", "TypeError: x is undefined",
     "error message"),
])
def test_titles_that_omit_the_error_fail_E3(title, error_title, message, says):
    with pytest.raises(ValidationError, match="must mention the error") as refused:
        require_error_title_in_title(title, error_title, message)
    assert says in refused.value.messages[0]


@pytest.mark.parametrize("dialog_title", ["Oops!", "Odoo Server Error", "Odoo Client Error",
                                          "Odoo Error", "Odoo-palvelinvirhe", "Odoo Serverfel",
                                          "Hups!", "ODOO SERVER ERROR"])
def test_generic_dialog_titles_do_not_count_alone(dialog_title):
    assert normalized_title(dialog_title) in GENERIC_ERROR_TITLES


@pytest.mark.parametrize("title, error_title", [
    ("Validation Error", "Validation Error"),
    ("Validation Error in Odoo", "Validation Error"),
    ("Validation error!!!", "Validation Error"),
    ("Error: Validation", "Validation Error"),
    ("validation error validation error", "Validation Error"),
    ("Validation Error when trying", "Validation Error"),  # fillers say nothing either
    ("Validation Error popup in Odoo 17", "Validation Error"),  # "17": too short to count
    ("Access Error!", "Access Error"),
    ("Access Error in Odoo again", "Access Error"),
    ("Oops!", "Oops!"),
    ("Oops! Odoo Server Error", "Oops!"),  # words of other generic dialog titles too
    ("Odoo Server Error", "Odoo Server Error"),
    ("Odoo-palvelinvirhe, hups!", "Odoo-palvelinvirhe"),
    ("Valideringsfel när det kom", "Valideringsfel"),
])
def test_a_title_that_is_only_the_dialogs_title_fails_G2_E3(title, error_title):
    with pytest.raises(ValidationError) as refused:
        require_more_than_the_dialog_title(title, error_title)
    message = refused.value.messages[0]
    assert "only repeats the error's title." in message
    assert "e.g. \"Validation Error when confirming sales order S00042\"" in message


@pytest.mark.parametrize("title, error_title", [
    ("Validation Error when confirming sales order S00042", "Validation Error"),
    # The extension's E3 suggestion: error title, gist of the message, where it happened.
    ("Validation Error: The delivery date cannot be earlier than the order date — "
     "Quotations / S00042 (action_confirm)", "Validation Error"),
    ("Validation Error myyntitilauksen vahvistuksessa", "Validation Error"),
    # Generic dialog words are compared exactly: "palvelu…" is not "palvelinvirhe".
    ("Validation Error palvelutilauksessa", "Validation Error"),
    ("Validation Error S00042", "Validation Error"),  # the record says where
    ("Access Error avattaessa ostotilauksia", "Access Error"),
    ("Record deleted when opening a sales order", "Oops!"),
    ("Valideringsfel när order S00042 bekräftas", "Valideringsfel"),
])
def test_a_title_that_says_more_than_the_dialog_passes(title, error_title):
    require_more_than_the_dialog_title(title, error_title)


def test_an_error_report_needs_result_steps_and_error():
    problems = require_error_seed_fields({"result": "", "steps": [], "error": {"title": ""}})
    assert set(problems) == {"result", "steps", "error"}
    assert require_error_seed_fields({"result": "x", "steps": ["a"],
                                      "error": {"message": "m"}}) == {}


def test_title_rules_are_exported_as_data():
    rules = title_rules()
    assert {"min_length", "min_words", "generic_titles", "generic_error_titles",
            "generic_words", "ignored_words", "normalization", "filler_words",
            "min_content_words", "min_content_word_length"} <= set(rules)
    assert "when" in rules["filler_words"] and rules["min_content_words"] >= 1
    assert "ongelma" in rules["generic_titles"] and "oops" in rules["generic_error_titles"]
    assert all(word == normalized_title(word) for word in rules["generic_words"])
