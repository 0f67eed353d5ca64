"""The form follows the browser's language (Chromium launched with --lang)."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_report_form import (
    configure,
    open_form,
    sample_capture,
    store_capture,
)

pytestmark = pytest.mark.browser
FINNISH_WEEKDAYS = re.compile(r"maanantai|tiistai|keskiviikko|torstai|perjantai|lauantai|sunnuntai")


def test_report_form_in_finnish(launch_browser, mail_server, smtp_server):
    browser = launch_browser(lang="fi")
    configure(browser, mail_server)
    page = open_form(browser, store_capture(browser, sample_capture()))
    assert page.evaluate("document.documentElement.lang") == "fi"
    assert page.text_content("h1") == "Ilmoita virheestä tuelle"
    assert page.text_content("label[for=doing]").startswith("Mitä olit tekemässä?")
    assert page.get_attribute("[name=expected]", "placeholder").startswith("esim.")
    assert page.text_content("[data-odoo-support=send]") == "Lähetä tuelle"
    # G2 in Finnish, as the user types.
    page.fill("[name=title]", "Ongelma")
    assert page.text_content("#title-error") == \
        "Otsikko on liian yleinen: tuki ei näe siitä, mikä ongelma on."
    assert "Ei \"Ongelma\" tai \"Vika Odoossa\"" in page.text_content("#title-hint")
    page.fill("[name=title]", "Validation Error: vienti MISC/2026/0007 ei täsmää kirjattaessa")
    assert page.text_content("#title-error") == "Hyvä otsikko."
    page.fill("[name=doing]", "Kirjasin ostovientiä")
    page.fill("[name=expected]", "Vienti kirjautuu")
    page.click("[data-odoo-support=send]")
    expect(page.locator("#receipt-view")).to_be_visible(timeout=20000)
    assert page.text_content("#receipt-wait") == "Älä yritä korjata sitä itse — tuki vastaa."
    answer_by = page.text_content("#receipt-answer-by")
    assert answer_by.startswith("Vastaus viimeistään ") and FINNISH_WEEKDAYS.search(answer_by)
    assert len(smtp_server.wait_for(1, timeout=20)) == 1


def test_report_form_in_swedish(launch_browser):
    browser = launch_browser(lang="sv")
    page = open_form(browser, store_capture(browser, sample_capture(screenshot=False)))
    assert page.text_content("h1") == "Rapportera ett fel till supporten"
    assert page.text_content("label[for=doing]").startswith("Vad höll du på med?")
