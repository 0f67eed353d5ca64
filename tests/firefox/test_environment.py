"""Firefox: production or staging (C1, C2), and configuration by policies.json.

The shared Firefox ESR's installation folder holds the policies.json a company deploys: the
support server and key, 127.0.0.1 as production and 127.0.0.2 as staging. Firefox hands the
policy to the extension as `storage.managed`; the options page shows those settings locked.
"""
import pytest

from tests.e2e.test_environment import PAGE_17, text
from tests.firefox.conftest import WEB_ROUTE

pytestmark = [pytest.mark.browser, pytest.mark.firefox]

PRODUCTION_BANNER = "[data-odoo-support=production-banner]"
STAGING_RIBBON = "[data-odoo-support=staging-ribbon]"
DECIDED = "html[data-odoo-support-environment]"
POLICY_SETTINGS = ["serverUrl", "customerKey", "productionOrigins", "stagingOrigins"]
# What the extension shows in its own shadow root (open), as the user reads it.
SHOWN_TEXT = """(selector) => {
  const host = document.querySelector(selector);
  return host ? (host.shadowRoot || host).textContent : "";
}"""


def wait_until_shown(page, selector, text):
    """Until the extension's element at `selector` shows `text` to the user."""
    page.wait_for(f"(s, t) => ({SHOWN_TEXT})(s).includes(t)", selector, text)


def open_odoo(new_page, site):
    site.use(PAGE_17)
    page = new_page()
    page.goto(site.url(WEB_ROUTE))
    page.wait_for_selector(DECIDED)
    return page


def environment_of(page):
    return page.attribute("html", "data-odoo-support-environment")


def test_production_shows_the_banner_and_staging_the_ribbon(new_page, sites):
    production, staging = sites
    page = open_odoo(new_page, production)
    assert environment_of(page) == "production"
    wait_until_shown(page, PRODUCTION_BANNER, text("env_production_banner"))
    assert text("env_open_this_page_in_staging") in page.evaluate(SHOWN_TEXT, PRODUCTION_BANNER)
    assert page.count(STAGING_RIBBON) == 0

    other = open_odoo(new_page, staging)
    assert environment_of(other) == "staging"
    wait_until_shown(other, STAGING_RIBBON, text("env_staging_ribbon"))
    assert other.count(PRODUCTION_BANNER) == 0
    # The ribbon never takes a click (pointer-events: none all the way down).
    assert other.evaluate("(s) => getComputedStyle(document.querySelector(s)).pointerEvents",
                          STAGING_RIBBON) == "none"


def test_open_this_page_in_staging_lands_on_the_same_route(firefox, new_page, sites):
    production, staging = sites
    staging.use(PAGE_17)
    page = open_odoo(new_page, production)
    page.wait_for_selector(f"{PRODUCTION_BANNER} >>> a", visible=True)
    before = firefox.open_pages()
    page.click(f"{PRODUCTION_BANNER} >>> a")
    new_page.pages.append(firefox.wait_for_page(staging.url(WEB_ROUTE), before))  # a new tab


def test_policies_json_configures_the_extension_and_locks_the_options(
        firefox, console, support_server, sites):
    production, staging = sites
    config = firefox.message("get-config")
    assert config["serverUrl"] == support_server.url and config["customerKey"] == "demo"
    assert config["productionOrigins"] == [production.origin]
    assert config["stagingOrigins"] == [staging.origin]
    assert sorted(config["locked"]) == sorted(POLICY_SETTINGS)
    # Fetched from the server with the policy's key: the customer's own configuration.
    assert config["customer"] and config["customerError"] is None
    console.evaluate("() => location.reload()")
    console.wait_for_selector("body[data-ready=true]")
    assert console.is_visible("#policy-note")
    for key in POLICY_SETTINGS:
        assert console.evaluate("(k) => document.getElementById(k).disabled", key), key
        assert console.is_visible(f"#{key}-locked"), key
    assert console.value("#serverUrl") == support_server.url
    assert console.evaluate("() => document.getElementById('learningMode').disabled") is False
