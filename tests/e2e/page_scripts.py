"""Page JavaScript the Chromium tests run to act as Odoo's web client after the page has loaded."""
import html

# A JSON-RPC call of the page's own, through XMLHttpRequest like Odoo's rpc; resolves when done.
CALL_KW = """
const callKw = (model, method, args) => new Promise((resolve) => {
  const request = new XMLHttpRequest();
  request.open("POST", `/web/dataset/call_kw/${model}/${method}`);
  request.setRequestHeader("Content-Type", "application/json");
  request.addEventListener("loadend", resolve);
  request.send(JSON.stringify({ jsonrpc: "2.0", method: "call", id: 99,
    params: { model, method, args, kwargs: {} } }));
});
"""


def notification(kind, title=""):
    """A page function `(message) => node` that shows Odoo 16/17's notification of `kind`.

    The markup of web/static/src/core/notifications/notification.xml, as the fixture web client
    draws it (tests/fixtures/odoo/webclient.js `showNotification`), with `title` if one is
    given, in the notification manager Odoo keeps in its main components container.
    """
    heading = (f'<strong class="o_notification_title d-block text-{kind} py-2 ps-3 pe-5">'
               f'{html.escape(title)}</strong>' if title else "")
    return f"""(message) => {{
  const node = document.createElement("div");
  node.className = " o_notification  border border-{kind} mb-2 position-relative";
  node.setAttribute("role", "alert");
  node.innerHTML = '{heading}<button type="button" class="o_notification_close btn" '
    + 'aria-label="Close"><i class="oi oi-close"></i></button>'
    + '<div class="o_notification_body ps-3 pe-5 py-2"><div class="me-auto o_notification_content">'
    + '</div></div>';
  node.querySelector(".o_notification_content").textContent = message;
  (document.querySelector(".o_notification_manager")
    || document.querySelector(".o-main-components-container") || document.body).append(node);
  return node;
}}"""
