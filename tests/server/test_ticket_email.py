"""Issue 2's acceptance: a report with a 1920×1080 screenshot becomes a complete ticket email."""
import base64
import io
import json
import re

from markupsafe import escape
from PIL import Image

from tests.server.images import data_url, image_bytes
from tests.server.outbox_harness import (
    fast_env,
    post_report,
    wait_for_status,
)
from tests.server.samples import report_body


def test_report_with_full_hd_screenshot_arrives_as_a_complete_ticket(server_process, smtp_server):
    server = server_process(env=fast_env(smtp_server))
    screenshot = data_url(image_bytes(1920, 1080))
    body = report_body(screenshot=screenshot, to="attacker@evil.example",
                       cc="attacker@evil.example", bcc=["attacker@evil.example"])
    response = post_report(server, body)
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert re.fullmatch(r"OSR-[2-9A-Z]{5}", accepted["reference"])

    [message] = smtp_server.wait_for(1, timeout=15)
    assert smtp_server.envelopes[0][1] == ["support@example.com"]  # G1: the configured address only
    assert message["To"] == "support@example.com"
    assert (message["Cc"], message["Bcc"]) == (None, None)
    subject = f"[{accepted['reference']}] Demo Customer · Sales · {body['title']}"
    assert message["Subject"] == subject
    assert message["Reply-To"] == "Maija Meikäläinen <maija@acme.example>"
    assert message["From"] == "Odoo Support Reporter <reporter@partner.example>"
    assert message["Message-ID"] == f"<{accepted['id']}@partner.example>"
    assert message["Date"] and message["X-Support-Fingerprint"]

    # multipart/mixed → [alternative → [plain, related → [html, inline png]], 3 attachments]
    structure = [part.get_content_type() for part in message.walk()]
    assert structure == ["multipart/mixed", "multipart/alternative", "text/plain",
                         "multipart/related", "text/html", "image/png", "image/png",
                         "text/plain", "application/json"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    # The demo customer writes Finnish; the seed's questions in order, escaped in HTML.
    for part, shown in ((text, str), (html, lambda piece: str(escape(piece)))):
        positions = [part.index(shown(piece)) for piece in (
            "Mitä käyttäjä oli tekemässä", body["doing"], body["steps"][0], body["steps"][-1],
            "Lopputulos / virheilmoitus", body["expected"], "Moduuli", "Ympäristö",
            "Vastaus viimeistään")]
        assert positions == sorted(positions)
    assert body["context"]["url"] in text and "action_confirm" in text

    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    assert list(attachments) == ["screenshot.png", "error-details.txt", "report.json"]
    details = attachments["error-details.txt"]
    assert details.get_payload(decode=True) == body["error"]["details"].encode("utf-8")
    assert details.get_content_charset() == "utf-8"
    png = attachments["screenshot.png"].get_content()
    image = Image.open(io.BytesIO(png))
    image.verify()
    assert image.format == "PNG" and image.size == (1920, 1080)
    inline = [part for part in message.walk() if part.get("Content-ID")]
    assert [part.get_content() for part in inline] == [png]
    assert f'cid:screenshot.{accepted["id"]}@partner.example"' in html
    assert inline[0]["Content-ID"].strip() == f"<screenshot.{accepted['id']}@partner.example>"
    sent_png = base64.b64decode(screenshot.split(",", 1)[1])
    sent_pixels = Image.open(io.BytesIO(sent_png)).convert("RGB")
    assert Image.open(io.BytesIO(png)).convert("RGB").tobytes() == sent_pixels.tobytes()

    report = json.loads(attachments["report.json"].get_payload(decode=True))
    for field in ("client_report_id", "kind", "title", "module", "doing", "steps", "result",
                  "expected", "reporter", "error"):
        assert report[field] == body[field], field
    assert report["id"] == accepted["id"] and report["screenshot"] == "screenshot.png"
    assert not {"to", "cc", "bcc"} & set(report)

    status = wait_for_status(server, accepted["id"], "sent")
    assert status["status"] == "sent" and status["sent_at"]
