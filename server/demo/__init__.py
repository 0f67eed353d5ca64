"""The two-minute demo, dev mode only: an Odoo 17 sales order that fails, and the sent tickets.

  /dev/odoo-demo  an Odoo 17 sales order form (the browser tests' fixture page: it lives in
                  static/, and tests/fixtures/odoo/ links to it); its "Confirm"
                  makes a real JSON-RPC call to this server, answered with Odoo's
                  ValidationError, so the extension sees an Odoo error as it really happens.
  /dev/outbox     the tickets the outbox holds, as support's mail client shows them: the
                  headers, the HTML part with its inline screenshot, the attachments.
Registered only in dev mode (no configuration file: loopback only, demo key); a production
server answers 404.
"""
import re
from email import policy
from email.parser import BytesParser
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request
from werkzeug.exceptions import NotFound

from server.i18n import current_language, t

STATIC = Path(__file__).resolve().parent / "static"
PREFIX = "/dev/odoo-demo"
ROUTE = "/web#id=42&cids=1&menu_id=178&action=312&model=sale.order&view_type=form"
MESSAGE = "The delivery date cannot be earlier than the order date."
# Odoo 17's answer to a constraint failing in action_confirm (odoo/http.py serializes it so).
TRACEBACK = "\n".join([
    "Traceback (most recent call last):",
    '  File "/opt/odoo/odoo/http.py", line 1584, in _serve_db',
    '  File "/opt/odoo/odoo/service/model.py", line 133, in retrying',
    '  File "/opt/odoo/addons/web/controllers/dataset.py", line 42, in call_button',
    '  File "/opt/odoo/odoo/api.py", line 461, in call_kw',
    '  File "/opt/odoo/addons/sale/models/sale_order.py", line 1021, in action_confirm',
    '  File "/opt/odoo/addons/sale/models/sale_order.py", line 640, in _check_commitment_date',
    f"odoo.exceptions.ValidationError: {MESSAGE}",
])
STATE_ORDER = ("sent", "sending", "queue", "dead")
CID = re.compile(r"""(["'])cid:([^"']+)\1""")

bp = Blueprint("demo", __name__, url_prefix="/dev", template_folder="templates")


@bp.after_request
def no_caching(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/odoo-demo")
def odoo_demo():
    """Odoo's form route, so the page's URL reads like a sales order's."""
    return redirect(PREFIX + ROUTE)


@bp.get("/odoo-demo/web")
def odoo_demo_page():
    page = (STATIC / "page-form-17.html").read_text(encoding="utf-8")
    page = page.replace('src="/fixtures/odoo/page-form.js"',
                        f'src="{PREFIX}/static/page-form.js" data-rpc-base="{PREFIX}"')
    page = page.replace("/web/assets/1/8e1f0c2/web.assets_web.min.css",
                        f"{PREFIX}/static/webclient.css")
    return Response(page, mimetype="text/html")


@bp.get("/odoo-demo/static/<any('page-form.js', 'webclient.css'):name>")
def odoo_demo_asset(name):
    kind = "text/javascript" if name.endswith(".js") else "text/css"
    return Response((STATIC / name).read_bytes(), mimetype=kind)


@bp.post("/odoo-demo/web/dataset/<any(call_kw, call_button):_route>/<model>/<method>")
def odoo_demo_rpc(_route, model, method):
    """Odoo's JSON-RPC: reading the order works; confirming it fails its constraint."""
    call = request.get_json(silent=True) or {}
    if method != "action_confirm":
        return jsonify({"jsonrpc": "2.0", "id": call.get("id"), "result": True})
    data = {"name": "odoo.exceptions.ValidationError", "debug": TRACEBACK, "message": MESSAGE,
            "arguments": [MESSAGE], "context": {}}
    return jsonify({"jsonrpc": "2.0", "id": call.get("id"),
                    "error": {"code": 200, "message": "Odoo Server Error", "data": data}})


def _message_path(report_id):
    spool = current_app.extensions["outbox"].spool
    item = spool.locate(report_id)
    if item is None or not item.message_file.is_file():
        return None, None
    return item.message_file, spool.inspect(report_id)


def _read(path):
    with path.open("rb") as eml:
        return BytesParser(policy=policy.default).parse(eml)


def _html_with_inline_images(message):
    """The HTML part with each cid: image as a data: URL, as a mail client shows it."""
    part = message.get_body(("html",))
    if part is None:
        return ""
    images = {}
    for related in message.walk():
        content_id = related.get("Content-ID")
        if content_id and related.get_content_maintype() == "image":
            payload = related.get_payload(decode=False).replace("\n", "")
            images[content_id.strip("<>")] = f"data:{related.get_content_type()};base64,{payload}"
    return CID.sub(lambda m: f'{m.group(1)}{images.get(m.group(2), "")}{m.group(1)}',
                   part.get_content())


def _attachments(message):
    """Every part with a file name: the inline screenshot too, as mail clients list it."""
    return [part for part in message.walk() if part.get_filename()]


def _ticket(report_id):
    path, details = _message_path(report_id)
    if path is None:
        return None
    message = _read(path)
    attachments = [{"index": index, "name": part.get_filename(),
                    "type": part.get_content_type(),
                    "size": len(part.get_payload(decode=True) or b"")}
                   for index, part in enumerate(_attachments(message))]
    headers = [(name, str(message[name])) for name in
               ("From", "To", "Reply-To", "Subject", "Date", "Message-ID") if message[name]]
    return {"id": report_id, "status": details["status"], "headers": headers,
            "written": path.stat().st_mtime,
            "html": _html_with_inline_images(message), "attachments": attachments}


@bp.get("/outbox")
def outbox_page():
    """Every ticket the outbox still holds, newest first, as support receives it."""
    spool = current_app.extensions["outbox"].spool
    report_ids = [report_id for folder in STATE_ORDER for report_id in spool.list(folder)]
    tickets = sorted(filter(None, map(_ticket, report_ids)),
                     key=lambda ticket: ticket["written"], reverse=True)
    body = render_template("outbox.html", tickets=tickets, t=t, lang=current_language())
    response = Response(body, mimetype="text/html")
    # The ticket's HTML is shown as a mail client would: no script runs, images inline only.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-src 'self'")
    return response


@bp.get("/outbox/<report_id>/attachments/<int:index>")
def outbox_attachment(report_id, index):
    path, _ = _message_path(report_id)
    attachments = _attachments(_read(path)) if path else []
    if not 0 <= index < len(attachments):
        raise NotFound()
    part = attachments[index]
    response = Response(part.get_payload(decode=True), mimetype=part.get_content_type())
    response.headers.set("Content-Disposition", "attachment", filename=part.get_filename())
    return response


def init_app(app) -> None:
    """Only a dev-mode server has the demo (404 in production)."""
    if app.config["DEV_MODE"]:
        app.register_blueprint(bp)
