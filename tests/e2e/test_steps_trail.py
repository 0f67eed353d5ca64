"""The trail of user steps (E4) in real Chromium: sentences, never values, kept per tab."""
import pytest

from tests.e2e.isolated_world import IsolatedWorld

pytestmark = pytest.mark.browser

STORAGE_KEY = "odoo-support-reporter:steps"
FORM = "/web#id=42&action=312&model=sale.order&view_type=form"
# Opening the page by its link (or a reload) is the first step (E4): an error before any click
# still has one. The fixture pages' breadcrumbs name it.
OPENED = "Opened the page 'Quotations / S00042'"


def open_page(browser, odoo_site, version, route):
    odoo_site.use(f"odoo/{version}/page-form.html")
    page = browser.new_page()
    world = IsolatedWorld(browser, page)
    page.goto(odoo_site.url(route))
    world.wait_for("OSR.odooPage.detect() !== null")
    return page, world


def steps(world):
    return world.evaluate("OSR.stepsTrail.steps()")


def click_tab(page, label):
    page.click(f".o_notebook .nav-link:has-text('{label}')")


def test_trail_survives_client_side_navigation_and_a_reload(browser, odoo_site):
    page, world = open_page(browser, odoo_site, "18.0", "/odoo/action-312/42")
    click_tab(page, "Other Info")
    page.fill("input#client_order_ref_0", "PO-Confidential-77")
    # Odoo opens the next record client-side: the URL changes, the breadcrumb shows its name.
    page.evaluate("""() => {
      document.querySelector('.o_last_breadcrumb_item span').textContent = 'S00043';
      history.pushState({}, '', '/odoo/action-312/43');
    }""")
    world.wait_for("OSR.stepsTrail.steps().includes('Opened S00043')")
    page.evaluate("() => history.pushState({}, '', '/odoo/action-312/new')")
    world.wait_for("OSR.stepsTrail.steps().includes('Started a new record')")

    page.reload()
    world.wait_for("OSR.odooPage.detect() !== null")
    click_tab(page, "Order Lines")
    assert steps(world) == [
        OPENED, "Opened the 'Other Info' tab", "Edited 'Customer Reference'", "Opened S00043",
        "Started a new record", OPENED, "Opened the 'Order Lines' tab"]
    assert "PO-Confidential-77" not in page.evaluate(f"sessionStorage.getItem('{STORAGE_KEY}')")


@pytest.mark.parametrize("version,route", [("16.0", FORM), ("18.0", "/odoo/action-312/42")])
def test_buttons_dialogs_and_breadcrumbs_are_told(browser, odoo_site, version, route):
    """16 mounts a dialog in .o_dialog_container; 17+ wrap it in an overlay item first."""
    page, world = open_page(browser, odoo_site, version, route)
    page.click(".o_statusbar_buttons button[name=action_cancel]")
    page.wait_for_selector(".modal .modal-title")
    page.click(".modal-footer .btn-secondary")
    page.click(".breadcrumb-item a:has-text('Quotations')")
    world.wait_for("OSR.stepsTrail.steps().length >= 5")
    assert steps(world) == [
        OPENED, "Clicked 'Cancel' on S00042", "Dialog 'Confirmation' opened", "Clicked 'Cancel'",
        "Went back to 'Quotations'"]


def test_switching_apps_in_14(browser, odoo_site):
    page, world = open_page(browser, odoo_site, "14.0", FORM)
    page.click(".o_menu_apps a.full")
    page.click(".o_menu_apps .o_app:has-text('Invoicing')")
    page.click(".o_menu_sections a:has-text('Reporting')")
    assert steps(world) == [OPENED, "Opened Invoicing", "Opened Sales › Reporting"]


def test_only_the_last_20_steps_are_kept(browser, odoo_site):
    page, world = open_page(browser, odoo_site, "17.0", FORM)
    for turn in range(25):
        click_tab(page, "Other Info" if turn % 2 == 0 else "Order Lines")
    trail = steps(world)
    assert len(trail) == 20
    assert trail[-1] == "Opened the 'Other Info' tab"  # turn 24
    assert trail[0] == "Opened the 'Order Lines' tab"  # turn 5: turns 0–4 fell off


def test_sentences_follow_the_browser_language(launch_browser, odoo_site):
    browser = launch_browser(lang="fi")
    page, world = open_page(browser, odoo_site, "17.0", FORM)
    click_tab(page, "Other Info")
    page.fill("input#partner_id_0", "Salainen Asiakas Oy")
    page.click(".o_statusbar_buttons button[name=action_quotation_send]")
    assert steps(world) == [
        "Avasi sivun 'Quotations / S00042'", "Avasi välilehden 'Other Info'",
        "Muokkasi kenttää 'Customer'", "Napsautti 'Send by Email' tietueella S00042"]


def test_a_field_labels_help_marker_is_not_part_of_its_name(browser, odoo_site):
    """17's web.FormLabel adds `<sup class="text-info p-1">?</sup>` to a label with help."""
    page, world = open_page(browser, odoo_site, "17.0", FORM)
    click_tab(page, "Other Info")
    page.evaluate("""() => {
      const marker = document.createElement('sup');
      marker.className = 'text-info p-1';
      marker.setAttribute('data-tooltip-template', 'web.FieldTooltip');
      marker.textContent = '?';
      document.querySelector("label[for='client_order_ref_0']").append(marker);
    }""")
    page.fill("input#client_order_ref_0", "PO-77")
    assert steps(world)[-1] == "Edited 'Customer Reference'"


def test_an_error_before_any_click_has_the_page_opening_as_its_step(browser, odoo_site):
    """A link opened straight onto an error: the capture's steps are not empty (E4)."""
    odoo_site.use("odoo/17.0/user.html")
    page = browser.new_page()
    page.goto(odoo_site.url(FORM))
    captured = ".modal[data-odoo-support-capture]"
    page.wait_for_selector(captured, state="attached", timeout=8000)
    capture_id = page.get_attribute(captured, "data-odoo-support-capture")
    capture = browser.sw.evaluate("(id) => OSR.captures.getCapture({captureId: id})", capture_id)
    assert capture["capture"]["steps"] == [OPENED]
