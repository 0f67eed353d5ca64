"""From a real Odoo error to the ticket in support's mailbox, once per version (E1–E6, G1).

The server runs as a subprocess (dev mode, demo key) and mails to a real SMTP sink; the
message is parsed with email.policy.default and every part and recipient is checked.
"""
import json

import pytest
from playwright.sync_api import expect

from tests.odoo.pages import (
    WAIT_MS,
    captured,
    fill_and_send,
    form_route,
    open_report_form,
    open_web_client,
)

pytestmark = pytest.mark.browser

DOING = "Cleaning up the users of the company"
EXPECTED = "The old administrator account is gone"
EMAIL = "mitchell.admin@example.com"
SUPPORT = "support@example.com"  # the dev-mode customer's support address (server/customers.py)


def delete_the_admin_user(browser, odoo):
    page = open_web_client(browser, odoo, form_route(odoo, "res.users", 2, "base.action_res_users"))
    page.click(".o_cp_action_menus button.dropdown-toggle, .o_cp_action_menus .o-dropdown button")
    page.click(".o-dropdown--menu .dropdown-item:has-text('Delete')")
    page.click(".modal-footer .btn-primary")
    return page


def attachment(message, filename):
    for part in message.iter_attachments():
        if part.get_filename() == filename:
            return part.get_content()
    raise AssertionError(f"no attachment {filename}")


def test_a_real_error_becomes_a_ticket_email(odoo, browser, mail_server, smtp_server):
    browser.storage_set("sync", {"serverUrl": mail_server.url, "customerKey": "demo"})
    page = delete_the_admin_user(browser, odoo)
    capture = captured(browser, page)
    form = open_report_form(browser, page)
    assert form.input_value("[name=reporter_name]") == "Mitchell Admin"
    receipt = fill_and_send(form, DOING, EXPECTED, email=EMAIL)
    expect(receipt).to_be_visible(timeout=WAIT_MS)
    reference = form.text_content("#receipt-reference").split(":")[-1].strip()

    [message] = smtp_server.wait_for(1, timeout=30)
    [(mail_from, recipients)] = smtp_server.envelopes
    assert recipients == [SUPPORT], "only the customer's support address"
    assert mail_from
    assert reference in message["Subject"]
    assert message["Reply-To"].addresses[0].addr_spec == EMAIL
    body = message.get_body(("plain",)).get_content()
    for text in (DOING, EXPECTED, capture["error"]["message"].splitlines()[0]):
        assert text in body

    names = sorted(part.get_filename() or "" for part in message.iter_attachments())
    assert "report.json" in names and "error-details.txt" in names
    assert any(part.get_content_type() == "image/png" for part in message.walk())
    sent = json.loads(attachment(message, "report.json"))
    assert sent["error"]["exception"] == "odoo.exceptions.UserError"
    assert sent["error"]["title"] == capture["error"]["title"]
    assert sent["context"]["model"] == "res.users" and str(sent["context"]["record_id"]) == "2"
    assert sent["context"]["rpc"]["method"] == "unlink"
    assert sent["context"]["odoo_version"].startswith(str(odoo.tree.major))
    assert sent["context"]["database"] == odoo.db
    details = attachment(message, "error-details.txt")
    assert "odoo.exceptions.UserError" in details and "Traceback" in details
