// The "Report to support" button in the footer of an Odoo error dialog, or in
// an error notification (E1, E2). It wears Odoo's own button classes for that
// version (found.buttonClass, e.g. "btn btn-secondary") so it looks native,
// and it is added also where Odoo offers no copy button at all (validation
// and user errors). Idempotent: one button per element, put back if Odoo
// re-renders the footer.
"use strict";
(function (OSR) {
  const ATTRIBUTE = "data-odoo-support";
  const DEFAULT_CLASS = "btn btn-secondary";
  const placed = new WeakMap(); // dialog/notification element -> {found, onClick}

  function makeButton(found, onClick) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = found.buttonClass || DEFAULT_CLASS;
    button.setAttribute(ATTRIBUTE, "report");
    button.textContent = chrome.i18n.getMessage("button_report");
    button.title = chrome.i18n.getMessage("button_report_tooltip");
    button.addEventListener("click", (event) => {
      // Odoo's own handlers (Bootstrap's dismiss, owl's footer) must not see this click.
      event.preventDefault();
      event.stopPropagation();
      onClick(found, event);
    });
    return button;
  }

  /** Where the button goes: the dialog's footer; in a notification, its buttons row. */
  function hostFor(found) {
    const element = found.element;
    if (found.source !== "notification") {
      return found.footer && found.footer.isConnected ? found.footer : element.querySelector(".modal-footer, .modal-body");
    }
    const existing = element.querySelector(".o_notification_buttons");
    if (existing) return existing;
    const body = found.footer && found.footer.isConnected ? found.footer : element;
    const row = document.createElement("div");
    row.className = found.buttonHostClass || "o_notification_buttons";
    body.append(row);
    return row;
  }

  /** The element's button, creating it if missing; null when there is nowhere to put it. */
  function restore(element) {
    const entry = placed.get(element);
    if (!entry || !element.isConnected) return null;
    const existing = element.querySelector(`[${ATTRIBUTE}="report"]`);
    if (existing) return existing;
    const host = hostFor(entry.found);
    if (!host) return null;
    const button = makeButton(entry.found, entry.onClick);
    host.append(button);
    return button;
  }

  /** Add the button for `found` (README shape); `onClick(found, event)` opens the report form. */
  function add(found, onClick) {
    if (!found || !found.element || typeof onClick !== "function") return null;
    if (!placed.has(found.element)) placed.set(found.element, { found, onClick });
    return restore(found.element);
  }

  /**
   * Move `from`'s button, with what it opens, to `to`: the same error shown again on top
   * (16 opens one "session expired" dialog per failed call) gets one button, where the user looks.
   */
  function move(from, to, found) {
    const entry = placed.get(from);
    if (!entry || !to) return null;
    placed.delete(from);
    const old = from.querySelector(`[${ATTRIBUTE}="report"]`);
    if (old) old.remove();
    placed.set(to, { found, onClick: entry.onClick });
    return restore(to);
  }

  OSR.reportButton = { add, restore, move };
})(globalThis.OSR);
