// Odoo 18 and 19: error dialogs keep `o_error_dialog` (size xl), but every
// technical error (server, client, network) is titled "Oops!" and says only
// "Something went wrong..."; the specific title, name, message and traceback
// sit in `.o_error_detail`, rendered only after the "See technical details"
// `button.btn-link.p-0` is clicked (19.0 web.ErrorDialog, t-if). Odoo's master
// (after 19.0) moves them into a closed <details>: still `.o_error_detail`.
// The footer has only Close. Warnings: `div[role=alert] > p.text-prewrap`.
// Notifications: `div.o_notification` with `span.o_notification_bar.bg-<type>`;
// 18 has `h5.o_notification_title`, 19 folds the title into the content text
// and puts buttons (`btn btn-link`) in `div.o_notification_buttons` of the body.
"use strict";
(function (OSR) {
  const versions = (OSR.odooVersions = OSR.odooVersions || {});

  /** What `.o_error_detail` shows once drawn: the inner title, the message and the traceback. */
  function technicalElements(alert) {
    const detail = alert.querySelector(".o_error_detail");
    if (!detail) return {};
    const name = detail.querySelector("code");
    // The message is the `p` after the name's `code` (master: a `code.d-block`).
    const messageElement = detail.querySelector("code.d-block")
      || (name && name.nextElementSibling && name.nextElementSibling.matches("p") ? name.nextElementSibling : null);
    return { innerTitleElement: detail.querySelector("b"), messageElement, detailsElement: detail.querySelector("pre") };
  }

  function recognizeDialog(modal, kit) {
    const { body, title, footer, alert } = kit.dialogParts(modal, ".modal-content.o_error_dialog");
    if (!body) return null;
    // 17's "See details" toggle (no p-0) belongs to the 17 recognizer.
    if (alert && alert.querySelector(":scope > button.btn-link:not(.p-0)")) return null;
    if (alert && alert.querySelector(":scope > button.btn-link.p-0, :scope > details, .o_error_detail")) {
      return kit.technicalDialog({ title, ...technicalElements(alert), footer });
    }
    return kit.warningDialog({ title, messageElement: (alert || body).querySelector("p"), footer });
  }

  function recognizeNotification(node, kit) {
    const bar = node.querySelector(":scope > .o_notification_bar");
    if (!bar) return null;
    const nineteen = !node.querySelector(".o_notification_title");
    return kit.notification(node, { severityOn: bar, danger: ".bg-danger", warning: ".bg-warning",
      footer: ".o_notification_body", buttonClass: nineteen ? "btn btn-link" : "btn btn-secondary",
      buttonHostClass: nineteen ? "o_notification_buttons justify-content-end w-50" : "o_notification_buttons d-flex gap-2 mt-3" });
  }

  versions["v18-19"] = { majors: [18, 19], recognizeDialog, recognizeNotification };
})(globalThis.OSR);
