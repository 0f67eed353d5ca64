// Odoo 17: every error dialog's `.modal-content` carries `o_error_dialog`
// (web/static/src/core/errors/error_dialogs.xml). The technical ErrorDialog
// shows "An error occurred" and a "See details" `button.btn-link`; name,
// message and traceback appear only after the click. Its footer: Close
// (btn-primary) and "Copy error to clipboard" (btn-secondary). Warning,
// redirect and session dialogs show their message in `div[role=alert] > p`.
// Notifications: `div.o_notification.border.border-<type>` with
// `strong.o_notification_title` and `.o_notification_content`.
"use strict";
(function (OSR) {
  const versions = (OSR.odooVersions = OSR.odooVersions || {});

  function errorDialogParts(modal) {
    const content = modal.querySelector(".modal-content.o_error_dialog");
    if (!content) return null;
    const body = content.querySelector(":scope > .modal-body");
    return { content, body, footer: content.querySelector(":scope > .modal-footer"),
      alert: body && body.querySelector(":scope > div[role=alert]") };
  }

  function recognizeDialog(modal, kit) {
    const parts = errorDialogParts(modal);
    if (!parts || !parts.body) return null;
    const { content, body, footer, alert } = parts;
    // 18–19's technical dialog (the p-0 toggle, or <details>) is theirs, not a 17 warning.
    if (alert && alert.querySelector(":scope > button.btn-link.p-0, :scope > details")) return null;
    const title = kit.text(content.querySelector(".modal-title"));
    const technical = Boolean(alert && alert.querySelector(":scope > button.btn-link:not(.p-0), .o_error_detail"));
    if (technical) {
      const nameBox = alert.querySelector(".alert-info");
      return kit.technicalDialog({ title, message: kit.blockText(nameBox && nameBox.querySelector("p")),
        details: kit.blockText(alert.querySelector(".o_error_detail pre")), footer });
    }
    const paragraph = (alert || body).querySelector("p");
    if (!paragraph) return null;
    return kit.warningDialog({ title, message: kit.blockText(paragraph), footer });
  }

  function recognizeNotification(node, kit) {
    if (!node.classList.contains("border")) return null;
    return kit.notification(node, {
      danger: node.classList.contains("border-danger"), warning: node.classList.contains("border-warning"),
      footer: ".o_notification_body", buttonClass: "btn btn-secondary",
      buttonHostClass: "o_notification_buttons d-flex gap-2 mt-2" });
  }

  versions.v17 = { majors: [17], recognizeDialog, recognizeNotification };
})(globalThis.OSR);
