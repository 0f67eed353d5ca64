// Recognises Odoo's error dialogs and error notifications the moment they
// appear (E1), on Odoo pages only: content/main.js starts it once
// OSR.odooPage says the page is an Odoo web client.
//
// Cheap on heavy pages: it subscribes to the content scripts' one shared
// observer (content/dom-watch.js, which leaves Odoo's view area out), looks only
// at ADDED nodes, resolves each to the dialog (`.modal`) or notification
// (`.o_notification`) it belongs to, and examines at most MAX_NODES_PER_BATCH
// nodes per batch. A batch larger than that (a whole view re-rendered) is
// covered by one scan of dialogs and notifications, at once after a quiet while
// and then at most once per RESCAN_MS: never a document-wide query per mutation.
//
// The DOM differs per version; each family's recognizer lives in
// content/odoo-versions/ and answers "is this an error, and what does it
// show?", built with this file's kit so every family answers in one shape.
// This file turns that into the README's `found` shape, decides the kind,
// and hands it to OSR.errorCapture exactly once per element.
"use strict";
(function (OSR) {
  const ROOT_SELECTOR = ".modal, .o_notification";
  const DETECTED = "data-odoo-support-detected";
  const MAX_NODES_PER_BATCH = 200;
  const MAX_ROOTS_PER_NODE = 5;
  const RESCAN_MS = 250;
  const HINT_MS = 15000; // an rpc/client error older than this says nothing about a new dialog
  // Odoo may draw the dialog inside the XHR's `load` handler, before the tap's
  // `loadend` report arrives: wait this long for it before naming the kind.
  const HINT_WAIT_MS = 60;
  // A dialog's body may be filled in after its frame is attached (14's legacy
  // Dialog); past this age a dialog that is no error (a wizard being typed in)
  // is not examined again on each of its mutations.
  const REVISIT_MS = 2000;
  const FAMILY_ORDER = ["v14", "v15-16", "v17", "v18-19"];
  const FAMILY_OF_MAJOR = { 14: "v14", 15: "v15-16", 16: "v15-16", 17: "v17", 18: "v18-19", 19: "v18-19" };

  const MESSAGE_KINDS = new Set(["validation", "user", "access", "missing", "redirect", "session-expired", "warning"]);
  const KIND_OF_EXCEPTION = {
    "odoo.exceptions.ValidationError": "validation",
    "odoo.exceptions.UserError": "user",
    "odoo.exceptions.except_orm": "user",
    "odoo.exceptions.AccessError": "access",
    "odoo.exceptions.AccessDenied": "access",
    "odoo.exceptions.MissingError": "missing",
    "odoo.addons.web.controllers.action.MissingActionError": "missing",
    "odoo.exceptions.RedirectWarning": "redirect",
    "odoo.http.SessionExpiredException": "session-expired",
    "werkzeug.exceptions.Forbidden": "session-expired",
    "odoo.exceptions.Warning": "warning",
  };
  // Odoo's English titles (odooExceptionTitleMap and the dialog classes' titles).
  // A fallback only: translated titles fall through to the rpc tap's hint.
  const KIND_OF_TITLE = {
    "validation error": "validation",
    "user error": "user",
    "invalid operation": "user",
    "access error": "access",
    "access denied": "access",
    "missing record": "missing",
    "missing action": "missing",
    "odoo session expired": "session-expired",
    "session expired": "session-expired",
    "warning": "warning",
    "odoo client error": "client",
    "odoo network error": "network",
    "odoo server error": "server",
    "request timeout": "server",
    "connection lost": "network",
  };

  let watching = false;
  let settings = { major: null, version: null, family: null };
  let rescanTimer = null;
  let lastRescanAt = -Infinity;

  // ------------------------------------------------------------ text helpers
  /** Text with runs of whitespace collapsed: for titles and one-line labels. */
  function text(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  /** Text as the user reads it in a pre-wrap block: newlines and tabs kept, <br> as a newline. */
  function blockText(element) {
    if (!element) return "";
    let out = "";
    const walk = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) out += child.data;
        else if (child.nodeName === "BR") out += "\n";
        else if (child.nodeType === Node.ELEMENT_NODE) walk(child);
      }
    };
    walk(element);
    return out.trim();
  }

  /** The element's own text without the parts matching `skipSelector` (14's subtitle span). */
  function textWithout(element, skipSelector) {
    if (!element) return "";
    const copy = element.cloneNode(true);
    copy.querySelectorAll(skipSelector).forEach((node) => node.remove());
    return text(copy);
  }

  function kindOfTitle(title) {
    const key = String(title || "").toLowerCase().replace(/\s+/g, " ").trim();
    if (KIND_OF_TITLE[key]) return KIND_OF_TITLE[key];
    // 19 folds the title into the notification text: "Invalid Operation. It is not…"
    const head = key.split(". ")[0];
    return KIND_OF_TITLE[head] || null;
  }

  // ------------------------------------------------------------ kind hints
  function fresh(item) {
    return item && typeof item.receivedAt === "number" && Date.now() - item.receivedAt <= HINT_MS ? item : null;
  }

  /**
   * What the rpc tap saw for the dialog that appeared at `shownAt`: {rpcError, clientError}.
   * The rpc error is the one that belongs to it (lib/error-match.js), not merely the newest:
   * an error an earlier dialog showed says nothing about this one.
   */
  function hints(candidate = {}, shownAt = Date.now()) {
    const errors = OSR.rpcErrors;
    if (!errors) return { rpcError: null, clientError: null };
    const rpcError = fresh(errors.findError(candidate.message || candidate.title, shownAt));
    const clientError = fresh(errors.lastClientError());
    return { rpcError, clientError: isServerRejection(clientError) ? null : clientError };
  }

  /**
   * Odoo's RPCError reaching `unhandledrejection` (how its error service learns of every
   * failed call) is the server's error the tap already has, not a JavaScript one: it
   * carries the server's data, or is named RPC_ERROR (16-18). Seen on real 17.0.
   */
  function isServerRejection(clientError) {
    return Boolean(clientError && (clientError.data || clientError.name === "RPC_ERROR"));
  }

  function kindOfRpcError(rpcError) {
    if (!rpcError) return null;
    if (rpcError.kind === "network") return "network";
    if (rpcError.code === 100) return "session-expired";
    const name = rpcError.data && rpcError.data.name;
    return KIND_OF_EXCEPTION[name] || "server";
  }

  /**
   * server / client / network for a technical error dialog: its title when it
   * says ("Odoo Client Error"), else what the tap saw last ("Odoo Error" in 14,
   * "Oops!" in 18–19 and translated titles say nothing).
   */
  function technicalKind(candidate, shownAt) {
    const byTitle = kindOfTitle(candidate.innerTitle) || kindOfTitle(candidate.title);
    if (byTitle === "client" || byTitle === "network" || byTitle === "server") return byTitle;
    const { rpcError, clientError } = hints(candidate, shownAt);
    if (clientError && (!rpcError || clientError.receivedAt > rpcError.receivedAt)) return "client";
    if (rpcError && rpcError.kind === "network") return "network";
    return "server";
  }

  /** validation / user / access / missing / redirect / session-expired / warning. */
  function messageKind(candidate, shownAt) {
    const byHint = kindOfRpcError(hints(candidate, shownAt).rpcError);
    if (MESSAGE_KINDS.has(byHint)) return byHint;
    const byTitle = kindOfTitle(candidate.title);
    if (MESSAGE_KINDS.has(byTitle)) return byTitle;
    return candidate.actionButtons >= 2 ? "redirect" : "warning";
  }

  function notificationKind(candidate, shownAt) {
    if (candidate.connectionLost) return "network";
    // 17+'s "can't fetch record(s)" notification has no server error behind it: the read
    // of the ids it names answered no record (the tap saw it), in any language.
    if (OSR.rpcErrors && OSR.rpcErrors.findEmptyRead(candidate.message || candidate.title, shownAt)) return "missing";
    const byHint = kindOfRpcError(hints(candidate, shownAt).rpcError);
    if (byHint && byHint !== "server") return byHint;
    return kindOfTitle(candidate.title) || byHint || "warning";
  }

  /** Is this warning notification Odoo's "Connection lost" (its text is translated: the tap decides)? */
  function looksLikeConnectionLost(message) {
    const { rpcError } = hints({ message });
    return Boolean(rpcError && rpcError.kind === "network") || /connection lost/i.test(message);
  }

  /**
   * Does this warning notification show a server error's own message? Then the user got an
   * error, not a hint: 16's portal shows an AccessError as a warning notification. Only the
   * message decides: a hint shown just after some other failed call is still a hint.
   */
  function showsServerError(message) {
    const errors = OSR.rpcErrors;
    const match = OSR.errorMatch;
    const wanted = String(message || "").replace(/\s+/g, " ").trim().toLowerCase();
    if (!errors || !match || !wanted) return false;
    return errors.errors().some((error) => fresh(error) && error.kind === "server" && match.messageMatches(error, wanted));
  }

  // ------------------------------------------------------------ what a recognizer hands back
  // One shape per kind of element for every family: a family's file names only what its
  // version draws differently (selectors, classes, which element holds the text), and
  // these read the texts and build the answer.
  const DIALOG_BUTTON_CLASS = "btn btn-secondary"; // a dialog footer's non-primary button, 14 to 19 alike

  /**
   * An error notification as read from `node`, or null for a hint: `danger` and `warning` are
   * the selectors of Odoo's severities, matched on `severityOn` (the node unless the version
   * marks them elsewhere); `footer` (a selector inside `node`) is where our button goes, with
   * the classes Odoo gives its own buttons there.
   */
  function notification(node, { severityOn = node, danger, warning, footer, buttonClass, buttonHostClass }) {
    const isDanger = severityOn.matches(danger);
    if (!isDanger && !severityOn.matches(warning)) return null;
    const title = text(node.querySelector(".o_notification_title"));
    const message = blockText(node.querySelector(".o_notification_content"));
    const connectionLost = looksLikeConnectionLost(`${title} ${message}`);
    if (!isDanger && !connectionLost && !showsServerError(message)) return null; // a warning hint, not an error
    return { source: "notification", title: title || message, message, details: "", connectionLost,
      footer: node.querySelector(footer), buttonClass, buttonHostClass };
  }

  /**
   * The frame of an owl dialog (15+) whose `.modal-content` matches `contentSelector`: its
   * title, body, footer and the body's alert box; {} when it has no such content or no body.
   */
  function dialogParts(modal, contentSelector) {
    const content = modal.querySelector(contentSelector);
    const body = content && content.querySelector(":scope > .modal-body");
    if (!body) return {};
    return { content, body, title: text(content.querySelector(".modal-title")),
      footer: content.querySelector(":scope > .modal-footer"), alert: body.querySelector(":scope > div[role=alert]") };
  }

  /**
   * A dialog that shows a message (validation, access, redirect...), or null without the
   * element that holds it; its footer's buttons tell a redirect.
   */
  function warningDialog({ title, messageElement, footer }) {
    if (!messageElement) return null;
    return { source: "dialog", technical: false, title, message: blockText(messageElement), details: "", footer,
      actionButtons: footer ? footer.querySelectorAll("button").length : 0, buttonClass: DIALOG_BUTTON_CLASS };
  }

  /**
   * A technical error dialog (server, client, network) from the elements that hold its texts
   * (each may be missing: most versions draw them only after "See details"); the inner title
   * is 18–19's, inside the details.
   */
  function technicalDialog({ title, innerTitleElement, messageElement, detailsElement, footer }) {
    return { source: "dialog", technical: true, title, innerTitle: text(innerTitleElement),
      message: blockText(messageElement), details: blockText(detailsElement), footer, buttonClass: DIALOG_BUTTON_CLASS };
  }

  const kit = { textWithout, notification, dialogParts, warningDialog, technicalDialog };

  // ------------------------------------------------------------ recognition
  function families() {
    const registry = OSR.odooVersions || {};
    // The page's own family first; the others still apply when the version was only guessed.
    const order = settings.family
      ? [settings.family, ...FAMILY_ORDER.filter((name) => name !== settings.family)]
      : FAMILY_ORDER;
    return order.map((name) => registry[name]).filter(Boolean);
  }

  /** What the first family to recognise `root` as an error read from it; null for anything else. */
  function recognize(root) {
    const isDialog = root.classList.contains("modal");
    for (const family of families()) {
      const candidate = isDialog ? family.recognizeDialog(root, kit) : family.recognizeNotification(root, kit);
      if (candidate) return candidate;
    }
    return null;
  }

  function kindOf(candidate, shownAt) {
    if (candidate.source === "notification") return notificationKind(candidate, shownAt);
    return candidate.technical ? technicalKind(candidate, shownAt) : messageKind(candidate, shownAt);
  }

  function toFound(root, candidate, shownAt) {
    return {
      element: root,
      footer: candidate.footer || null,
      kind: kindOf(candidate, shownAt),
      shownAt,
      title: candidate.title || "",
      message: candidate.message || "",
      details: candidate.details || "",
      version: settings.version,
      source: candidate.source,
      buttonClass: candidate.buttonClass,
      buttonHostClass: candidate.buttonHostClass || null,
    };
  }

  /** Without the capture part the button still opens an empty report form. */
  function openEmptyForm() {
    return OSR.messaging.askBackground("open-report-form", { kind: "error" });
  }

  // The session-expired dialog holding the button: one expiry is one report, however many
  // of the page's calls failed with it (16 opens a dialog per call, each over the last).
  let sessionExpiredDialog = null;

  /** Is `found` the same session expiry as a dialog already on screen? Then its button moves up to `found`. */
  function movedFromEarlierExpiry(found) {
    if (found.kind !== "session-expired" || found.source !== "dialog") return false;
    const earlier = sessionExpiredDialog;
    sessionExpiredDialog = found.element;
    if (!earlier || !earlier.isConnected || !OSR.reportButton || !OSR.reportButton.move) return false;
    if (!OSR.reportButton.move(earlier, found.element, found)) return false;
    const captureId = earlier.getAttribute("data-odoo-support-capture");
    if (captureId) found.element.setAttribute("data-odoo-support-capture", captureId);
    return true;
  }

  /** Hand `found` on; its kind is final (data-odoo-support-detected) once found.settled resolves. */
  function report(found) {
    if (movedFromEarlierExpiry(found)) return;
    if (OSR.errorCapture) OSR.errorCapture.onErrorFound(found);
    else if (OSR.reportButton) OSR.reportButton.add(found, openEmptyForm);
  }

  const pending = new WeakSet();
  const firstSeen = new WeakMap(); // root -> when it was first examined
  const ordinary = new WeakSet(); // roots judged not to be errors for good

  /** A root that is still no error REVISIT_MS after we first saw it is an ordinary dialog: stop looking. */
  function giveUpOn(root) {
    const seen = firstSeen.get(root);
    if (seen === undefined) firstSeen.set(root, Date.now());
    else if (Date.now() - seen > REVISIT_MS) ordinary.add(root);
  }

  function examine(root) {
    if (!root || !root.isConnected || pending.has(root) || ordinary.has(root)) return;
    if (root.hasAttribute(DETECTED)) {
      // Odoo re-rendered part of a dialog we handled: put the button back if it went.
      if (OSR.reportButton) OSR.reportButton.restore(root);
      return;
    }
    const candidate = recognize(root);
    if (!candidate) {
      // A warning is an error only when it shows a server error's message, and the tap's
      // message about that error arrives as a task, after this observer's microtask: look
      // once more when it has had time to arrive.
      if (!firstSeen.has(root)) setTimeout(() => examine(root), HINT_WAIT_MS);
      giveUpOn(root);
      return;
    }
    pending.add(root);
    const shownAt = firstSeen.get(root) || Date.now(); // the tap's error for it arrives around this moment
    // The button at once (issue 13: p95 <= 50 ms); the kind and details settle after
    // HINT_WAIT_MS, in the same object, before the capture reads them (found.settled).
    const found = toFound(root, candidate, shownAt);
    let settled;
    found.settled = new Promise((resolve) => { settled = resolve; });
    report(found);
    setTimeout(() => {
      pending.delete(root);
      if (root.isConnected) Object.assign(found, toFound(root, recognize(root) || candidate, shownAt));
      root.setAttribute(DETECTED, found.kind);
      // A footer drawn after the frame (14's legacy Dialog) gets its button now.
      if (OSR.reportButton) OSR.reportButton.restore(root);
      settled();
    }, HINT_WAIT_MS);
  }

  // ------------------------------------------------------------ observation
  /** Dialog/notification roots an added node belongs to or contains (bounded). */
  function rootsOf(node, into) {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    if (!element) return;
    const around = element.closest(ROOT_SELECTOR);
    if (around) {
      into.add(around);
      return;
    }
    if (node !== element || !element.firstElementChild) return;
    const inside = element.querySelectorAll(ROOT_SELECTOR);
    for (let index = 0; index < inside.length && index < MAX_ROOTS_PER_NODE; index += 1) into.add(inside[index]);
  }

  function scanDocument() {
    document.querySelectorAll(ROOT_SELECTOR).forEach(examine);
  }

  function rescan() {
    rescanTimer = null;
    lastRescanAt = Date.now();
    scanDocument();
  }

  /** At once after a quiet while (an error drawn with its view), then at most once per RESCAN_MS. */
  function rescanSoon() {
    if (rescanTimer !== null) return;
    const wait = lastRescanAt + RESCAN_MS - Date.now();
    if (wait <= 0) rescan();
    else rescanTimer = setTimeout(rescan, wait);
  }

  function onMutations(records) {
    const roots = new Set();
    let examined = 0;
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (examined >= MAX_NODES_PER_BATCH) {
          roots.forEach(examine);
          rescanSoon();
          return;
        }
        examined += 1;
        rootsOf(node, roots);
      }
    }
    roots.forEach(examine);
  }

  function majorOf(version) {
    if (typeof version === "number") return version;
    if (version && typeof version === "object") return Number(version.major) || null;
    const match = /(\d{1,2})/.exec(String(version || ""));
    return match ? Number(match[1]) : null;
  }

  /** Start watching: {version} is the page's major version (number, "16.0" or {major}); {page} its description. */
  function start({ version, page } = {}) {
    if (watching) return;
    watching = true;
    const major = majorOf(version);
    settings = {
      major,
      version: (page && page.version) || (major ? String(major) : null),
      family: FAMILY_OF_MAJOR[major] || null,
    };
    OSR.domWatch.subscribe(onMutations);
    scanDocument(); // dialogs already open before we started
  }

  OSR.errorDetector = { start };
})(globalThis.OSR);
