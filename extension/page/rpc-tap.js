// Runs in the page's MAIN world at document_start, before Odoo's own scripts.
// It watches Odoo's JSON-RPC traffic (XMLHttpRequest in every version, fetch
// too) so that the full technical details of an error are known even when the
// dialog shows them only after a click (E1, E6), and posts what it saw to the
// extension's isolated world (README: "Main world → isolated world").
//
// It must never break the page: the wrappers call the originals with the same
// arguments and `this`, return what they return, and every line of our own
// work runs inside `quietly()`. Only JSON-RPC calls are looked at (their
// request body says `"jsonrpc"`); other responses are never read. Of a call's
// arguments only the model, the method and the record ids are kept: other
// values may be personal data.
"use strict";
(function () {
  const SOURCE = "odoo-support-reporter/rpc-tap";
  const MAX_BODY = 2 * 1024 * 1024; // a larger request body is an upload, not an RPC worth parsing
  const MAX_TEXT = 200000; // keep a traceback, not a megabyte of it
  const ANSWER_HEAD = 256; // Odoo writes {"jsonrpc", "id", then "result" or "error"}: the head tells which

  // Nothing of ours is left in the page's global scope: no namespace, no
  // marker. Chrome injects a MAIN-world content script once per document.
  //
  // What is posted is not redacted here: it is the page's own data, which
  // every script of the page can already read, and this world has no copy of
  // lib/redact.js (Chrome injects a file listed in two content_scripts
  // entries only once per document, into the first entry's world).
  // content/rpc-errors.js redacts everything on arrival, before it is kept.

  function quietly(work) {
    try {
      return work();
    } catch (error) {
      return undefined; // our bug must never become the page's error
    }
  }

  function post(type, payload) {
    window.postMessage({ source: SOURCE, type, payload: JSON.stringify(payload) }, location.origin);
  }

  function cut(text) {
    return typeof text === "string" && text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
  }

  /**
   * Odoo's global, set by the page's first inline script (`var odoo = {csrf_token, debug}`).
   * A plain object: an element with id="odoo" also shows up as window.odoo, and means nothing.
   */
  function odooGlobal() {
    const odoo = window.odoo;
    return odoo && Object.prototype.toString.call(odoo) === "[object Object]" ? odoo : null;
  }

  // ---- requests --------------------------------------------------------

  function urlOf(input) {
    if (typeof input === "string") return input;
    if (input && typeof input.url === "string") return input.url;
    return String(input);
  }

  function isRecordIds(value) {
    return Number.isInteger(value) || (Array.isArray(value) && value.length > 0 && value.every(Number.isInteger));
  }

  /** The call's url, model, method and record ids; null when the body is not JSON-RPC. */
  function describeCall(url, body) {
    if (!odooGlobal()) return null; // JSON-RPC on a non-Odoo page (wallets, APIs) is none of our business
    if (typeof body !== "string" || body.length > MAX_BODY || !body.includes("\"jsonrpc\"")) return null;
    const request = JSON.parse(body);
    if (!request || typeof request !== "object" || request.jsonrpc === undefined) return null;
    const params = request.params && typeof request.params === "object" ? request.params : {};
    const args = Array.isArray(params.args) ? params.args : [];
    const ids = isRecordIds(args[0]) ? [].concat(args[0]) : isRecordIds(params.ids) ? [].concat(params.ids) : [];
    return {
      url: String(url).split("?")[0],
      model: typeof params.model === "string" ? params.model : null,
      method: typeof params.method === "string" ? params.method : request.method === "call" ? null : request.method || null,
      ids: ids.slice(0, 50),
      at: new Date().toISOString(),
    };
  }

  // ---- responses -------------------------------------------------------

  function pickErrorData(data) {
    if (!data || typeof data !== "object") return {};
    return {
      name: typeof data.name === "string" ? data.name : null,
      message: cut(typeof data.message === "string" ? data.message : null),
      debug: cut(typeof data.debug === "string" ? data.debug : null),
      arguments: Array.isArray(data.arguments) ? data.arguments.slice(0, 10) : [],
      exception_type: typeof data.exception_type === "string" ? data.exception_type : null,
      // data.context is left out: it is the failing call's context, whose default_* keys carry values
    };
  }

  function reportRpcError(call, status, error) {
    post("rpc-error", {
      kind: "server",
      call,
      status,
      code: error.code === undefined ? null : error.code,
      message: cut(typeof error.message === "string" ? error.message : null),
      data: pickErrorData(error.data),
      at: new Date().toISOString(),
    });
  }

  function reportHttpFailure(call, status, statusText) {
    post("rpc-error", {
      kind: "network",
      call,
      status,
      code: null,
      message: status ? `HTTP ${status}${statusText ? ` ${statusText}` : ""}` : "Network request failed",
      data: {},
      at: new Date().toISOString(),
    });
  }

  /**
   * The parsed answer when it may hold an error, else null. A successful
   * answer (most of them, some megabytes) is recognised by its head and never
   * parsed a second time: the page parses it already.
   */
  function parseIfError(text) {
    if (typeof text !== "string" || !text || text.length > MAX_BODY * 8) return null;
    const head = text.slice(0, ANSWER_HEAD);
    if (head.includes("\"result\"") && !head.includes("\"error\"")) return null;
    return quietly(() => JSON.parse(text)) || null;
  }

  // 17+ show a missing record as a bare "can't fetch record(s)" notification with no server
  // error behind it: the read of those ids answered no record. Only the head is looked at.
  const READ_METHODS = new Set(["web_read", "read"]);
  const EMPTY_RESULT = /"result"\s*:\s*\[\s*\]/;

  /** Report a read of record ids that answered none (the records are gone); `text` is the raw answer. */
  function inspectEmptyRead(call, text) {
    if (!READ_METHODS.has(call.method) || !call.ids.length || typeof text !== "string") return;
    if (EMPTY_RESULT.test(text.slice(0, ANSWER_HEAD))) post("rpc-empty-read", { call, at: new Date().toISOString() });
  }

  /** Report a JSON-RPC error answer or a failed HTTP call; `answer` is the parsed body or null. */
  function inspectAnswer(call, status, statusText, answer) {
    if (answer && typeof answer === "object" && answer.error) reportRpcError(call, status, answer.error);
    else if (!status || status >= 400) reportHttpFailure(call, status, statusText);
  }

  // ---- XMLHttpRequest (jQuery in 14, Odoo's rpc in 15+) -----------------

  const xhrProto = window.XMLHttpRequest && window.XMLHttpRequest.prototype;
  const xhrUrls = new WeakMap(); // request → the URL given to open(); nothing is set on the page's objects

  /** Read only what the page asked for: a blob or an arraybuffer answer is left alone. */
  function readXhrAnswer(xhr) {
    if (xhr.responseType === "json") return xhr.response;
    if (xhr.responseType !== "" && xhr.responseType !== "text") return null;
    return parseIfError(xhr.responseText);
  }

  function watchXhr(xhr, call) {
    let cancelled = false; // the page aborted it (navigation, a newer search): not an error
    xhr.addEventListener("abort", () => { cancelled = true; });
    xhr.addEventListener("loadend", () => quietly(() => {
      if (cancelled) return;
      inspectAnswer(call, xhr.status, xhr.statusText, quietly(() => readXhrAnswer(xhr)));
      if (xhr.responseType === "" || xhr.responseType === "text") inspectEmptyRead(call, xhr.responseText);
    }));
  }

  if (xhrProto) {
    const originalOpen = xhrProto.open;
    const originalSend = xhrProto.send;
    xhrProto.open = function open(method, url) {
      quietly(() => xhrUrls.set(this, String(url)));
      return originalOpen.apply(this, arguments);
    };
    xhrProto.send = function send(body) {
      quietly(() => {
        const call = describeCall(xhrUrls.get(this), body);
        if (!call) return;
        post("rpc-call", call);
        watchXhr(this, call);
      });
      return originalSend.apply(this, arguments);
    };
  }

  // ---- fetch (Odoo's rpc moved to it after 18; load_menus and custom code everywhere) ----

  function isAbort(error) {
    return Boolean(error && error.name === "AbortError");
  }

  /**
   * Read a clone of the answer, never the page's own body. A body the page
   * cancels midway makes our read fail: nothing is reported then.
   */
  function watchFetch(pending, call) {
    pending.then(
      (response) => quietly(() => {
        const { status, statusText } = response;
        response.clone().text().then(
          (text) => quietly(() => {
            inspectAnswer(call, status, statusText, parseIfError(text));
            inspectEmptyRead(call, text);
          }),
          (error) => quietly(() => { if (!isAbort(error)) inspectAnswer(call, status, statusText, null); }),
        );
      }),
      (error) => quietly(() => { if (!isAbort(error)) reportHttpFailure(call, 0, ""); }),
    );
  }

  const originalFetch = window.fetch;
  if (typeof originalFetch === "function") {
    // A Request object's body is a stream only the page may read: such calls
    // pass untapped (Odoo passes the body in `init`).
    window.fetch = function fetch(input, init) {
      const call = quietly(() => describeCall(urlOf(input), init && init.body));
      const pending = originalFetch.apply(this, arguments);
      if (call) quietly(() => {
        post("rpc-call", call);
        watchFetch(pending, call);
      });
      return pending;
    };
  }

  // ---- client errors ---------------------------------------------------

  function describeReason(reason) {
    if (reason && typeof reason === "object") {
      return {
        name: typeof reason.name === "string" ? reason.name : null,
        message: cut(typeof reason.message === "string" ? reason.message : String(reason)),
        stack: cut(typeof reason.stack === "string" ? reason.stack : null),
        // Odoo's RPCError carries the server's error data (15+)
        data: reason.data && typeof reason.data === "object" ? pickErrorData(reason.data) : null,
        exceptionName: typeof reason.exceptionName === "string" ? reason.exceptionName : null,
      };
    }
    return { name: null, message: cut(String(reason)), stack: null, data: null, exceptionName: null };
  }

  // Client errors only on pages that have Odoo's global: elsewhere we stay inert.
  window.addEventListener("error", (event) => quietly(() => {
    if (!(event instanceof ErrorEvent) || !odooGlobal()) return; // a failed <img> load is not a client error
    post("client-error", {
      kind: "error",
      ...describeReason(event.error || event.message),
      message: cut(event.message || (event.error && event.error.message) || ""),
      filename: event.filename || null,
      line: event.lineno || null,
      column: event.colno || null,
      at: new Date().toISOString(),
    });
  }));

  window.addEventListener("unhandledrejection", (event) => quietly(() => {
    if (!odooGlobal()) return;
    post("client-error", { kind: "unhandledrejection", ...describeReason(event.reason), at: new Date().toISOString() });
  }));

  // ---- session info ----------------------------------------------------

  const SESSION_SCRIPT_MARKERS = ["odoo.__session_info__ =", "odoo.session_info =", "odoo.__session_info__=", "odoo.session_info="];

  /** The JSON object literal that starts at `start` in `text` (strings respected); null if unbalanced. */
  function objectLiteralAt(text, start) {
    let depth = 0;
    let inString = false;
    for (let index = start; index < text.length; index += 1) {
      const char = text[index];
      if (inString) {
        if (char === "\\") index += 1;
        else if (char === "\"") inString = false;
      } else if (char === "\"") inString = true;
      else if (char === "{") depth += 1;
      else if (char === "}") {
        depth -= 1;
        if (depth === 0) return text.slice(start, index + 1);
      }
    }
    return null;
  }

  /** 15+ delete `odoo.__session_info__` after start-up; the inline script that set it stays. */
  function sessionInfoFromInlineScript() {
    for (const script of document.querySelectorAll("script:not([src])")) {
      const text = script.textContent;
      const marker = SESSION_SCRIPT_MARKERS.find((candidate) => text.includes(candidate));
      if (!marker) continue;
      const start = text.indexOf("{", text.indexOf(marker));
      const literal = start >= 0 ? objectLiteralAt(text, start) : null;
      if (literal) return quietly(() => JSON.parse(literal)) || null;
    }
    return null;
  }

  const MAX_COMPANIES = 50; // a multi-company group can list hundreds: the current one is what matters

  function pickCompanies(companies) {
    if (!companies || typeof companies !== "object") return null;
    const current = companies.current_company;
    let allowed = companies.allowed_companies;
    if (Array.isArray(allowed) && allowed.length > MAX_COMPANIES) {
      allowed = allowed.filter((entry) => Array.isArray(entry) && Array.isArray(current) && entry[0] === current[0]);
    } else if (allowed && typeof allowed === "object" && !Array.isArray(allowed) && Object.keys(allowed).length > MAX_COMPANIES) {
      allowed = allowed[current] ? { [current]: allowed[current] } : {};
    }
    return { current_company: current, allowed_companies: allowed };
  }

  function pickSession(info) {
    if (!info || typeof info !== "object") return {};
    const context = info.user_context && typeof info.user_context === "object" ? info.user_context : {};
    return {
      db: info.db || null,
      server_version: info.server_version || null,
      server_version_info: Array.isArray(info.server_version_info) ? info.server_version_info : null,
      uid: info.uid === undefined ? null : info.uid,
      name: info.name || null,
      username: info.username || null,
      partner_display_name: info.partner_display_name || null,
      lang: context.lang || null,
      tz: context.tz || null,
      allowed_company_ids: Array.isArray(context.allowed_company_ids) ? context.allowed_company_ids : null,
      user_companies: pickCompanies(info.user_companies),
      is_frontend: Boolean(info.is_frontend),
    };
  }

  function mergeDefined(target, source) {
    for (const [key, value] of Object.entries(source)) {
      if (value !== null && value !== undefined && (target[key] === null || target[key] === undefined)) target[key] = value;
    }
    return target;
  }

  /** Does what was read look like Odoo's, rather than some other page's `odoo` variable? */
  function isOdooSession(session) {
    return Boolean(session.db || session.server_version || session.server_version_info
      || (session.uid !== undefined && session.uid !== null) || session.is_frontend || session.has_define || session.has_loader);
  }

  function readSessionInfo() {
    const odoo = odooGlobal();
    if (!odoo) return null; // not an Odoo page: nothing to say
    const session = {};
    mergeDefined(session, pickSession(odoo.__session_info__));
    mergeDefined(session, pickSession(odoo.session_info));
    mergeDefined(session, pickSession(sessionInfoFromInlineScript()));
    if (odoo.info && typeof odoo.info === "object") {
      mergeDefined(session, { db: odoo.info.db, server_version: odoo.info.server_version, server_version_info: odoo.info.server_version_info });
    }
    session.has_define = typeof odoo.define === "function";
    session.has_loader = Boolean(odoo.loader);
    session.debug = typeof odoo.debug === "string" ? odoo.debug : null;
    return isOdooSession(session) ? session : null;
  }

  let lastSessionText = null;
  function postSessionInfo() {
    quietly(() => {
      const session = readSessionInfo();
      if (!session) return;
      const text = JSON.stringify(session);
      if (text === lastSessionText) return;
      lastSessionText = text;
      post("session-info", session);
    });
  }

  // The inline scripts have run by DOMContentLoaded; `odoo.info` appears once
  // the web client has started (17+), which can be seconds later.
  document.addEventListener("DOMContentLoaded", postSessionInfo, { once: true });
  window.addEventListener("load", () => {
    postSessionInfo();
    setTimeout(postSessionInfo, 1500);
    setTimeout(postSessionInfo, 5000);
  }, { once: true });
  // The isolated world may start after our first post (extension reloaded): it asks again.
  window.addEventListener("message", (event) => quietly(() => {
    if (event.source !== window || !event.data || event.data.source !== "odoo-support-reporter/content") return;
    if (event.data.type === "session-info-request") {
      lastSessionText = null;
      postSessionInfo();
    }
  }));
})();
