"""Issue 2's acceptance: a report with a 1920×1080 screenshot becomes a complete ticket email.

One real server subprocess and one real SMTP server for the module: the report is posted
once, and each test checks one part of the email as it arrived, parsed back with
`email.policy.default`.
"""
import base64
import io
import json
import re
from dataclasses import dataclass
from email.message import EmailMessage

import pytest
from markupsafe import escape
from PIL import Image, ImageChops

from tests.conftest import ServerProcess
from tests.server.images import data_url, image_bytes
from tests.server.outbox_harness import post_report, server_mailing_to_a_sink, wait_for_status
from tests.server.samples import report_body


@dataclass
class Delivered:
    body: dict
    accepted: dict
    message: EmailMessage
    envelope: tuple
    server: ServerProcess

    def part(self, subtype):
        return self.message.get_body((subtype,)).get_content()

    def attachments(self):
        return {part.get_filename(): part for part in self.message.iter_attachments()}


@pytest.fixture(scope="module")
def delivered(tmp_path_factory):
    """The report posted once (with to/cc/bcc smuggled in) and its email as it arrived."""
    with server_mailing_to_a_sink(tmp_path_factory.mktemp("ticket")) as (server, sink):
        body = report_body(screenshot=data_url(image_bytes(1920, 1080)),
                           to="attacker@evil.example", cc="attacker@evil.example",
                           bcc=["attacker@evil.example"])
        response = post_report(server, body)
        assert response.status_code == 202, response.text
        [message] = sink.wait_for(1, timeout=15)
        yield Delivered(body, response.json(), message, sink.envelopes[0], server)


def test_the_ticket_goes_only_to_the_configured_address(delivered):
    """G1: no open relay, whatever the body says."""
    assert delivered.envelope[1] == ["support@example.com"]
    assert delivered.message["To"] == "support@example.com"
    assert (delivered.message["Cc"], delivered.message["Bcc"]) == (None, None)
    report = json.loads(delivered.attachments()["report.json"].get_payload(decode=True))
    assert not {"to", "cc", "bcc"} & set(report)


def test_the_headers_name_reference_customer_module_title_and_reporter(delivered):
    message, accepted = delivered.message, delivered.accepted
    assert re.fullmatch(r"OSR-[2-9A-Z]{5}", accepted["reference"])
    assert message["Subject"] == (
        f"[{accepted['reference']}] Demo Customer · Sales · {delivered.body['title']}")
    assert message["Reply-To"] == "Maija Meikäläinen <maija@acme.example>"
    assert message["From"] == "Odoo Support Reporter <reporter@partner.example>"
    assert message["Message-ID"] == f"<{accepted['id']}@partner.example>"
    assert message["Date"].datetime.tzinfo is not None
    assert re.fullmatch(r"[0-9a-f]{16}", message["X-Support-Fingerprint"])


def test_the_mime_structure_is_alternative_parts_with_an_inline_screenshot(delivered):
    # multipart/mixed → [alternative → [plain, related → [html, inline png]], 2 attachments]
    structure = [part.get_content_type() for part in delivered.message.walk()]
    assert structure == ["multipart/mixed", "multipart/alternative", "text/plain",
                         "multipart/related", "text/html", "image/png",
                         "text/plain", "application/json"]
    assert list(delivered.attachments()) == ["error-details.txt", "report.json"]


def test_the_text_part_holds_the_seed_in_order_to_the_byte(delivered):
    """G3, E5: the demo customer writes Finnish."""
    body, reference = delivered.body, delivered.accepted["reference"]
    steps = "".join(f"{number}. {step}\n" for number, step in enumerate(body["steps"], 1))
    error = body["error"]
    text = delivered.part("plain")
    assert text.startswith(
        f"Virheilmoitus {reference}: {body['title']}\n"
        "Asiakas: Demo Customer\nIlmoittaja: Maija Meikäläinen <maija@acme.example>\n\n"
        f"== Mitä käyttäjä oli tekemässä\n{body['doing']}\n\n"
        f"== Vaiheet ennen virhettä\n{steps}\n"
        f"== Lopputulos / virheilmoitus\n{body['result']}\n"
        f"Virhe: {error['title']} ({error['exception']})\n{error['message']}\n\n"
        f"== Odotettu lopputulos\n{body['expected']}\n\n"
        f"== Moduuli\n{body['module']}\n\n== Ympäristö\n")
    assert body["context"]["url"] in text and "method: action_confirm" in text


@pytest.mark.parametrize("subtype, shown", [("plain", str), ("html", lambda s: str(escape(s)))])
def test_both_parts_follow_the_seeds_order(delivered, subtype, shown):
    body = delivered.body
    part = delivered.part(subtype)
    positions = [part.index(shown(piece)) for piece in (
        "Mitä käyttäjä oli tekemässä", body["doing"], *body["steps"],
        "Lopputulos / virheilmoitus", body["result"], body["error"]["message"],
        "Odotettu lopputulos", body["expected"], "Moduuli", "Ympäristö",
        "Vastaus viimeistään")]
    assert positions == sorted(positions)


def test_the_screenshot_is_the_sent_png_once_inline_and_saveable(delivered):
    [image_part] = [part for part in delivered.message.walk()
                    if part.get_content_type() == "image/png"]
    assert image_part.get_filename() == "screenshot.png"
    assert image_part.get_content_disposition() == "inline"
    png = image_part.get_content()
    image = Image.open(io.BytesIO(png))
    image.verify()
    assert image.format == "PNG" and image.size == (1920, 1080)
    sent_png = base64.b64decode(delivered.body["screenshot"].split(",", 1)[1])
    sent_pixels = Image.open(io.BytesIO(sent_png)).convert("RGB").tobytes()
    # A palette PNG of the screen's own colours (issue 13): each pixel within 3 of 255 of
    # what was sent (Pillow maps colours through a 6-bit-per-channel cache).
    difference = ImageChops.difference(Image.open(io.BytesIO(png)).convert("RGB"),
                                       Image.frombytes("RGB", image.size, sent_pixels))
    assert max(high for _low, high in difference.getextrema()) <= 3
    cid = f"screenshot.{delivered.accepted['id']}@partner.example"
    assert image_part["Content-ID"].strip() == f"<{cid}>"
    assert f'src="cid:{cid}"' in delivered.part("html")


def test_error_details_arrive_byte_for_byte(delivered):
    details = delivered.attachments()["error-details.txt"]
    assert details.get_payload(decode=True) == delivered.body["error"]["details"].encode()
    assert details.get_content_charset() == "utf-8"


def test_report_json_carries_the_whole_report(delivered):
    body = delivered.body
    report = json.loads(delivered.attachments()["report.json"].get_payload(decode=True))
    for field in ("client_report_id", "kind", "title", "module", "doing", "steps", "result",
                  "expected", "reporter", "error"):
        assert report[field] == body[field], field
    assert report["id"] == delivered.accepted["id"]
    assert report["screenshot"] == {
        "filename": "screenshot.png",
        "content_id": f"<screenshot.{delivered.accepted['id']}@partner.example>"}


def test_the_status_endpoint_says_sent_with_the_time(delivered):
    status = wait_for_status(delivered.server, delivered.accepted["id"], "sent")
    assert status["status"] == "sent" and status["sent_at"]
