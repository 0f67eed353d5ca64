"""Firefox: a Finnish Firefox gets the extension in Finnish (button, banner, report form).

Firefox picks an extension's `_locales` from its own UI language, never from the page's or the
system's: a Finnish Firefox is Debian's firefox-esr with its Finnish language pack
(firefox-esr-l10n-fi) and `intl.locale.requested = fi`, as a Finnish user's Firefox has it.
"""
import json
from pathlib import Path

import pytest

from tests.e2e.test_environment import PAGE_17
from tests.firefox.conftest import BUTTON, CAPTURED, ROOT, WEB_ROUTE, Firefox, company_policy
from tests.firefox.test_environment import PRODUCTION_BANNER, wait_until_shown

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
                      prefs={"intl.locale.requested": "fi", "intl.accept_languages": "fi-FI, fi",
                             # The permission request is granted without the prompt a user clicks.
                             "extensions.webextOptionalPermissionPrompts": False})
    yield browser
    browser.close()


def test_button_banner_and_form_speak_finnish(finnish_firefox, sites):
    production, _ = sites
    production.use("odoo/17.0/validation.html")
    page = finnish_firefox.new_page()
    page.goto(production.url(WEB_ROUTE))
    page.wait_for_selector(BUTTON, visible=True)
    assert page.text(BUTTON).strip() == "Ilmoita tukeen"
    wait_until_shown(page, PRODUCTION_BANNER, finnish("env_production_banner"))

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
    wait_until_shown(page, PRODUCTION_BANNER, finnish("env_open_this_page_in_staging"))


def error_form(browser, production):
    production.use("odoo/17.0/validation.html")
    page = browser.new_page()
    page.goto(production.url(WEB_ROUTE))
    page.wait_for_selector(CAPTURED)
    return browser.open_report_form(page)


def screenshot_of(browser, form):
    capture_id = form.evaluate("() => new URL(location.href).searchParams.get('capture')")
    return browser.message("get-capture", {"captureId": capture_id})["capture"]["screenshot"]


def test_without_access_to_all_websites_the_form_says_why_there_is_no_screenshot(
        finnish_firefox, sites):
    """Firefox lets a user turn off the add-on's access to all websites: its content scripts
    still run on Odoo (their own http/https patterns), but captureVisibleTab is refused."""
    production, _ = sites
    console = finnish_firefox.open_console(error_form(finnish_firefox, production))
    assert console.evaluate(
        "() => browser.permissions.remove({origins: ['<all_urls>']})") is True

    form = error_form(finnish_firefox, production)
    assert screenshot_of(finnish_firefox, form) is None
    assert form.is_visible("#screenshot-access") and form.is_visible("#screenshot-none")
    assert form.text("#screenshot-access p") == finnish("report_screenshot_not_allowed")
    form.click("#screenshot-allow")
    form.wait_for(f"() => document.querySelector('#screenshot-access [role=status]').textContent"
                  f" === {finnish('report_screenshot_allowed')!r}")
    assert console.evaluate("() => browser.permissions.contains({origins: ['<all_urls>']})")

    # Allowed again: the next error has its screenshot, and the form no note.
    again = error_form(finnish_firefox, production)
    assert screenshot_of(finnish_firefox, again).startswith("data:image/png;base64,")
    assert not again.is_visible("#screenshot-access")
