// The moment an error dialog or notification appears, everything support
// needs is captured (E1, E4, E6), not when the user clicks later: by then the
// dialog may be gone, the page moved on and the steps forgotten.
//   error   - the dialog's title and message; the full technical details from
//             the rpc tap when the dialog hides them (warnings have none in
//             the DOM, 15+ render the traceback only after "See details")
//   context - where: version, database, user, company, app, route, the call
//   steps   - the trail of sentences (E4)
//   screenshot - the tab as the user sees it, with the dialog (E6, G4)
// The capture is stored in the background (store-capture) and the report
// button opens the form with its id. Secrets are redacted before storing.
"use strict";
(function (OSR) {
  const SERVER_KINDS = new Set(["server", "network", "validation", "user", "access", "missing", "redirect", "session-expired", "warning"]);
  const TAP_WAIT_MS = 1000;
  const RECENT_MS = 10000; // a client error older than this belongs to another dialog
  // The environment is decided once the background answers get-config, which in a
  // browser's very first seconds waits for managed storage; a capture waits a little
  // for it rather than label a production error "unknown", but never blocks on it.
  const ENVIRONMENT_WAIT_MS = 2500;
  const SETTLE_MS = 200; // Bootstrap's fade-in (14) lasts 150 ms: shoot the dialog, not its ghost
  const handled = new WeakSet();
  const { askBackground } = OSR.messaging;

  /** The tap's error that belongs to this dialog (lib/error-match.js); none rather than another's. */
  function tapErrorFor(found) {
    if (!SERVER_KINDS.has(found.kind)) return null;
    return OSR.rpcErrors.findError(found.message || found.title, shownAt(found));
  }

  function shownAt(found) {
    return typeof found.shownAt === "number" ? found.shownAt : Date.now();
  }

  /**
   * The page renders the dialog in the same task that receives the answer;
   * the tap's message about it arrives a task later. Wait for it, briefly.
   */
  async function waitForTapError(found) {
    const deadline = Date.now() + TAP_WAIT_MS;
    while (SERVER_KINDS.has(found.kind) && !tapErrorFor(found) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The longer of what the dialog shows and what the server sent: the dialog may show a part. */
  function completeDetails(shown, tapDetails) {
    const dialog = typeof shown === "string" ? shown.trim() : "";
    const server = typeof tapDetails === "string" ? tapDetails.trim() : "";
    return server.length > dialog.length ? server : dialog || null;
  }

  function buildError(found) {
    const tapError = tapErrorFor(found);
    const data = (tapError && tapError.data) || {};
    const lastClientError = found.kind === "client" ? OSR.rpcErrors.lastClientError() : null;
    const clientError = lastClientError && Date.now() - lastClientError.receivedAt <= RECENT_MS ? lastClientError : null;
    const clientDetails = clientError ? [clientError.message, clientError.stack].filter(Boolean).join("\n") : null;
    // The browser's text for an uncaught error ("Uncaught TypeError: …"), without "Uncaught".
    const clientMessage = clientError && clientError.message ? String(clientError.message).replace(/^Uncaught\s+/, "") : null;
    return {
      tapError,
      error: OSR.redact.redactObject({
        kind: found.kind,
        title: found.title || null,
        // A client error dialog shows no message of its own: the JavaScript error's is the useful part.
        message: found.message || data.message || (tapError && tapError.message) || clientMessage || null,
        details: completeDetails(found.details, data.debug || clientDetails),
        exception: data.name || (clientError && (clientError.name || clientError.exceptionName)) || null,
      }),
    };
  }

  function environmentDecided() {
    const bound = new Promise((resolve) => setTimeout(resolve, ENVIRONMENT_WAIT_MS));
    return Promise.race([OSR.pageEnvironment.whenDecided().catch(() => null), bound]);
  }

  /**
   * The failing call; without an error of its own, the call made just before a
   * server-side message appeared (a missing record's read). A client error has
   * none: the last call of the page is not what broke in the browser.
   */
  function callOf(found, tapError) {
    if (tapError) return tapError.call || null;
    if (!SERVER_KINDS.has(found.kind)) return null;
    const since = shownAt(found) - OSR.errorMatch.JUST_BEFORE_MS;
    return OSR.rpcErrors.calls().reverse().find((call) => call.receivedAt >= since && call.receivedAt <= shownAt(found)) || null;
  }

  function rpcContext(call) {
    return call ? { url: call.url || null, model: call.model || null, method: call.method || null, ids: call.ids || [] } : null;
  }

  function buildContext(page, call, occurredAt) {
    return OSR.redact.redactObject({
      url: page.url,
      odoo_version: page.version,
      database: page.database,
      user: page.user,
      company: page.company,
      lang: page.lang,
      app: page.app,
      model: page.model,
      record_id: page.record_id,
      view_type: page.view_type,
      action: page.action === null || page.action === undefined ? null : String(page.action),
      breadcrumbs: page.breadcrumbs,
      environment: OSR.pageEnvironment.current(),
      browser: navigator.userAgent,
      occurred_at: occurredAt,
      rpc: rpcContext(call),
    });
  }

  /** Who reports: the Odoo user's name, login when it is an e-mail, and the account the form remembers them by. */
  function reporterOf(page) {
    const session = OSR.rpcErrors.sessionInfo() || {};
    const login = typeof session.username === "string" && session.username.includes("@") ? session.username : null;
    const account = { origin: location.origin, database: page.database || null, uid: page.uid === undefined ? null : page.uid };
    return { name: page.user || null, email: login, account };
  }

  function settle() {
    return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, SETTLE_MS)));
  }

  async function screenshot() {
    try {
      return (await askBackground("capture-screenshot")).dataUrl || null;
    } catch (error) {
      return null; // a report without a screenshot still helps; the form lets the user attach one
    }
  }

  /** The fields of `values` that say something (not null, undefined or empty). */
  function known(values) {
    return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null && value !== undefined && value !== ""));
  }

  /** Build, shoot and store the capture of one error; resolves its id. */
  async function capture(found) {
    const occurredAt = new Date().toISOString();
    // The page as it is now: Odoo may leave the route soon after (18 drops a missing record's id).
    const atError = OSR.odooPage.detect() || {};
    // Taken before anything the user does next. Labels only (E4), yet redacted like all text.
    const steps = OSR.redact.redactObject(OSR.stepsTrail ? OSR.stepsTrail.steps() : []);
    // The detector hands the error on before its kind is final: wait for that first.
    await Promise.all([settle(), Promise.resolve(found.settled).then(() => waitForTapError(found))]);
    // An error shown while the page loads may come before the tap's session info (seen in
    // Firefox): what was unknown at the error is filled in from the page as it is now.
    const now = OSR.odooPage.detect() || {};
    const page = { ...now, ...known(atError) };
    if (!atError.version_exact && now.version_exact) {
      // A version guessed from the page's signs ("18+") yields to the session's exact one.
      Object.assign(page, { version: now.version, major: now.major, version_exact: true });
    }
    const shot = await screenshot();
    await environmentDecided();
    const { error, tapError } = buildError(found);
    OSR.rpcErrors.consume(tapError); // a later, unrelated dialog must not carry this traceback
    const context = buildContext(page, callOf(found, tapError), occurredAt);
    const record = { createdAt: occurredAt, error, context, steps, screenshot: shot, reporter: reporterOf(page) };
    const { captureId } = await askBackground("store-capture", { capture: record });
    if (found.element && found.element.setAttribute) found.element.setAttribute("data-odoo-support-capture", captureId);
    return captureId;
  }

  /** Called by the detector once per error dialog or notification (README contract). */
  function onErrorFound(found) {
    if (!found || (found.element && handled.has(found.element))) return null;
    if (found.element) handled.add(found.element);
    if (typeof found.shownAt !== "number") found.shownAt = Date.now();
    const stored = capture(found);
    stored.catch(() => {
      // the extension was reloaded or the worker refused: the button still opens an empty form
    });
    if (OSR.reportButton) {
      OSR.reportButton.add(found, async () => {
        const captureId = await stored.catch(() => null);
        return askBackground("open-report-form", { captureId, kind: "error" });
      });
    }
    return stored;
  }

  OSR.errorCapture = { onErrorFound };
})(globalThis.OSR);
