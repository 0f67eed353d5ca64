"""Issue 11 against real Odoo (each version of the harness) with OCA helpdesk_mgmt:
tickets straight into the helpdesk (partner, attachments once, visible screenshot, one
ticket despite a lost answer, spooled while Odoo is down), the mail gateway's author and
threads, and the stage read back and shown in the extension's popup."""
import threading
import time
import uuid
from datetime import UTC, datetime
from email.parser import BytesParser
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from server.history import History, Seen
from server.mail.backends import Envelope, TemporaryFailure, backend_from_url
from server.mail.backends.odoo import OdooSettings
from server.mail.message import message_id, ticket_bytes
from tests.e2e.conftest import launch
from tests.odoo.conftest import STATUS
from tests.odoo.helpdesk import HelpdeskOdoo
from tests.server.images import data_url, image_bytes
from tests.server.samples import ACME, ACME_KEY, MAIL_FROM, bearer, error_report, report_body

pytestmark = pytest.mark.slow  # a real Odoo per version: about a minute to set up
COMPANY = "Acme Oy (helpdesk test)"
SCREENSHOT = image_bytes(320, 200)


def wait_for(condition, timeout=60.0, what="condition"):
    """Poll `condition` until it returns something truthy (the event: Odoo or the outbox)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="session")
def helpdesk_odoo_session(odoo_tree, odoo_preparation, tmp_path_factory):
    """The version's Odoo with helpdesk_mgmt (admin/admin and an API key), once per run."""
    base = odoo_preparation.instance(odoo_tree)
    STATUS.setdefault(odoo_tree.series, {}).update(ran=True, version=odoo_tree.version)
    odoo = HelpdeskOdoo(base, tmp_path_factory.mktemp(f"helpdesk-{odoo_tree.series}"))
    try:
        yield odoo.prepare()
    finally:
        odoo.stop()


@pytest.fixture
def helpdesk_odoo(helpdesk_odoo_session, request):
    """The helpdesk Odoo for one test; its log is shown when the test fails (the harness)."""
    odoo = helpdesk_odoo_session
    request.node.odoo_log_offset = odoo.log.stat().st_size if odoo.log.exists() else 0
    request.node.odoo_instance = odoo.instance
    yield odoo
    if odoo.instance.proc.poll() is not None:  # a test that stopped Odoo and failed
        odoo.start()


@pytest.fixture
def company(helpdesk_odoo):
    """The customer's company partner, under which the reporters are found or created."""
    found = helpdesk_odoo.execute("res.partner", "search", [["name", "=", COMPANY]])
    if found:
        return found[0]
    created = helpdesk_odoo.execute("res.partner", "create", [{"name": COMPANY,
                                                                "is_company": True}])
    return created[0] if isinstance(created, list) else created


def odoo_url(odoo, port=None):
    return f"odoo+http://127.0.0.1:{port or odoo.port}/?db={odoo.db}&model=helpdesk.ticket"


def config_file(tmp_path, odoo, **extra):
    lines = [f'mail_url = "{odoo_url(odoo)}"', 'odoo_user = "admin"',
             f'odoo_api_key = "{odoo.key}"', f'mail_from = "{MAIL_FROM}"',
             'retry_initial_seconds = 0.5', 'retry_max_seconds = 1.0',
             'helpdesk_status_seconds = 0.5', 'delivery_poll_seconds = 0.2',
             *[f"{key} = {value}" for key, value in extra.items()],
             "[[customers]]", 'id = "acme"', 'name = "Acme Oy"',
             f'key_sha256 = "{ACME.key_hash}"', 'support_address = "support@partner.example"',
             'language = "en"',
             f'helpdesk = {{ partner = "{COMPANY}", tags = ["support-reporter"] }}']
    path = tmp_path / "reporter.toml"
    path.write_text("\n".join(lines) + "\n")
    return {"SUPPORT_REPORTER_CONFIG": str(path)}


def tickets_of(odoo, reference):
    return odoo.execute("helpdesk.ticket", "search_read", [["name", "ilike", f"[{reference}]"]],
                        fields=["number", "name", "partner_id", "description", "tag_ids",
                                "stage_id"], context={"active_test": False})


def attachments_of(odoo, ticket_id):
    return odoo.execute("ir.attachment", "search_read",
                        [["res_model", "=", "helpdesk.ticket"], ["res_id", "=", ticket_id]],
                        fields=["name", "mimetype"])


def post(server, **overrides):
    body = report_body(screenshot=data_url(SCREENSHOT), **overrides)
    answer = requests.post(server.url + "/api/v1/reports", json=body, headers=bearer(ACME_KEY),
                           timeout=30)
    assert answer.status_code == 202, answer.text
    return answer.json()


def status(server, report_id):
    answer = requests.get(f"{server.url}/api/v1/reports/{report_id}", headers=bearer(ACME_KEY),
                          timeout=30)
    answer.raise_for_status()
    return answer.json()


def test_a_report_becomes_one_ticket_of_the_reporter_with_its_files_once(
        helpdesk_odoo, company, server_process, tmp_path):
    server = server_process(config_file(tmp_path, helpdesk_odoo))
    accepted = post(server, reporter={"name": "Maija Meikäläinen",
                                      "email": f"maija.{uuid.uuid4().hex[:8]}@acme.example"})
    sent = wait_for(lambda: (s := status(server, accepted["id"]))["status"] == "sent" and s,
                    what="delivery into Odoo")
    [ticket] = tickets_of(helpdesk_odoo, accepted["reference"])
    assert ticket["name"].startswith(f"[{accepted['reference']}] Acme Oy")
    # The reporter is the ticket's partner, a contact of the customer's company.
    [partner] = helpdesk_odoo.execute("res.partner", "read", [ticket["partner_id"][0]],
                                      fields=["email", "parent_id", "name"])
    assert partner["email"].startswith("maija.") and partner["name"] == "Maija Meikäläinen"
    assert partner["parent_id"][0] == company
    # Each file once; the screenshot shown in the description from its attachment.
    names = sorted(a["name"] for a in attachments_of(helpdesk_odoo, ticket["id"]))
    assert names == ["error-details.txt", "report.json", "screenshot.png"]
    [shot] = [a for a in attachments_of(helpdesk_odoo, ticket["id"])
              if a["name"] == "screenshot.png"]
    assert f'src="/web/image/{shot["id"]}' in ticket["description"]
    assert "cid:" not in ticket["description"]
    with requests.Session() as session:
        session.post(helpdesk_odoo.url + "/web/session/authenticate", json={
            "jsonrpc": "2.0", "method": "call",
            "params": {"db": helpdesk_odoo.db, "login": "admin", "password": "admin"}},
            timeout=30)
        image = session.get(f"{helpdesk_odoo.url}/web/image/{shot['id']}", timeout=30)
    assert image.status_code == 200 and image.content[:8] == b"\x89PNG\r\n\x1a\n"
    # The receipt carries the helpdesk's number and stage, read back from Odoo.
    assert sent["helpdesk"]["ticket"] == ticket["number"]
    assert sent["helpdesk"]["stage"] == ticket["stage_id"][1]
    assert sent["helpdesk"]["closed"] is False
    done = helpdesk_odoo.execute("helpdesk.ticket.stage", "search", [["closed", "=", True]],
                                 limit=1)
    helpdesk_odoo.execute("helpdesk.ticket", "write", [ticket["id"]], {"stage_id": done[0]})
    closed = wait_for(lambda: status(server, accepted["id"])["helpdesk"].get("closed"),
                      what="the closed stage in the receipt")
    assert closed is True


class LosingProxy(BaseHTTPRequestHandler):
    """Forwards XML-RPC to Odoo; the answer to the first helpdesk.ticket create is lost."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        answer = requests.post(self.server.target + self.path, data=body, timeout=60,
                               headers={"Content-Type": self.headers["Content-Type"]})
        creates_ticket = (b"<string>helpdesk.ticket</string>" in body
                          and b"<string>create</string>" in body)
        if creates_ticket and not self.server.lost:
            self.server.lost = True  # Odoo created it; the client never hears so
            self.close_connection = True
            return
        self.send_response(answer.status_code)
        self.send_header("Content-Type", answer.headers.get("Content-Type", "text/xml"))
        self.send_header("Content-Length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)

    def log_message(self, *args):
        pass


def test_a_lost_answer_and_a_retry_still_make_one_ticket(helpdesk_odoo, company, tmp_path):
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), LosingProxy)
    proxy.target, proxy.lost = helpdesk_odoo.url, False
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        reference = "OSR-" + uuid.uuid4().hex[:5].upper()
        data = ticket_bytes(ACME, error_report(screenshot_image=SCREENSHOT),
                            report_id="01m8fd9bng7gyhkvb9pydwdty3", reference=reference,
                            created_at=datetime.now(UTC), mail_from=MAIL_FROM)
        envelope = Envelope("reporter@partner.example", ("support@partner.example",), data)
        settings = OdooSettings(user="admin", api_key=helpdesk_odoo.key,
                                history=History(tmp_path / "history.sqlite3"))
        url = odoo_url(helpdesk_odoo, proxy.server_address[1])
        with backend_from_url(url, odoo=settings) as backend, pytest.raises(TemporaryFailure):
            backend.send_messages([envelope])
        assert proxy.lost and len(tickets_of(helpdesk_odoo, reference)) == 1
        with backend_from_url(url, odoo=settings) as backend:
            assert backend.send_messages([envelope]) == 1
        [ticket] = tickets_of(helpdesk_odoo, reference)
        names = sorted(a["name"] for a in attachments_of(helpdesk_odoo, ticket["id"]))
        assert names == ["error-details.txt", "report.json", "screenshot.png"]
    finally:
        proxy.shutdown()
        proxy.server_close()


def test_odoo_down_the_report_waits_in_the_outbox_and_arrives_when_it_is_back(
        helpdesk_odoo, company, server_process, tmp_path):
    server = server_process(config_file(tmp_path, helpdesk_odoo))
    helpdesk_odoo.stop()
    try:
        accepted = post(server)
        outbox = tmp_path / "server0" / "outbox" / "queue" / accepted["id"] / "state.json"
        wait_for(lambda: outbox.exists() and '"attempts": 1' in outbox.read_text()
                 and "cannot reach Odoo" in outbox.read_text(), what="a failed attempt")
        assert status(server, accepted["id"])["status"] == "queued"
    finally:
        helpdesk_odoo.start()
    wait_for(lambda: status(server, accepted["id"])["status"] == "sent", what="the retry")
    assert len(tickets_of(helpdesk_odoo, accepted["reference"])) == 1


def gateway(odoo, sender_mode, email, seen=None, report_id=None):
    """The ticket mail as Odoo's mail alias takes it: message_process on helpdesk.ticket."""
    reference = "OSR-" + uuid.uuid4().hex[:5].upper()
    report = error_report(screenshot_image=SCREENSHOT,
                          reporter={"name": "Matti Virtanen", "email": email})
    data = ticket_bytes(ACME, report, report_id=report_id or uuid.uuid4().hex[:26],
                        reference=reference, created_at=datetime.now(UTC), mail_from=MAIL_FROM,
                        sender_mode=sender_mode, seen=seen)
    raw = BytesParser(policy=default_policy).parsebytes(data).as_string()
    ticket_id = odoo.execute("mail.thread", "message_process", "helpdesk.ticket", raw)
    [ticket] = odoo.execute("helpdesk.ticket", "read", [ticket_id],
                            fields=["partner_id", "partner_email", "description"])
    messages = odoo.execute("mail.message", "search_read",
                            [["model", "=", "helpdesk.ticket"], ["res_id", "=", ticket_id],
                             ["message_type", "=", "email"]], fields=["author_id"])
    return {**ticket, "id": ticket_id}, messages, attachments_of(odoo, ticket_id)


@pytest.mark.parametrize("sender_mode", ["reporter", "server"])
def test_the_mail_gateway_makes_the_reporter_the_author_when_configured(
        helpdesk_odoo, company, sender_mode):
    email = f"matti.{uuid.uuid4().hex[:8]}@acme.example"
    partner = helpdesk_odoo.execute("res.partner", "create", [{
        "name": "Matti Virtanen", "email": email, "parent_id": company}])[0]
    ticket, messages, attachments = gateway(helpdesk_odoo, sender_mode, email)
    if sender_mode == "reporter":
        assert ticket["partner_id"][0] == partner
        assert [m["author_id"][0] for m in messages] == [partner]
    else:
        assert not ticket["partner_id"] or ticket["partner_id"][0] != partner
        assert "reporter@partner.example" in ticket["partner_email"]
    # The screenshot travels once.
    assert [a["name"] for a in attachments].count("screenshot.png") == 1


def test_a_customers_repeat_is_tagged_with_the_first_ticket(
        helpdesk_odoo, company, server_process, tmp_path):
    server = server_process(config_file(tmp_path, helpdesk_odoo))
    first = post(server, reporter={"name": "A", "email": "a@acme.example"})
    wait_for(lambda: status(server, first["id"])["status"] == "sent", what="the first")
    second = post(server, reporter={"name": "B", "email": "b@acme.example"})
    wait_for(lambda: status(server, second["id"])["status"] == "sent", what="the second")
    [one] = tickets_of(helpdesk_odoo, first["reference"])
    [two] = tickets_of(helpdesk_odoo, second["reference"])
    shared = set(one["tag_ids"]) & set(two["tag_ids"])
    names = [t["name"] for t in helpdesk_odoo.execute("helpdesk.ticket.tag", "read",
                                                       list(shared), fields=["name"])]
    assert any(name.startswith("error ") for name in names)
    assert f"id={one['id']}&amp;model=helpdesk.ticket" in two["description"]
    assert "Seen 2 times by 2 users at 1 customers" in two["description"]


def test_the_gateway_files_a_customers_repeat_under_its_first_ticket(helpdesk_odoo, company):
    email = f"liisa.{uuid.uuid4().hex[:8]}@acme.example"
    first_id = uuid.uuid4().hex[:26]
    first, _, _ = gateway(helpdesk_odoo, "reporter", email, report_id=first_id)
    repeat = Seen(count=2, users=1, customers=1, first_seen=time.time(),
                  thread_root=message_id(first_id, MAIL_FROM))
    second, messages, _ = gateway(helpdesk_odoo, "reporter", email, seen=repeat)
    assert second["id"] == first["id"]  # threaded: no second ticket
    assert len(messages) == 2


def popup_item(browser):
    page = browser.new_page()
    page.goto(browser.page_url("popup/popup.html"))
    page.wait_for_selector("body[data-ready=true]", timeout=20000)
    text = page.locator("#report-list li").first.text_content()
    page.close()
    return text


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "solved"), [("en-US", "Solved"), ("fi", "Ratkaistu"),
                                              ("sv", "Löst")])
def test_the_popup_shows_the_ticket_number_and_its_stage(
        playwright, helpdesk_odoo, company, server_process, tmp_path, lang, solved):
    server = server_process(config_file(tmp_path, helpdesk_odoo))
    browser = launch(playwright, tmp_path / "profile", lang=lang)
    try:
        browser.storage_set("sync", {"serverUrl": server.url, "customerKey": ACME_KEY})
        answer = browser.sw.evaluate(
            "(report) => OSR.messages.dispatch({type: 'send-report', data: {report}})",
            report_body())
        reference = answer["receipt"]["reference"]
        [ticket] = wait_for(lambda: tickets_of(helpdesk_odoo, reference), what="the ticket")
        number, stage = ticket["number"], ticket["stage_id"][1]
        shown = wait_for(lambda: (text := popup_item(browser)) and f"{number} — " in text
                         and text, what="the ticket in the popup")
        assert f"{number} — {stage}" in shown and reference in shown
        closing = helpdesk_odoo.execute("helpdesk.ticket.stage", "search",
                                        [["closed", "=", True]], limit=1)
        helpdesk_odoo.execute("helpdesk.ticket", "write", [ticket["id"]],
                              {"stage_id": closing[0]})
        shown = [popup_item(browser)]
        deadline = time.monotonic() + 60
        while solved not in shown[-1] and time.monotonic() < deadline:
            time.sleep(0.2)
            shown.append(popup_item(browser))
        assert f"{number} — {solved}" in shown[-1]
    finally:
        browser.context.close()
