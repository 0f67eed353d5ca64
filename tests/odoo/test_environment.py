"""The production banner and the staging ribbon on real Odoo pages (C1, C2, L3).

Nothing Odoo renders that a user types into or clicks may lie under our UI: with the chat
window open (Messaging › general), the chatter's composer open, and one of Odoo's own
dialogs open, every visible input, button and link of Odoo is checked against the box of
the banner (no overlap at all: it takes clicks) or the ribbon (what lies under it must
still get the click: it lets every click through).
"""
import pytest

from tests.odoo.pages import WAIT_MS, form_route, open_web_client

pytestmark = pytest.mark.browser

PRODUCTION_BANNER = "[data-odoo-support=production-banner]"
STAGING_RIBBON = "[data-odoo-support=staging-ribbon]"
CONTACTS = "contacts.action_contacts"

# Selectors per version: 16 has the legacy "o_*" mail components, 17 and 18 "o-mail-*".
MAIL = {
    16: {"messaging": ".o_MessagingMenu_toggler",
         "channel": ".o_NotificationListItem:has-text('general'), "
                    ".o_ChannelPreviewView:has-text('general')",
         "chat_input": ".o_ChatWindow .o_ComposerTextInput_textarea",
         "send_message": ".o_ChatterTopbar_buttonSendMessage",
         "composer_input": ".o_Chatter .o_ComposerTextInput_textarea"},
    17: {"messaging": ".o_menu_systray .fa-comments",
         "channel": ".o-mail-NotificationItem:has("
                    ".o-mail-NotificationItem-name:text-is('general'))",
         "chat_input": ".o-mail-ChatWindow .o-mail-Composer-input",
         "send_message": ".o-mail-Chatter-sendMessage",
         "composer_input": ".o-mail-Chatter .o-mail-Composer-input"},
}
MAIL[18] = MAIL[17]

# Odoo's elements a user types into or clicks, visible in the viewport, that overlap our UI.
COVERED = """([hostSelector, clickThrough]) => {
  const host = document.querySelector(hostSelector);
  const ours = host.shadowRoot ? [...host.shadowRoot.querySelectorAll("*")] : [host];
  const boxes = [host, ...ours].map((node) => node.getBoundingClientRect())
    .filter((box) => box.width > 0 && box.height > 0);
  const interactive = "input:not([type=hidden]), textarea, select, button, a[href], " +
    "[contenteditable=true], [role=button], [role=textbox], [role=menuitem]";
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
  // The part of an element its scrolling ancestors let show (a button scrolled out of
  // Odoo's content area is not under the banner, it is not on screen at all).
  const visiblePart = (element) => {
    let box = element.getBoundingClientRect();
    box = {left: box.left, right: box.right, top: box.top, bottom: box.bottom};
    for (let node = element.parentElement; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.overflowX === "visible" && style.overflowY === "visible") continue;
      const clip = node.getBoundingClientRect();
      box = {left: Math.max(box.left, clip.left), right: Math.min(box.right, clip.right),
             top: Math.max(box.top, clip.top), bottom: Math.min(box.bottom, clip.bottom)};
    }
    return box;
  };
  const covered = [];
  for (const element of document.querySelectorAll(interactive)) {
    if (host.contains(element)) continue;
    if (getComputedStyle(element).visibility === "hidden") continue;
    const box = visiblePart(element);
    if (box.right - box.left < 1 || box.bottom - box.top < 1) continue;
    const offScreen = box.bottom <= 0 || box.top >= innerHeight || box.right <= 0 ||
      box.left >= innerWidth;
    if (offScreen) continue;
    if (boxes.some((ourBox) => overlap(box, ourBox))) {
      // The ribbon lets clicks through (pointer-events: none): nothing of ours may catch a
      // click at the middle of what lies under it (Odoo's own overlays may).
      const hit = document.elementFromPoint((box.left + box.right) / 2, (box.top + box.bottom) / 2);
      if (clickThrough && !(hit && (hit === host || host.contains(hit)))) continue;
      const label = (element.innerText || element.value || "").slice(0, 30);
      covered.push(`${element.tagName.toLowerCase()}.${[...element.classList].join(".")} ` +
        `[${Math.round(box.top)}-${Math.round(box.bottom)}] "${label}"`);
    }
  }
  return covered;
}"""


def covered_by(page, host):
    """The production banner takes clicks: nothing may overlap it. The ribbon lets them through."""
    page.wait_for_selector(host, state="attached", timeout=WAIT_MS)
    return page.evaluate(COVERED, [host, host == STAGING_RIBBON])


def open_chat_window(page, mail):
    page.click(mail["messaging"])
    page.click(mail["channel"])
    page.wait_for_selector(mail["chat_input"], timeout=WAIT_MS)


def open_chatter_composer(page, mail):
    page.click(mail["send_message"])
    composer = page.locator(mail["composer_input"])
    composer.wait_for(timeout=WAIT_MS)
    composer.scroll_into_view_if_needed()


def open_delete_dialog(page):
    page.click(".o_cp_action_menus button.dropdown-toggle, .o_cp_action_menus .o-dropdown button")
    page.click(".o-dropdown--menu .dropdown-item:has-text('Delete')")
    page.wait_for_selector(".modal .modal-footer .btn-primary", timeout=WAIT_MS)


@pytest.mark.parametrize("environment,host", [
    ("productionOrigins", PRODUCTION_BANNER), ("stagingOrigins", STAGING_RIBBON)])
def test_nothing_of_odoo_lies_under_the_banner_or_ribbon(odoo, browser, environment, host):
    mail = MAIL[odoo.tree.major]
    browser.storage_set("sync", {environment: [odoo.url]})
    page = open_web_client(browser, odoo, form_route(odoo, "res.partner", 3, CONTACTS))
    found = {}
    open_chat_window(page, mail)
    found["chat window"] = covered_by(page, host)
    open_chatter_composer(page, mail)
    found["chatter composer"] = covered_by(page, host)
    open_delete_dialog(page)
    found["Odoo's dialog"] = covered_by(page, host)
    assert found == {"chat window": [], "chatter composer": [], "Odoo's dialog": []}
    assert page.locator(host).count() == 1
