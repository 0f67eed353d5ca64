// Learning mode (C2, L3, and L4 b "try it first in staging"): in PRODUCTION,
// the first click of a tab session on a button that changes data asks "Try it
// in staging first?". "Open in staging" opens the same page there; "Continue here" lets the very same click through,
// and every later click in this tab session passes unasked.
//
// Off by default. On when the merged configuration says `learningMode: true`
// (policy, then the options page, then the customer's `learning_mode` on the server).
//
// Which buttons count as state-changing: lib/guard-rules.js (pure, tested as a table).
//
// The question is a dialog in an open shadow root (keyboard: Tab moves between
// the two buttons, Escape closes it and the click stays undone).
"use strict";
(function (OSR) {
  const { HOST_TAG, createHost, element, message, sessionFlag } = OSR.shadowUi;
  const acknowledged = sessionFlag("odoo-support-reporter:production-guard-acknowledged");
  const CLICKABLE = [
    "button", "a.btn", "[role=button]", "[role=menuitem]", ".dropdown-item",
    "input[type=submit]", "input[type=button]",
  ].join(",");
  let armed = false; // learning mode is on (production is checked at each click)
  let passingThrough = false; // our own replay of the stopped click
  let dialog = null;

  function acknowledge() {
    if (!acknowledged.set()) armed = false; // storage blocked: at least this page view stops asking
  }

  function labelOf(element) {
    const text = element.matches("input") ? element.value : element.textContent;
    const label = (text || "").trim() ? text : element.getAttribute("aria-label") || element.getAttribute("title") || "";
    return OSR.guardRules.normalizeLabel(label);
  }

  /** The clicked element as lib/guard-rules.js describes a button. */
  function describe(element) {
    return {
      tag: element.tagName.toLowerCase(),
      type: element.getAttribute("type"),
      name: element.getAttribute("name"),
      label: labelOf(element),
      special: element.getAttribute("special"),
      dismisses: element.matches(".btn-close, .close, [data-dismiss], [data-bs-dismiss]"),
      statButton: element.matches(".oe_stat_button"),
      inStatusbar: Boolean(element.closest(".o_statusbar_buttons")),
    };
  }

  /** Does a click on `element` change data in Odoo? The rules: lib/guard-rules.js. */
  function isStateChanging(element) {
    return OSR.guardRules.isStateChanging(describe(element));
  }

  /** The state-changing button an event is aimed at, or null. */
  function stateChangingTarget(event) {
    const origin = event.target instanceof Element ? event.target : null;
    const clickable = origin && origin.closest(CLICKABLE);
    if (!clickable || clickable.closest(HOST_TAG)) return null;
    return isStateChanging(clickable) ? clickable : null;
  }

  function shouldAsk() {
    const { PRODUCTION } = OSR.environment.ENVIRONMENTS;
    return armed && !passingThrough && !dialog && OSR.pageEnvironment.current() === PRODUCTION && !acknowledged.isSet();
  }

  function onClick(event) {
    if (!shouldAsk()) return;
    const target = stateChangingTarget(event);
    if (!target) return;
    stop(event);
    ask(target, event);
  }

  function stop(event) {
    event.preventDefault();
    event.stopImmediatePropagation(); // neither Odoo's handlers nor the default action see it
  }

  /** Odoo may re-render while the question is open: find the same button again if needed. */
  function stillThere(target) {
    if (target.isConnected) return target;
    const name = target.getAttribute("name");
    if (!name) return null;
    const label = labelOf(target);
    const candidates = document.querySelectorAll(`${target.tagName}[name="${CSS.escape(name)}"]`);
    return [...candidates].find((candidate) => labelOf(candidate) === label) || null;
  }

  /**
   * The init dict of a click equal to `event`: same modifiers, button,
   * coordinates and detail (a double click stays one), so that Odoo sees the
   * click the user made (Ctrl+click opens in a new tab where Odoo supports it).
   */
  function sameClickInit(event) {
    return {
      bubbles: true, cancelable: true, composed: true, view: window, detail: event.detail,
      screenX: event.screenX, screenY: event.screenY, clientX: event.clientX, clientY: event.clientY,
      ctrlKey: event.ctrlKey, shiftKey: event.shiftKey, altKey: event.altKey, metaKey: event.metaKey,
      button: event.button, buttons: event.buttons, relatedTarget: event.relatedTarget,
    };
  }

  /**
   * "Continue here": the same click, on the same button, now let through.
   * Dispatched on the element first clicked (a span inside the button, say)
   * when it is still there. A script cannot forge `isTrusted`, so the replay
   * has isTrusted=false; that is fine for Odoo: its handlers (owl `t-on-click`,
   * jQuery `.on("click")` in 14) never look at isTrusted, and a dispatched click
   * still runs the element's default action (a link follows, a submit submits).
   */
  function replay(target, original) {
    acknowledge();
    const button = stillThere(target);
    if (!button) return;
    const first = original.target;
    const origin = first instanceof Element && first.isConnected && button.contains(first) ? first : button;
    passingThrough = true;
    try {
      origin.dispatchEvent(new MouseEvent("click", sameClickInit(original)));
    } finally {
      passingThrough = false;
    }
  }

  function openInStaging(url) {
    window.open(url, "_blank", "noopener");
  }

  const DIALOG_CSS = `
    :host { all: initial !important; position: fixed !important; inset: 0 !important;
      z-index: 2147483001 !important; display: block !important; } /* !important: environment-banner.js */
    .backdrop { position: fixed; inset: 0; background: rgba(0, 0, 0, 0.45); display: flex;
      align-items: center; justify-content: center;
      font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
    .box { box-sizing: border-box; width: min(460px, calc(100vw - 32px)); background: #fff; color: #1f1f1f;
      border-radius: 8px; border-top: 6px solid #b3261e; padding: 20px 24px;
      box-shadow: 0 12px 32px rgba(0, 0, 0, 0.35); }
    h2 { margin: 0 0 8px; font-size: 17px; line-height: 1.3; color: #8c1d18; }
    p { margin: 0 0 16px; }
    .actions { display: flex; gap: 8px; flex-wrap: wrap; justify-content: flex-end; }
    button { font: 600 14px/1 system-ui, sans-serif; padding: 9px 14px; border-radius: 4px; cursor: pointer;
      border: 1px solid #6b6b6b; background: #fff; color: #1f1f1f; }
    button.primary { background: #1e6b34; border-color: #1e6b34; color: #fff; }
    button:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
  `;

  function buildDialog(stagingUrl) {
    const { host, root } = createHost("production-guard");
    root.appendChild(element("style", {}, DIALOG_CSS));
    const backdrop = element("div", { class: "backdrop" });
    const box = element("div", { class: "box", role: "dialog", "aria-modal": "true",
      "aria-labelledby": "title", "aria-describedby": "body" });
    box.appendChild(element("h2", { id: "title" }, message("env_guard_title")));
    const body = stagingUrl ? message("env_guard_body") : `${message("env_guard_body")} ${message("env_guard_no_staging")}`;
    box.appendChild(element("p", { id: "body" }, body));
    const actions = element("div", { class: "actions" });
    const staging = stagingUrl
      ? element("button", { type: "button", class: "primary", "data-action": "staging" }, message("env_guard_open_in_staging"))
      : null;
    const proceed = element("button", { type: "button", "data-action": "continue" }, message("env_guard_continue_here"));
    if (staging) actions.appendChild(staging);
    actions.appendChild(proceed);
    box.appendChild(actions);
    backdrop.appendChild(box);
    root.appendChild(backdrop);
    return { host, box, staging, proceed, buttons: [staging, proceed].filter(Boolean) };
  }

  /** Tab and Shift+Tab cycle between the dialog's buttons; Escape closes it. */
  function onDialogKeydown(event, parts, close) {
    event.stopPropagation(); // Odoo's hotkeys (Escape discards a form) must not see these keys
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "Tab") {
      event.preventDefault();
      const current = parts.buttons.indexOf(parts.host.shadowRoot.activeElement);
      const step = event.shiftKey ? -1 : 1;
      const next = (current + step + parts.buttons.length) % parts.buttons.length;
      parts.buttons[next].focus();
    }
  }

  function ask(target, originalEvent) {
    const stagingUrl = OSR.pageEnvironment.stagingUrlOfThisPage();
    const parts = buildDialog(stagingUrl);
    const previousFocus = document.activeElement;
    const close = () => {
      parts.host.remove();
      dialog = null;
      if (previousFocus && previousFocus.isConnected && previousFocus.focus) previousFocus.focus();
    };
    parts.host.addEventListener("keydown", (event) => onDialogKeydown(event, parts, close));
    if (parts.staging) {
      parts.staging.addEventListener("click", () => {
        close();
        openInStaging(OSR.pageEnvironment.stagingUrlOfThisPage() || stagingUrl);
      });
    }
    parts.proceed.addEventListener("click", () => {
      close();
      replay(target, originalEvent);
    });
    dialog = parts;
    document.documentElement.appendChild(parts.host);
    parts.buttons[0].focus();
  }

  function learningModeOn(config) {
    if (typeof config.learningMode === "boolean") return config.learningMode;
    return Boolean(config.customer && config.customer.learning_mode === true);
  }

  /** Entry point, called by content/main.js once the page is an Odoo web client. */
  async function start() {
    const { config } = await OSR.pageEnvironment.whenDecided();
    armed = learningModeOn(config || {});
  }

  // Registered when the script loads (document_start), before the page's own
  // scripts add theirs: a capture listener on window added first runs first,
  // so a stopped click reaches none of Odoo's handlers. It does nothing until
  // start() arms it.
  window.addEventListener("click", onClick, true);

  OSR.productionGuard = { start, isStateChanging };
})(globalThis.OSR);
