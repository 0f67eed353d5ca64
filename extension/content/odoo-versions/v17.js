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

  function recognizeDialog(modal, kit) {
    const { body, title, footer, alert } = kit.dialogParts(modal, ".modal-content.o_error_dialog");
    if (!body) return null;
    // 18–19's technical dialog (the p-0 toggle, or <details>) is theirs, not a 17 warning.
    if (alert && alert.querySelector(":scope > button.btn-link.p-0, :scope > details")) return null;
    const technical = Boolean(alert && alert.querySelector(":scope > button.btn-link:not(.p-0), .o_error_detail"));
    if (technical) {
      const nameBox = alert.querySelector(".alert-info");
      return kit.technicalDialog({ title, messageElement: nameBox && nameBox.querySelector("p"),
        detailsElement: alert.querySelector(".o_error_detail pre"), footer });
    }
    return kit.warningDialog({ title, messageElement: (alert || body).querySelector("p"), footer });
  }

  function recognizeNotification(node, kit) {
    // The severity selectors name the whole notification: one without `.border` is not 17's.
    return kit.notification(node, { danger: ".border.border-danger", warning: ".border.border-warning",
      footer: ".o_notification_body", buttonClass: "btn btn-secondary",
      buttonHostClass: "o_notification_buttons d-flex gap-2 mt-2" });
  }

  versions.v17 = { majors: [17], recognizeDialog, recognizeNotification };
})(globalThis.OSR);
