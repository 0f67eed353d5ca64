"""Firefox: a Finnish Firefox gets the extension in Finnish (button, banner, report form).

Firefox picks an extension's `_locales` from its own UI language, never from the page's or the
system's: a Finnish Firefox is Debian's firefox-esr with its Finnish language pack
(firefox-esr-l10n-fi) and `intl.locale.requested = fi`, as a Finnish user's Firefox has it.
"""
import json
from pathlib import Path

import pytest

from tests.e2e.test_environment import PAGE_17
from tests.firefox.conftest import BUTTON, ROOT, WEB_ROUTE, Firefox, company_policy
from tests.firefox.test_environment import PRODUCTION_BANNER, SHOWN_TEXT

pytestmark = [pytest.mark.browser, pytest.mark.firefox]

FINNISH = json.loads((ROOT / "extension/_locales/fi/messages.json").read_text(encoding="utf-8"))


def finnish(key):
    return FINNISH[key]["message"]


FINNISH_LANGUAGE_PACK = Path("/usr/lib/firefox-esr/browser/extensions/"
                             "langpack-fi@firefox-esr.mozilla.org.xpi")


@pytest.fixture(scope="module")
def finnish_firefox(firefox_ready, tmp_path_factory, support_server, sites):
    if not FINNISH_LANGUAGE_PACK.exists():
        pytest.fail("Firefox's Finnish language pack is missing: `make browsers` installs "
                    "firefox-esr-l10n-fi")
    browser = Firefox(tmp_path_factory.mktemp("firefox-fi"), company_policy(support_server, *sites),
                      prefs={"intl.locale.requested": "fi", "intl.accept_languages": "fi-FI, fi"})
    yield browser
    browser.close()


def test_button_banner_and_form_speak_finnish(finnish_firefox, sites):
    production, _ = sites
    production.use("odoo/17.0/validation.html")
    page = finnish_firefox.new_page()
    page.goto(production.url(WEB_ROUTE))
    page.wait_for_selector(BUTTON, visible=True)
    assert page.text(BUTTON).strip() == "Ilmoita tukeen"
    page.wait_for(f"() => ({SHOWN_TEXT})({PRODUCTION_BANNER!r})"
                  f".includes({finnish('env_production_banner')!r})")

    form = finnish_firefox.open_report_form(page)
    assert form.evaluate("() => document.documentElement.lang") == "fi"
    assert form.text("h1") == "Ilmoita virheestä tuelle"
    assert form.text("[data-odoo-support=send]") == "Lähetä tuelle"
    form.fill("[name=title]", "Ongelma")
    assert form.text("#title-error") == \
        "Otsikko on liian yleinen: tuki ei näe siitä, mikä ongelma on."


def test_finnish_banner_on_a_page_without_errors(finnish_firefox, sites):
    production, _ = sites
    production.use(PAGE_17)
    page = finnish_firefox.new_page()
    page.goto(production.url(WEB_ROUTE))
    page.wait_for(f"() => ({SHOWN_TEXT})({PRODUCTION_BANNER!r})"
                  f".includes({finnish('env_open_this_page_in_staging')!r})")
