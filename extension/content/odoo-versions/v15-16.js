// Odoo 15 and 16: owl dialogs (web/static/src/core/dialog/dialog.xml) inside
// `div.o_dialog`; error dialogs from web/static/src/core/errors/error_dialogs.xml:
//   ErrorDialog / RPCErrorDialog / ClientErrorDialog / NetworkErrorDialog:
//     `.modal-content.o_dialog_error`; the name, message and traceback are
//     rendered only after "See details" (t-if), so they usually are not here.
//   WarningDialog (validation, user, access, missing, warning):
//     body `div.o_dialog_warning[role=alert] > p` with the message.
//   RedirectWarningDialog, SessionExpiredDialog, Error504Dialog: body
//     `div[role=alert] > p`, no class of their own.
// ConfirmationDialog (also "discard changes?") puts a bare `p` in the body and
// wizards a form view: neither has the alert wrapper.
// Notifications: 15 `div.o_notification.bg-<type>`, 16 `.border-<type>`.
"use strict";
(function (OSR) {
  const versions = (OSR.odooVersions = OSR.odooVersions || {});

  function errorDialog(kit, { title, body, footer }) {
    // After "See details": `code` (name) + `p` (message) in an alert box, the traceback in .o_error_detail.
    const nameBox = body.querySelector(":scope > .alert code");
    return kit.technicalDialog({ title, messageElement: nameBox && nameBox.parentElement.querySelector("p"),
      detailsElement: body.querySelector(".o_error_detail pre"), footer });
  }

  function recognizeDialog(modal, kit) {
    if (!modal.closest(".o_dialog")) return null;
    const parts = kit.dialogParts(modal, ".modal-content");
    if (!parts.body) return null;
    const { content, body, title, footer } = parts;
    if (content.classList.contains("o_error_dialog")) return null; // 17+
    if (content.classList.contains("o_dialog_error")) return errorDialog(kit, parts);
    const alert = body.firstElementChild;
    if (!alert || !alert.matches("div[role=alert]") || !alert.querySelector(":scope > p")) return null;
    if (alert.querySelector("input, select, textarea")) return null;
    return kit.warningDialog({ title, messageElement: alert.querySelector(":scope > p"), footer });
  }

  function recognizeNotification(node, kit) {
    if (node.classList.contains("toast")) return null; // 14
    const sixteen = node.classList.contains("border");
    return kit.notification(node, { danger: ".bg-danger, .border-danger", warning: ".bg-warning, .border-warning",
      footer: ".o_notification_body", buttonClass: sixteen ? "btn btn-secondary" : "btn btn-link",
      buttonHostClass: sixteen ? "o_notification_buttons d-flex gap-2 mt-2" : "mt-2 o_notification_buttons" });
  }

  versions["v15-16"] = { majors: [15, 16], recognizeDialog, recognizeNotification };
})(globalThis.OSR);
