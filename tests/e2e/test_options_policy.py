"""The options page, and enterprise policy (chrome.storage.managed) winning over it."""
import pytest
from playwright.sync_api import expect

from tests.e2e.test_report_form import (
    configure,
    open_form,
    sample_capture,
    store_capture,
)

pytestmark = pytest.mark.browser
SETTINGS = ("serverUrl", "customerKey", "learningMode", "productionOrigins", "stagingOrigins")
LOCKED = "Locked by your organisation's policy"


def open_options(browser):
    page = browser.new_page()
    page.goto(browser.page_url("options/options.html"))
    page.wait_for_selector("body[data-ready=true]", timeout=20000)
    return page


def get_config(browser):
    return browser.sw.evaluate("OSR.messages.dispatch({type: 'get-config', data: {}})")


def test_options_test_connection_and_save(browser, mail_server):
    page = open_options(browser)
    assert page.locator("#policy-note").is_hidden()
    for name in SETTINGS:
        assert page.locator(f"[name={name}]").is_enabled()
    page.fill("[name=serverUrl]", mail_server.url)
    page.fill("[name=customerKey]", "not-the-key")
    page.click("#test-connection")
    expect(page.locator("#connection-status")).to_have_text(
        "Connection failed: The customer key was not accepted.", timeout=15000)
    page.fill("[name=customerKey]", "demo")
    page.click("#test-connection")
    expect(page.locator("#connection-status")).to_contain_text("Connected: ", timeout=15000)
    page.fill("[name=stagingOrigins]", "https://staging.example.com\nnot an origin at all")
    page.click("#save")
    expect(page.locator("#stagingOrigins-error")).to_have_text(
        "Not an address: not an origin at all")
    assert browser.storage_get("sync") == {}
    page.fill("[name=stagingOrigins]", "https://staging.example.com")
    page.check("[name=learningMode]")
    page.click("#save")
    expect(page.locator("#save-status")).to_have_text("Saved.", timeout=15000)
    assert browser.storage_get("sync") == {
        "serverUrl": mail_server.url, "customerKey": "demo", "learningMode": True,
        "productionOrigins": [], "stagingOrigins": ["https://staging.example.com"],
    }
    config = get_config(browser)
    assert config["customer"]["name"] and config["stagingOrigins"] == ["https://staging.example.com"]
    assert config["learningMode"] is True and config["locked"] == []


@pytest.mark.policy
def test_policy_locks_server_and_key_and_reports_go_there(
        chromium_policy, launch_browser, mail_server, smtp_server):
    chromium_policy({"serverUrl": mail_server.url, "customerKey": "demo"})
    browser = launch_browser()
    # What the user had saved loses to the policy.
    browser.storage_set("sync", {"serverUrl": "http://127.0.0.1:9", "customerKey": "mine"})
    page = open_options(browser)
    assert page.locator("#policy-note").is_visible()
    # Each locked field says so after its own hint (the key's says who gives it).
    for name, value, description in (
            ("serverUrl", mail_server.url, LOCKED),
            ("customerKey", "demo", "Given by your Odoo partner's support. " + LOCKED)):
        field = page.locator(f"[name={name}]")
        assert field.input_value() == value and field.is_disabled()
        assert page.locator(f"#{name}-locked").is_visible()
        expect(field).to_have_accessible_description(description)
    for name in ("learningMode", "productionOrigins", "stagingOrigins"):
        assert page.locator(f"[name={name}]").is_enabled()
        assert page.locator(f"#{name}-locked").is_hidden()
    config = get_config(browser)
    assert sorted(config["locked"]) == ["customerKey", "serverUrl"]
    assert config["serverUrl"] == mail_server.url
    # Saving the page never copies the policy's values into the user's settings.
    page.click("#save")
    expect(page.locator("#save-status")).to_have_text("Saved.", timeout=15000)
    assert browser.storage_get("sync")["serverUrl"] == "http://127.0.0.1:9"
    # A report goes to the policy's server.
    form = open_form(browser, store_capture(browser, sample_capture()))
    form.fill("[name=doing]", "Posting a journal entry for a supplier")
    form.fill("[name=expected]", "The entry is posted")
    form.click("[data-odoo-support=send]")
    expect(form.locator("#receipt-view")).to_be_visible(timeout=20000)
    assert len(smtp_server.wait_for(1, timeout=20)) == 1


def test_customer_config_is_cached_for_when_the_server_is_down(browser, mail_server):
    configure(browser, mail_server)
    online = get_config(browser)
    assert online["customer"]["title_rules"] and online["customerError"] is None
    mail_server.kill()
    refetch = "OSR.messages.dispatch({type: 'get-config', data: {refresh: true}})"
    offline = browser.sw.evaluate(refetch)
    assert offline["customerError"] == "ERROR_OFFLINE"
    assert offline["customer"] == online["customer"] and offline["fetchedAt"] == online["fetchedAt"]


@pytest.mark.parametrize("address", ["http://support.example.com", "http://192.168.1.20:5000"])
def test_plain_http_to_another_computer_is_refused(browser, address):
    """The key travels in the Authorization header: http:// is only for this computer."""
    page = open_options(browser)
    page.fill("[name=serverUrl]", address)
    page.fill("[name=customerKey]", "demo")
    page.click("#save")
    refusal = ("The support server address must start with https:// "
               "(http:// is allowed only for this computer).")
    expect(page.locator("#serverUrl-error")).to_have_text(refusal)
    # Read with the field; the "locked by policy" note only while a policy locks it.
    expect(page.locator("#serverUrl")).to_have_accessible_description(refusal)
    assert browser.storage_get("sync") == {}
    # Set some other way (sync from another device, a policy), it is still never used.
    browser.storage_set("sync", {"serverUrl": address, "customerKey": "demo"})
    answer = browser.sw.evaluate(
        "(url) => OSR.messages.dispatch("
        "{type: 'test-connection', data: {serverUrl: url, customerKey: 'demo'}})", address)
    assert answer == {"ok": False, "error": "ERROR_INSECURE_URL"}


def test_saving_options_keeps_the_servers_learning_mode(browser, mail_server):
    """An untouched checkbox is no choice: the customer's learning_mode still applies."""
    page = open_options(browser)
    page.fill("[name=serverUrl]", mail_server.url)
    page.fill("[name=customerKey]", "demo")
    page.click("#save")
    expect(page.locator("#save-status")).to_have_text("Saved.", timeout=15000)
    assert "learningMode" not in browser.storage_get("sync")
    # "Saved." comes before the page shows the refreshed configuration, and that showing sets
    # the checkbox: a click in between is undone. Loaded again, the page has settled.
    page.reload()
    page.wait_for_selector("body[data-ready=true]", timeout=20000)
    page.check("[name=learningMode]")
    page.click("#save")
    expect(page.locator("#save-status")).to_have_text("Saved.", timeout=15000)
    assert browser.storage_get("sync")["learningMode"] is True


def test_content_scripts_never_get_the_customer_key(browser, mail_server):
    """Content scripts live inside Odoo's pages; only the extension's own pages see the key."""
    configure(browser, mail_server)
    dispatch = "(sender) => OSR.messages.dispatch({type: 'get-config', data: {}}, sender)"
    in_odoo = browser.sw.evaluate(
        dispatch, {"url": "https://erp.example.com/odoo/sales", "tab": {"id": 7}})
    assert "customerKey" not in in_odoo and in_odoo["serverUrl"] == mail_server.url
    popup = browser.sw.evaluate(dispatch, {"url": browser.page_url("popup/popup.html")})
    assert popup["customerKey"] == "demo"


# The options page's get-config held back until the test releases it: a fresh profile's first
# answer waits for managed storage (a second or more), and the user may type meanwhile.
HOLD_CONFIG = """
(() => {
  if (!globalThis.chrome || !chrome.runtime || !chrome.runtime.sendMessage) return;
  const original = chrome.runtime.sendMessage.bind(chrome.runtime);
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  globalThis.releaseConfig = () => release();
  chrome.runtime.sendMessage = async (message, ...rest) => {
    const refresh = message && message.data && message.data.refresh;
    const first = message && message.type === "get-config" && !refresh;
    if (first) await released;
    return original(message, ...rest);
  };
})();
"""


def test_typing_before_the_settings_load_is_kept_and_saved(browser):
    """Nothing typed is wiped by the late stored values, and no empty form is saved over them."""
    browser.storage_set("sync", {"stagingOrigins": ["https://staging.acme.example"],
                                 "customerKey": "stored-key"})
    page = browser.new_page()
    page.add_init_script(HOLD_CONFIG)
    page.goto(browser.page_url("options/options.html"))
    page.wait_for_function("typeof globalThis.releaseConfig === 'function'")
    expect(page.locator("#save")).to_be_disabled()
    page.fill("[name=productionOrigins]", "https://erp.acme.example")
    page.evaluate("globalThis.releaseConfig()")
    page.wait_for_selector("body[data-ready=true]", timeout=20000)

    assert page.input_value("[name=productionOrigins]") == "https://erp.acme.example"
    assert page.input_value("[name=stagingOrigins]") == "https://staging.acme.example"
    assert page.input_value("[name=customerKey]") == "stored-key"
    page.click("#save")
    expect(page.locator("#save-status")).to_have_text("Saved.", timeout=10000)
    stored = browser.storage_get("sync")
    assert stored["productionOrigins"] == ["https://erp.acme.example"]
    assert stored["stagingOrigins"] == ["https://staging.acme.example"]
    assert stored["customerKey"] == "stored-key"
