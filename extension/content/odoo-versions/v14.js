// Odoo 14: the legacy CrashManager (web/static/src/js/services/crash_manager.js)
// opens a legacy Dialog widget appended to <body> (`Dialog` template of
// web/static/src/xml/dialog.xml):
//   div.modal.o_legacy_dialog.o_technical_modal > .modal-dialog(.modal-lg) > .modal-content >
//     header.modal-header (h4.modal-title + span.o_subtitle), main.modal-body, footer.modal-footer
// The dialog's own root replaces the template's `main.modal-body` and takes its
// class, so the body IS CrashManager.error (`div.o_dialog_error`: the message and the
// traceback in `div.collapse.o_error_detail`, in the DOM but hidden by CSS
// until "See details") or CrashManager.warning (`div.o_dialog_warning` > a
// pre-wrap `p` with the message). Ordinary dialogs (Dialog.confirm, wizards)
// have neither class. Notifications (web/static/src/xml/notification.xml):
// `div.toast.o_notification.bg-<type>`, the title (if any) in `.toast-header`,
// the message in `.toast-body`, buttons `btn btn-sm btn-secondary`.
"use strict";
(function (OSR) {
  const versions = (OSR.odooVersions = OSR.odooVersions || {});

  function recognizeDialog(modal, kit) {
    if (modal.closest(".o_dialog")) return null; // an owl dialog (15+), not the legacy widget
    const body = modal.querySelector(".modal-body");
    if (!body) return null;
    const footer = modal.querySelector(".modal-footer");
    const title = kit.textWithout(modal.querySelector(".modal-title"), ".o_subtitle");
    // The crash manager's root IS the body (Dialog.renderElement adds `modal-body` to it).
    const inBody = (selector) => (body.matches(selector) ? body : body.querySelector(`:scope > ${selector}`));
    const error = inBody(".o_dialog_error");
    if (error) {
      const [messageElement, detailsElement] = error.querySelectorAll(".o_error_detail > pre");
      return kit.technicalDialog({ title, messageElement, detailsElement, footer });
    }
    return kit.warningDialog({ title, messageElement: inBody(".o_dialog_warning"), footer });
  }

  function recognizeNotification(node, kit) {
    // The severity selectors name the whole notification: one without `.toast` is not 14's.
    return kit.notification(node, { danger: ".toast.bg-danger", warning: ".toast.bg-warning", footer: ".toast-body",
      buttonClass: "btn btn-sm btn-secondary", buttonHostClass: "mt-2 o_notification_buttons" });
  }

  versions.v14 = { majors: [14], recognizeDialog, recognizeNotification };
})(globalThis.OSR);
