"""Production or staging (C1, C2, L3), end to end in real Chromium with the extension.

Two loopback origins play the customer's Odoo: 127.0.0.1 (production) and
127.0.0.2 (staging), configured through the options page's storage keys. The
fixture pages record every click that reaches the page in `window.fixtureClicks`.
"""
import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = json.loads((ROOT / "extension/_locales/en/messages.json").read_text(encoding="utf-8"))

PRODUCTION_BANNER = "[data-odoo-support=production-banner]"
STAGING_RIBBON = "[data-odoo-support=staging-ribbon]"
GUARD = "[data-odoo-support=production-guard]"
DECIDED = "html[data-odoo-support-environment]"
# The first get-config after a browser start may wait for managed storage (about 3 s).
FIRST_DECISION_MS = 10000

WEB_ROUTE = "/web#id=42&cids=1&menu_id=178&action=312&model=sale.order&view_type=form"
ODOO_ROUTE = "/odoo/sales/42?debug=assets#notebook"
PAGE_17 = "odoo/17.0/env-sale-order.html"
PAGE_18 = "odoo/18.0/env-sale-order.html"
PAGE_14 = "odoo/14.0/env-sale-order.html"
ROUTES = [(PAGE_17, WEB_ROUTE), (PAGE_18, ODOO_ROUTE)]
RIBBON_PAGE = "odoo/17.0/env-ribbon.html"
RIBBON_RPC = "/web/dataset/call_kw/web.environment.ribbon.backend/get_environment_ribbon"

pytestmark = pytest.mark.browser


def text(key):
    return MESSAGES[key]["message"]


def configure(browser, production, staging, **settings):
    browser.storage_set("sync", {
        "productionOrigins": [production.origin], "stagingOrigins": [staging.origin], **settings})


def serve_both(browser, odoo_sites, fixture, **settings):
    """Both origins serve `fixture`, configured as production and staging."""
    production, staging = odoo_sites
    production.use(fixture)
    staging.use(fixture)
    configure(browser, production, staging, **settings)
    return production, staging


def open_page(browser, site, route):
    page = browser.new_page()
    page.goto(site.url(route))
    page.wait_for_selector(DECIDED, state="attached", timeout=FIRST_DECISION_MS)
    return page


def learning_mode_production_page(browser, odoo_sites, fixture):
    """Production serving `fixture`, learning mode on: the web client once its banner shows."""
    production, staging = odoo_sites
    production.use(fixture)
    configure(browser, production, staging, learningMode=True)
    page = open_page(browser, production, WEB_ROUTE)
    page.locator(PRODUCTION_BANNER).wait_for()
    return page


# Adds an empty element to <body> (a DOM change the late-sign watch sees) and resolves at the
# next sign check: page-environment.js sets <html>'s mark at every check, changed or not.
NEXT_SIGN_CHECK = """() => new Promise((resolve) => {
  const observer = new MutationObserver(() => { observer.disconnect(); resolve(); });
  observer.observe(document.documentElement,
                   {attributes: true, attributeFilter: ["data-odoo-support-environment"]});
  document.body.appendChild(document.createElement("div"));
})"""


def environment_of(page):
    return page.get_attribute("html", "data-odoo-support-environment")


def staging_link(page):
    return page.locator(PRODUCTION_BANNER).get_by_role(
        "link", name=text("env_open_this_page_in_staging"))


def clicks(page):
    return page.evaluate("window.fixtureClicks")


def assert_click_passes_unasked(page, selector, reached):
    """The click reaches the page's own handler with no question in between."""
    page.locator(selector).click()
    assert page.locator(GUARD).count() == 0
    assert clicks(page) == reached


def test_production_shows_the_banner_and_staging_the_ribbon(browser, odoo_sites):
    production, staging = serve_both(browser, odoo_sites, PAGE_17)

    page = open_page(browser, production, WEB_ROUTE)
    banner = page.locator(PRODUCTION_BANNER)
    banner.get_by_text(text("env_production_banner")).wait_for()
    assert staging_link(page).is_visible()
    assert page.locator(STAGING_RIBBON).count() == 0
    assert environment_of(page) == "production"

    other = open_page(browser, staging, WEB_ROUTE)
    ribbon = other.locator(STAGING_RIBBON)
    ribbon.get_by_text(text("env_staging_ribbon")).wait_for()
    assert other.locator(PRODUCTION_BANNER).count() == 0
    assert environment_of(other) == "staging"
    # The ribbon never takes a click (pointer-events: none all the way down).
    assert ribbon.evaluate("host => getComputedStyle(host).pointerEvents") == "none"


@pytest.mark.parametrize("fixture, route", ROUTES, ids=["web-hash", "odoo-path"])
def test_open_this_page_in_staging_lands_on_the_same_route(browser, odoo_sites, fixture, route):
    production, staging = serve_both(browser, odoo_sites, fixture)
    page = open_page(browser, production, route)

    link = staging_link(page)
    with browser.context.expect_page(timeout=5000) as opened:
        link.click()
    staging_page = opened.value
    staging_page.wait_for_load_state()
    assert staging_page.url == staging.url(route)
    assert ("GET", route.split("#")[0]) in [(method, path) for method, path, _ in staging.requests]


def test_the_link_follows_odoo_navigating_without_reload(browser, odoo_sites):
    production, staging = serve_both(browser, odoo_sites, PAGE_17)
    page = open_page(browser, production, WEB_ROUTE)
    page.evaluate("location.hash = 'action=99&model=res.partner&view_type=list'")

    link = staging_link(page)
    with browser.context.expect_page(timeout=5000) as opened:
        link.click()
    assert opened.value.url == staging.url("/web#action=99&model=res.partner&view_type=list")


@pytest.mark.parametrize("navigate", [
    "history.pushState({}, '', '/web#action=99&model=res.partner&view_type=list')",
    "location.hash = 'action=99&model=res.partner&view_type=list'",
], ids=["pushState", "hashchange"])
def test_the_links_address_is_current_without_hovering_it(browser, odoo_sites, navigate):
    """What the status bar, "copy link address" and a middle click see is the page now."""
    production, staging = serve_both(browser, odoo_sites, PAGE_17)
    page = open_page(browser, production, WEB_ROUTE)
    link = staging_link(page)
    assert link.get_attribute("href") == staging.url(WEB_ROUTE)
    page.evaluate(navigate)  # Odoo's client-side navigation, in the page's own world
    expect(link).to_have_attribute(
        "href", staging.url("/web#action=99&model=res.partner&view_type=list"), timeout=3000)


def test_neutralized_database_means_staging_when_nothing_is_configured(browser, odoo_site):
    odoo_site.use("odoo/17.0/env-neutralized.html")
    page = open_page(browser, odoo_site, WEB_ROUTE)
    page.locator(STAGING_RIBBON).get_by_text(text("env_staging_ribbon")).wait_for()
    assert environment_of(page) == "staging"
    assert page.locator(PRODUCTION_BANNER).count() == 0


def test_oca_ribbon_shown_after_load_means_staging_when_nothing_is_configured(browser, odoo_site):
    odoo_site.use(RIBBON_PAGE)
    open_page(browser, odoo_site, "/web").close()  # the first get-config of a fresh browser is slow
    page = browser.new_page()
    page.goto(odoo_site.url(WEB_ROUTE))
    # Decided "unknown" first; the ribbon comes 1 s after load with its RPC answer: still seen.
    page.wait_for_selector(f"{DECIDED}[data-odoo-support-environment=unknown]",
                           state="attached", timeout=900)
    page.locator(STAGING_RIBBON).get_by_text(text("env_staging_ribbon")).wait_for(timeout=3000)
    assert page.locator("div.test-ribbon").inner_text() == "TEST\n(acme-test)"
    assert environment_of(page) == "staging"


@pytest.mark.parametrize("fixture, rpc", [
    (PAGE_17, None),
    (RIBBON_PAGE, {RIBBON_RPC: {"body": {"jsonrpc": "2.0", "result": {"name": "False", "color": "",
                                                                       "background_color": ""}}}}),
], ids=["plain", "oca-ribbon-hidden-in-production"])
def test_unknown_environment_shows_nothing(browser, odoo_site, fixture, rpc):
    odoo_site.use(fixture, rpc=rpc)
    page = open_page(browser, odoo_site, WEB_ROUTE)
    if rpc:  # the ribbon's RPC (1 s after load) answered: the ribbon has its final state ...
        page.wait_for_function(
            "(rpc) => performance.getEntriesByType('resource').some((e) => e.name.endsWith(rpc))",
            arg=RIBBON_RPC, timeout=5000)
    # ... and a sign check made since (300 ms after the nudge, long after the answer's
    # handler ran) still found nothing.
    page.evaluate(NEXT_SIGN_CHECK)
    assert environment_of(page) == "unknown"
    assert page.locator(f"{PRODUCTION_BANNER}, {STAGING_RIBBON}").count() == 0


def test_configuration_wins_over_signs(browser, odoo_sites):
    production, staging = odoo_sites
    # A neutralized copy served at production's address.
    production.use("odoo/17.0/env-neutralized.html")
    staging.use(PAGE_17)
    configure(browser, production, staging)
    page = open_page(browser, production, WEB_ROUTE)
    page.locator(PRODUCTION_BANNER).wait_for()
    assert environment_of(page) == "production"
    assert page.locator(STAGING_RIBBON).count() == 0


def test_dismissed_banner_stays_away_for_the_tab_session_only(browser, odoo_sites):
    production, staging = odoo_sites
    production.use(PAGE_17)
    configure(browser, production, staging)
    page = open_page(browser, production, WEB_ROUTE)
    banner = page.locator(PRODUCTION_BANNER)
    banner.wait_for()
    padding_top = "getComputedStyle(document.documentElement).paddingTop"
    assert page.evaluate(padding_top) != "0px"  # the strip kept for the banner

    banner.get_by_role("button", name=text("env_dismiss_banner")).click()
    assert banner.count() == 0
    assert page.evaluate(padding_top) == "0px"  # given back once it is dismissed

    page.reload()
    # Decided: the banner's render ran right after the decision, in the same task
    # (environment-banner.js' start), and production is never decided again.
    page.wait_for_selector(DECIDED, state="attached")
    assert environment_of(page) == "production"
    assert banner.count() == 0

    next_session = open_page(browser, production, WEB_ROUTE)  # a new tab is a new session
    next_session.locator(PRODUCTION_BANNER).wait_for()


OWL_APPS_MENU = ".o_main_navbar .o_navbar_apps_menu .dropdown-toggle"
NAVBARS = {  # version: (route, brand, apps menu toggle)
    "14.0": (WEB_ROUTE, ".o_main_navbar a.o_menu_brand", ".o_main_navbar .o_menu_apps a.full"),
    "17.0": (WEB_ROUTE, ".o_main_navbar .o_menu_brand", OWL_APPS_MENU),
    "18.0": (ODOO_ROUTE, ".o_main_navbar .o_menu_brand", OWL_APPS_MENU),
}


@pytest.mark.parametrize("version", NAVBARS)
def test_odoo_navbar_stays_usable_under_the_banner(browser, odoo_sites, version):
    route, brand, apps_menu = NAVBARS[version]
    production, staging = odoo_sites
    production.use(f"odoo/{version}/env-sale-order.html")
    configure(browser, production, staging)
    page = open_page(browser, production, route)
    banner = page.locator(PRODUCTION_BANNER)
    banner.wait_for()

    # Real mouse clicks: Playwright refuses to click an element another one covers.
    page.locator(brand).click(timeout=3000)
    page.locator(apps_menu).click(timeout=3000)
    assert clicks(page) == ["menu-brand", "apps-menu"]

    banner_box = banner.bounding_box()
    navbar_box = page.locator(".o_main_navbar").bounding_box()
    content_box = page.locator(".o_action_manager").bounding_box()
    # The banner has the top strip to itself: Odoo's navbar starts below it, and Odoo's
    # scrolling content still ends at the window's bottom (none of it pushed out of reach).
    assert banner_box["y"] == 0
    assert banner_box["y"] + banner_box["height"] <= navbar_box["y"] + 0.5
    viewport_height = page.viewport_size["height"]
    assert abs(content_box["y"] + content_box["height"] - viewport_height) <= 0.5


def test_learning_mode_asks_once_then_replays_the_same_click(browser, odoo_sites):
    page = learning_mode_production_page(browser, odoo_sites, PAGE_17)

    page.locator("button[name=action_confirm]").click()
    guard = page.locator(GUARD)
    guard.get_by_text(text("env_guard_title")).wait_for(timeout=3000)
    assert guard.get_by_role("dialog").is_visible()
    assert clicks(page) == []  # stopped before any of Odoo's handlers

    guard.get_by_role("button", name=text("env_guard_continue_here")).click()
    assert guard.count() == 0
    assert clicks(page) == ["action_confirm"]

    page.locator("button[name=action_cancel]").click()  # later clicks pass unasked
    page.locator("button[name=action_quotation_send]").click()
    assert guard.count() == 0
    assert clicks(page) == ["action_confirm", "action_cancel", "action_quotation_send"]


def test_frontend_pages_get_the_banner_but_no_guard(browser, odoo_sites):
    """A website page of production is production; its "Confirm" is a shopper's, not practice."""
    production, staging = odoo_sites
    production.use("odoo/17.0/page-shop-checkout.html")
    configure(browser, production, staging, learningMode=True)
    page = open_page(browser, production, "/shop/checkout")
    page.locator(PRODUCTION_BANNER).wait_for()
    assert_click_passes_unasked(page, "a.a-submit", ["confirm-order"])


def test_learning_mode_question_offers_staging_and_works_with_the_keyboard(browser, odoo_sites):
    production, staging = serve_both(browser, odoo_sites, PAGE_17, learningMode=True)
    page = open_page(browser, production, WEB_ROUTE)
    page.locator(PRODUCTION_BANNER).wait_for()

    page.locator("button[name=action_preview_sale_order]").click()  # type=object
    guard = page.locator(GUARD)
    open_in_staging = guard.get_by_role("button", name=text("env_guard_open_in_staging"))
    continue_here = guard.get_by_role("button", name=text("env_guard_continue_here"))
    open_in_staging.wait_for(timeout=3000)
    assert open_in_staging.evaluate("b => b.getRootNode().activeElement === b")
    page.keyboard.press("Tab")
    assert continue_here.evaluate("b => b.getRootNode().activeElement === b")
    page.keyboard.press("Tab")
    assert open_in_staging.evaluate("b => b.getRootNode().activeElement === b")
    page.keyboard.press("Escape")
    assert guard.count() == 0
    assert clicks(page) == []

    # A label, not a type=object button: "Delete" in the form's action menu.
    page.locator("[data-fixture-toggle=actions-menu]").click()
    page.get_by_role("menuitem", name="Delete").click()
    with browser.context.expect_page(timeout=5000) as opened:
        guard.get_by_role("button", name=text("env_guard_open_in_staging")).click()
    assert opened.value.url == staging.url(WEB_ROUTE)
    assert clicks(page) == []


def test_learning_mode_lets_ordinary_buttons_and_staging_through(browser, odoo_sites):
    production, staging = serve_both(browser, odoo_sites, PAGE_17, learningMode=True)
    page = open_page(browser, production, WEB_ROUTE)
    page.locator(PRODUCTION_BANNER).wait_for()
    page.locator(".o_form_button_create").click()  # "New" changes nothing yet
    assert clicks(page) == ["create"]

    other = open_page(browser, staging, WEB_ROUTE)
    other.locator(STAGING_RIBBON).wait_for()
    assert_click_passes_unasked(other, "button[name=action_confirm]", ["action_confirm"])


def test_learning_mode_is_off_by_default(browser, odoo_sites):
    production, staging = odoo_sites
    production.use(PAGE_17)
    configure(browser, production, staging)
    page = open_page(browser, production, WEB_ROUTE)
    page.locator(PRODUCTION_BANNER).wait_for()
    assert_click_passes_unasked(page, "button[name=action_confirm]", ["action_confirm"])


def test_without_a_staging_origin_there_is_no_staging_link_but_still_a_question(browser, odoo_site):
    odoo_site.use(PAGE_17)
    browser.storage_set("sync", {"productionOrigins": [odoo_site.origin], "learningMode": True})
    page = open_page(browser, odoo_site, WEB_ROUTE)
    banner = page.locator(PRODUCTION_BANNER)
    banner.get_by_text(text("env_production_banner")).wait_for()
    assert banner.get_by_role("link").count() == 0

    page.locator("button[name=action_confirm]").click()
    guard = page.locator(GUARD)
    guard.get_by_text(text("env_guard_no_staging"), exact=False).wait_for(timeout=3000)
    assert guard.get_by_role("button", name=text("env_guard_open_in_staging")).count() == 0
    guard.get_by_role("button", name=text("env_guard_continue_here")).click()
    assert clicks(page) == ["action_confirm"]


def test_texts_are_finnish_in_a_finnish_browser(launch_browser, odoo_sites):
    finnish = json.loads((ROOT / "extension/_locales/fi/messages.json").read_text(encoding="utf-8"))
    browser = launch_browser(lang="fi")
    production, staging = odoo_sites
    production.use(PAGE_17)
    configure(browser, production, staging)
    page = open_page(browser, production, WEB_ROUTE)
    banner = page.locator(PRODUCTION_BANNER)
    banner.get_by_text(finnish["env_production_banner"]["message"]).wait_for()
    link_text = finnish["env_open_this_page_in_staging"]["message"]
    assert banner.get_by_role("link", name=link_text).is_visible()


def test_learning_mode_knows_odoo_14_header_buttons_by_their_method_name(browser, odoo_sites):
    page = learning_mode_production_page(browser, odoo_sites, PAGE_14)

    page.get_by_role("button", name="Create Invoice").click()  # type="action": a wizard
    assert clicks(page) == ["312"]
    page.get_by_role("button", name="Lock").click()  # arch type="object", DOM type="button"
    guard = page.locator(GUARD)
    guard.get_by_role("button", name=text("env_guard_continue_here")).click(timeout=3000)
    assert clicks(page) == ["312", "action_done"]


def test_continue_here_replays_the_click_with_its_modifiers_and_position(browser, odoo_sites):
    """The replay is a new MouseEvent (isTrusted can't be forged), carrying the original's init."""
    page = learning_mode_production_page(browser, odoo_sites, PAGE_17)
    page.evaluate("""() => document.querySelector("button[name=action_confirm]")
      .addEventListener("click", (e) => {
        window.seenClick = {ctrlKey: e.ctrlKey, shiftKey: e.shiftKey, button: e.button,
                            clientX: e.clientX, clientY: e.clientY, target: e.target.tagName};
    })""")
    box = page.locator("button[name=action_confirm]").bounding_box()
    x, y = int(box["x"] + box["width"] / 2), int(box["y"] + box["height"] / 2)
    # The element under the pointer: the label's span inside the button.
    clicked = page.evaluate("([x, y]) => document.elementFromPoint(x, y).tagName", [x, y])
    page.keyboard.down("Control")
    page.mouse.click(x, y)
    page.keyboard.up("Control")
    guard = page.locator(GUARD)
    guard.get_by_role("button", name=text("env_guard_continue_here")).click(timeout=3000)

    assert clicks(page) == ["action_confirm"]
    assert page.evaluate("window.seenClick") == {
        "ctrlKey": True, "shiftKey": False, "button": 0, "clientX": x, "clientY": y,
        "target": clicked}


HOSTILE_PAGE_CSS = """
    * { color: rgb(255, 0, 0) !important; font-family: serif !important;
        background-color: rgb(255, 255, 0) !important; }
    odoo-support-reporter, [data-odoo-support] {
        display: none !important; visibility: hidden !important; opacity: 0 !important;
        position: static !important; transform: scale(0) !important; height: 0 !important; }
"""


def shadow_styles(page, role, inner_selector):
    """What the page can see of our host and of one element inside its shadow root."""
    return page.evaluate("""([role, selector]) => {
        const host = document.querySelector(`[data-odoo-support=${role}]`);
        const inner = host.shadowRoot.querySelector(selector);
        const style = getComputedStyle(host), innerStyle = getComputedStyle(inner);
        return {mode: host.shadowRoot.mode, hostDisplay: style.display,
                hostVisibility: style.visibility, hostOpacity: style.opacity,
                hostPosition: style.position,
                innerColor: innerStyle.color, innerFont: innerStyle.fontFamily,
                innerBackground: innerStyle.backgroundColor};
    }""", [role, inner_selector])


def test_hostile_page_css_neither_hides_nor_restyles_what_we_inject(browser, odoo_sites):
    """Issue 6: everything injected lives in an open shadow root, out of the page's CSS.

    The page's stylesheet reaches our host element only: its `*` rule and rules naming our
    tag try to hide and recolour it. Our :host declarations are !important, which beats the
    page's !important across the shadow boundary, so banner, ribbon and question keep their
    look. (A page script could still remove the host: no page content can prevent that.)
    """
    production, staging = serve_both(browser, odoo_sites, PAGE_17, learningMode=True)
    page = open_page(browser, production, WEB_ROUTE)
    page.add_style_tag(content=HOSTILE_PAGE_CSS)
    brand_color = "getComputedStyle(document.querySelector('.o_menu_brand')).color"
    assert page.evaluate(brand_color) == "rgb(255, 0, 0)"  # the page's own elements do turn red

    banner = page.locator(PRODUCTION_BANNER)
    banner.get_by_text(text("env_production_banner")).wait_for()
    assert staging_link(page).is_visible()
    assert shadow_styles(page, "production-banner", ".bar") == {
        "mode": "open", "hostDisplay": "block", "hostVisibility": "visible", "hostOpacity": "1",
        "hostPosition": "fixed", "innerColor": "rgb(255, 255, 255)",
        "innerFont": 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
        "innerBackground": "rgb(179, 38, 30)"}

    page.locator("button[name=action_confirm]").click()
    continue_here = page.locator(GUARD).get_by_role("button", name=text("env_guard_continue_here"))
    continue_here.wait_for(timeout=3000)
    assert continue_here.is_visible()
    guard = shadow_styles(page, "production-guard", ".box")
    assert guard["mode"] == "open" and guard["hostDisplay"] == "block"
    assert (guard["innerColor"], guard["innerBackground"]) == (
        "rgb(31, 31, 31)", "rgb(255, 255, 255)")
    continue_here.click()
    assert clicks(page) == ["action_confirm"]

    other = open_page(browser, staging, WEB_ROUTE)
    other.add_style_tag(content=HOSTILE_PAGE_CSS)
    other.locator(STAGING_RIBBON).get_by_text(text("env_staging_ribbon")).wait_for()
    ribbon = shadow_styles(other, "staging-ribbon", ".ribbon")
    seen = (ribbon["mode"], ribbon["hostDisplay"], ribbon["hostVisibility"], ribbon["innerColor"])
    assert seen == ("open", "block", "visible", "rgb(255, 255, 255)")


# A Finnish Odoo's buttons, as the page's own (main-world) script adds them: a label-only
# "Vahvista" (Confirm) and a dialog-footer "Peruuta" (Cancel) without an action name.
ADD_FINNISH_BUTTONS = """() => {
  for (const [label, id] of [["Vahvista", "fi-confirm"], ["Peruuta", "fi-cancel"]]) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-secondary";
    button.id = id;
    button.textContent = label;
    button.addEventListener("click", () => window.fixtureClicks.push(id));
    document.querySelector(".o_form_sheet").append(button);
  }
}"""


def test_learning_mode_reads_finnish_labels_and_lets_a_plain_cancel_through(browser, odoo_sites):
    """The label rules of lib/guard-rules.js at work in the page (the full table: node --test)."""
    production, staging = serve_both(browser, odoo_sites, PAGE_17, learningMode=True)
    page = open_page(browser, production, WEB_ROUTE)
    page.locator(PRODUCTION_BANNER).wait_for()
    page.evaluate(ADD_FINNISH_BUTTONS)

    assert_click_passes_unasked(page, "#fi-cancel", ["fi-cancel"])
    page.locator("#fi-confirm").click()
    guard = page.locator(GUARD)
    guard.get_by_role("button", name=text("env_guard_continue_here")).click(timeout=3000)
    assert clicks(page) == ["fi-cancel", "fi-confirm"]


CHAT_PAGE = "odoo/17.0/env-chat.html"
# Every element of Odoo's a user types into or clicks, with its box and, for the part of it
# inside the banner's strip, whether Odoo's element is what a click there reaches.
INTERACTIVE_UNDER = """(bannerBox) => {
  const selector = "button, a[href], input, textarea, select, [contenteditable=true], "
    + "[role=button], [role=menuitem], [tabindex]:not([tabindex='-1'])";
  const hidden = (element) => !element.getClientRects().length
    || getComputedStyle(element).visibility === "hidden";
  return Array.from(document.querySelectorAll(selector))
    .filter((element) => !element.closest("odoo-support-reporter") && !hidden(element))
    .map((element) => {
      const box = element.getBoundingClientRect();
      const top = Math.max(box.top, bannerBox.y);
      const bottom = Math.min(box.bottom, bannerBox.y + bannerBox.height);
      const overlaps = bottom > top && box.right > bannerBox.x
        && box.left < bannerBox.x + bannerBox.width;
      let reachable = true;
      if (overlaps) {
        const x = Math.min(Math.max((box.left + box.right) / 2, 1), innerWidth - 1);
        const hit = document.elementFromPoint(x, (top + bottom) / 2);
        reachable = Boolean(hit)
          && (hit === element || element.contains(hit) || hit.contains(element));
      }
      return { name: element.id || element.className || element.tagName, top: box.top,
        bottom: box.bottom, overlaps, reachable };
    });
}"""


def interactive_under_banner(page):
    """Odoo's interactive elements under the production banner (none may be)."""
    box = page.locator(PRODUCTION_BANNER).bounding_box()
    elements = page.evaluate(INTERACTIVE_UNDER, box)
    assert elements, "the page has interactive elements to check"
    return [element for element in elements if element["overlaps"] and not element["reachable"]]


@pytest.mark.parametrize("fullscreen", [False, True], ids=["dialog", "fullscreen-dialog"])
def test_nothing_of_odoo_lies_under_the_production_banner(browser, odoo_sites, fullscreen):
    """Odoo 17's chat window (fixed to the bottom), the chatter and Odoo's own dialogs stay usable.

    Seen on a real Odoo 17: the chat window's message input lay entirely under a banner
    at the bottom of the window; a body padding does nothing for fixed elements.
    """
    production, staging = serve_both(browser, odoo_sites, CHAT_PAGE)
    page = open_page(browser, production, WEB_ROUTE)
    banner = page.locator(PRODUCTION_BANNER)
    banner.wait_for()
    banner_box = banner.bounding_box()
    chat_input = page.locator("#chat-input").bounding_box()
    viewport_height = page.viewport_size["height"]
    # The chat window keeps its place at the bottom, its input wholly visible and apart.
    assert abs(chat_input["y"] + chat_input["height"] - viewport_height) < 60
    assert chat_input["y"] >= banner_box["y"] + banner_box["height"]
    assert interactive_under_banner(page) == []
    # Real clicks and typing: Playwright refuses to act on an element another one covers.
    page.locator("#chat-input").fill("Hello from production")
    page.locator("#chat-send").click(timeout=3000)
    page.locator("#chatter-input").fill("A note")
    page.locator("#chatter-send").click(timeout=3000)

    page.evaluate("(fullscreen) => window.openDialog(fullscreen)", fullscreen)
    page.locator(".modal #dialog-reason").wait_for()
    assert interactive_under_banner(page) == []
    page.locator(".modal #dialog-close").click(timeout=3000)
    page.locator(".modal #dialog-reason").fill("Customer changed their mind")
    page.locator(".modal .modal-body").evaluate("(body) => body.closest('.modal').scrollTo(0, 1e6)")
    page.locator(".modal #dialog-confirm").click(timeout=3000)
    assert clicks(page) == ["chat-send", "chatter-send", "dialog-close", "dialog-confirm"]
    # The banner is still there, still saying production.
    assert banner.get_by_text(text("env_production_banner")).is_visible()
