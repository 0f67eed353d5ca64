"""The Odoo helpdesk backend's parts that need no Odoo: its URL, its configuration, how it
reads a spooled ticket and how it classifies Odoo's faults (tests/helpdesk/ runs it
against a real Odoo)."""
import xmlrpc.client
from datetime import UTC, datetime

import pytest

from server.config import load_settings
from server.config_checks import ConfigError
from server.mail.backends import Envelope, PermanentFailure, TemporaryFailure, backend_from_url
from server.mail.backends.odoo import classify_fault, parse_url, read_ticket
from server.mail.message import ticket_bytes
from tests.server.images import image_bytes
from tests.server.samples import ACME, MAIL_FROM, error_report

URL = "odoo+https://partner.example/?db=partner&model=helpdesk.ticket"


# An unusable URL is refused, with the reason, where the operator sets it (MAIL_URL): the table
# of bad environment variables in test_config.py.
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_plain_http_is_allowed_to_loopback_only(host):
    base, db, model, api, _, _ = parse_url(f"odoo+http://{host}:8069/?db=d")
    assert base == f"http://{host}:8069" and (db, model, api) == ("d", "helpdesk.ticket", "auto")


def test_the_configuration_needs_the_odoo_login_and_names_the_key(tmp_path):
    with pytest.raises(ConfigError, match=r"odoo_api_key \(SUPPORT_REPORTER_ODOO_API_KEY\)"):
        load_settings({"MAIL_URL": URL, "OUTBOX": str(tmp_path)}, environ={})
    settings = load_settings({"MAIL_URL": URL, "OUTBOX": str(tmp_path), "ODOO_USER": "bot",
                              "ODOO_API_KEY": "k"}, environ={})
    assert settings["MAIL_URL"] == URL
    with pytest.raises(ConfigError, match="mail_url"):
        load_settings({"MAIL_URL": "odoo+http://partner.example/?db=x", "OUTBOX": str(tmp_path),
                       "ODOO_USER": "bot", "ODOO_API_KEY": "k"}, environ={})


def test_the_sender_mode_is_one_of_two(tmp_path):
    with pytest.raises(ConfigError, match="mail_sender_mode"):
        load_settings({"MAIL_SENDER_MODE": "reporter-ish", "OUTBOX": str(tmp_path)}, environ={})


@pytest.mark.parametrize(("helpdesk", "problem"), [
    ({"team": ""}, "team"), ({"partner": True}, "partner"), ({"tags": "x"}, "tags"),
    ({"colour": "red"}, "colour"), ({"category": -3}, "category")])
def test_a_customers_helpdesk_table_is_checked(tmp_path, helpdesk, problem):
    customer = {"id": "acme", "name": "Acme", "key_sha256": "a" * 64,
                "support_address": "s@partner.example", "helpdesk": helpdesk}
    with pytest.raises(ConfigError, match=rf"customers\[0\]\.helpdesk.*{problem}"):
        load_settings({"OUTBOX": str(tmp_path), "CUSTOMERS": [customer]}, environ={})


def test_the_spooled_ticket_gives_name_body_screenshot_and_files_once():
    screenshot = image_bytes(64, 32)
    data = ticket_bytes(ACME, error_report(screenshot_image=screenshot),
                        report_id="01m8fd9bng7gyhkvb9pydwdty3", reference="OSR-7K2Q9",
                        created_at=datetime(2026, 11, 30, 8, 0, tzinfo=UTC), mail_from=MAIL_FROM)
    ticket = read_ticket(Envelope("r@partner.example", ("s@partner.example",), data).message())
    assert ticket.name.startswith("[OSR-7K2Q9] Acme Oy") and ticket.reference == "OSR-7K2Q9"
    assert ticket.screenshot[1:] == ("screenshot.png", "image/png", screenshot)
    assert f'src="cid:{ticket.screenshot[0]}"' in ticket.html
    assert "<body" not in ticket.html and "<title>" not in ticket.html
    assert [name for name, _, _ in ticket.attachments] == ["error-details.txt", "report.json"]
    assert ticket.report["customer_id"] == "acme"
    assert ticket.report["reporter"]["email"] == "maija@acme.example"
    assert len(ticket.fingerprint) == 16


@pytest.mark.parametrize(("fault", "kind"), [
    (xmlrpc.client.Fault(3, "Access Denied"), PermanentFailure),
    (xmlrpc.client.Fault(4, "You are not allowed to create 'Helpdesk Ticket' records."),
     PermanentFailure),
    (xmlrpc.client.Fault(2, "The operation cannot be completed: a mandatory field is not set"),
     PermanentFailure),
    (xmlrpc.client.Fault(1, "Traceback ...\nValueError: Invalid field 'team' on model"),
     PermanentFailure),
    (xmlrpc.client.Fault(1, "Traceback ...\npsycopg2.errors.SerializationFailure: could not "
                            "serialize access"), TemporaryFailure),
])
def test_access_and_validation_faults_are_permanent_others_temporary(fault, kind):
    failure = classify_fault(fault)
    assert type(failure) is kind and failure.reason


def test_odoo_down_is_a_temporary_failure():
    backend = backend_from_url("odoo+http://127.0.0.1:9/?db=x", timeout=2,
                               odoo=None)
    with pytest.raises(TemporaryFailure, match="cannot reach Odoo"):
        backend.api.open()
    backend.close()
