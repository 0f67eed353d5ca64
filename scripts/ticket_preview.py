#!/usr/bin/env python3
"""Render a ticket email (.eml) as support sees it: its HTML part, inline images
resolved, screenshotted by headless Chromium into a PNG.

    .venv/bin/python scripts/ticket_preview.py var/mail/<id>.eml docs/ticket-email.png

Used for the README's picture of a real ticket, and by anyone changing the mail
templates who wants to look at the result without a mail client.
"""
import base64
import email
import sys
import tempfile
from email.policy import default as default_policy
from html import escape
from pathlib import Path

CHROMIUM = "/usr/lib/chromium/chromium"


def html_with_inline_images(message):
    """The HTML body with every cid: reference replaced by a data: URL."""
    html_part = message.get_body(preferencelist=("html",))
    html = html_part.get_content()
    for part in message.walk():
        content_id = part["Content-ID"]
        if content_id and part.get_content_maintype() == "image":
            data = base64.b64encode(part.get_content()).decode("ascii")
            html = html.replace(f"cid:{content_id.strip('<>')}",
                                f"data:{part.get_content_type()};base64,{data}")
    return html


def headers_block(message):
    cell = "<tr><th style='text-align:left;padding-right:1em'>{}</th><td>{}</td></tr>"
    rows = "".join(cell.format(name, escape(str(message[name])))
                   for name in ("From", "To", "Reply-To", "Subject", "Date") if message[name])
    attachments = ", ".join(part.get_filename() for part in message.iter_attachments()
                            if part.get_filename())
    rows += f"<tr><th style='text-align:left'>Attachments</th><td>{escape(attachments)}</td></tr>"
    return ("<table style='font:13px sans-serif;border-bottom:1px solid #ccc;margin-bottom:12px;"
            f"padding-bottom:8px;width:100%'>{rows}</table>")


def render(eml_path, png_path, width=900):
    from playwright.sync_api import sync_playwright

    message = email.message_from_bytes(Path(eml_path).read_bytes(), policy=default_policy)
    page_html = headers_block(message) + html_with_inline_images(message)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        source = Path(folder) / "ticket.html"
        source.write_text(page_html, encoding="utf-8")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto(source.as_uri())
        page.screenshot(path=str(png_path), full_page=True)
        browser.close()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    render(sys.argv[1], sys.argv[2])
