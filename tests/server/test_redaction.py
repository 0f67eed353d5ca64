"""Redaction on the server (issue 9): the same table as the extension's
(tests/shared/redaction_cases.json), and a report's secrets never reach the spool."""
import email
import email.policy
import json
import time
from pathlib import Path

import pytest

from server.redact import MARK, redact_object, redact_text
from tests.server.samples import page_context, report_body

CASES = json.loads((Path(__file__).parent.parent / "shared" / "redaction_cases.json")
                   .read_text(encoding="utf-8"))
SECRETS = ("hunter2", "r3fr3sh-t0k3n", "K-42", "abc123def")


@pytest.mark.parametrize("case", CASES["text"], ids=lambda case: case["name"])
def test_text_is_redacted_as_the_shared_table_says(case):
    assert redact_text(case["input"]) == case["expected"]


@pytest.mark.parametrize("case", CASES["objects"], ids=lambda case: case["name"])
def test_objects_are_redacted_as_the_shared_table_says(case):
    original = json.loads(json.dumps(case["input"]))
    assert redact_object(case["input"]) == case["expected"]
    assert case["input"] == original  # a copy: the caller's value is untouched


def test_the_table_and_the_server_use_one_marker():
    assert CASES["mark"] == MARK


def test_a_reports_secrets_never_reach_the_spool(client, app, auth):
    """A client that does not redact (an old extension, curl): the server still does."""
    texts = {case["name"]: case["input"] for case in CASES["text"]}
    error = {"kind": "server", "title": "Odoo Server Error",
             "message": "Authentication failed: " + texts["odoo-smtp-pass-kwarg"],
             "details": texts["odoo-traceback"],
             "exception": "smtplib.SMTPAuthenticationError"}
    context = page_context(
        url="https://anna:hunter2@erp.acme.example/odoo?access_token=abc123def")
    context["rpc"] = {"url": "/web/dataset/call_kw?api_key=K-42", "model": "ir.mail_server",
                      "method": "test_smtp_connection", "ids": [1]}
    body = report_body(
        title="Odoo Server Error: Authentication failed when testing the mail server",
        error=error, context=context, result=texts["python-bytes-value"],
        steps=["Opened Settings > Technical > Outgoing Mail Servers",
               texts["camel-refresh-token"]],
        doing=texts["json-escaped-password"])
    response = client.post("/api/v1/reports", json=body, headers=auth)
    assert response.status_code == 202, response.get_json()

    folder = Path(app.config["OUTBOX"]) / "queue" / response.get_json()["id"]
    spooled = b"".join(path.read_bytes() for path in folder.iterdir())
    message = email.message_from_bytes((folder / "message.eml").read_bytes(),
                                       policy=email.policy.default)
    # Decoded, since base64 or quoted-printable would hide a secret from a byte search.
    every_part = "".join(
        part.get_payload(decode=True).decode("utf-8") for part in message.walk()
        if not part.is_multipart() and part.get_content_maintype() != "image")
    for secret in SECRETS:
        assert secret.encode() not in spooled, secret
        assert secret not in every_part, secret
    assert MARK in every_part


@pytest.mark.parametrize("case", CASES["pathological"], ids=lambda case: case["name"])
def test_pathological_input_is_redacted_in_linear_time(case):
    """A quadratic pattern took hours on these ~1 MB texts (details may hold 1,000,000)."""
    started = time.monotonic()
    redact_text(case["unit"] * case["repeat"])
    assert time.monotonic() - started < CASES["pathological_seconds"]
