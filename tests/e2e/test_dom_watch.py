"""The content scripts' one shared observer (issue 13): the view area out, late containers in."""
import pytest

from tests.e2e.isolated_world import IsolatedWorld

pytestmark = pytest.mark.browser

FORM = "/web#id=42&action=312&model=sale.order&view_type=form"
# Every added node carrying data-probe is noted, in the order the subscriber got it.
SUBSCRIBE = """globalThis.probesSeen = [];
OSR.domWatch.subscribe((records) => {
  for (const record of records) {
    for (const node of record.addedNodes) {
      if (node.dataset && node.dataset.probe) probesSeen.push(node.dataset.probe);
    }
  }
});
true"""
# A row drawn in the view area, then (a task later) a container added to <body> late with
# something inside it at once, then (another task later) something added inside it.
MUTATE = """async () => {
  const probe = (name) => {
    const node = document.createElement("div");
    node.className = node.dataset.probe = name;
    return node;
  };
  const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
  document.querySelector(".o_action_manager .o_content").append(probe("row"));
  await nextTask();
  const late = probe("late-container");
  late.append(probe("born-inside"));
  document.body.append(late);
  await nextTask();
  late.append(probe("added-inside"));
}"""


@pytest.mark.parametrize("version", ["14.0", "17.0"])
def test_no_records_from_the_view_area_and_a_late_container_is_watched(browser, odoo_site, version):
    odoo_site.use(f"odoo/{version}/page-form.html")
    page = browser.new_page()
    world = IsolatedWorld(browser, page)
    page.goto(odoo_site.url(FORM))
    world.wait_for("OSR.odooPage.detect() !== null")
    world.evaluate(SUBSCRIBE)
    page.evaluate(MUTATE)
    world.wait_for("probesSeen.includes('added-inside')")
    # The row came first: had the view area been watched, its record would be here already.
    assert world.evaluate("probesSeen") == ["late-container", "added-inside"]
    # What came with the late container is inside the node the subscribers got.
    assert world.evaluate("document.querySelector('.late-container > .born-inside') !== null")
