// Fetch wrappers for the server's HTTP API v1. Every failure becomes a
// ServerApiError whose `code` is one of a closed set (ERROR_CODES); the UI maps
// each code to a `_locales` string (report_error_<code>), never shows raw text.
import { serverAddress } from "../lib.js";

const { serverUrlProblem } = serverAddress;

export const ERROR_CODES = Object.freeze({
  NOT_CONFIGURED: serverAddress.NOT_CONFIGURED, // no server URL or key yet
  INSECURE_URL: serverAddress.INSECURE_URL, // http:// to another computer: lib/server-address.js
  OFFLINE: "ERROR_OFFLINE", // the network or the server is unreachable
  TIMEOUT: "ERROR_TIMEOUT", // no answer in time
  UNAUTHORIZED: "ERROR_UNAUTHORIZED", // 401: missing or unknown customer key
  FORBIDDEN: "ERROR_FORBIDDEN", // 403: the page is not one of the customer's Odoo origins
  VALIDATION: "ERROR_VALIDATION", // 400/415/422: the report itself must change
  TOO_LARGE: "ERROR_TOO_LARGE", // 413: usually the screenshot
  RATE_LIMITED: "ERROR_RATE_LIMITED", // 429
  NOT_FOUND: "ERROR_NOT_FOUND", // 404
  SERVER: "ERROR_SERVER", // 5xx or an answer that is not the API's
});

/** Codes after which the report must go back to the user instead of waiting in the queue. */
export const USER_MUST_FIX = new Set([ERROR_CODES.VALIDATION, ERROR_CODES.TOO_LARGE]);

const DEFAULT_TIMEOUT_MS = 15000;

class ServerApiError extends Error {
  constructor(code, { status = 0, message = "", fields = {}, retryAfterSeconds = null } = {}) {
    super(message || code);
    this.name = "ServerApiError";
    this.code = code;
    this.status = status;
    this.fields = fields;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  toJSON() {
    return { code: this.code, status: this.status, message: this.message, fields: this.fields };
  }
}

function codeForStatus(status) {
  if (status === 401) return ERROR_CODES.UNAUTHORIZED;
  if (status === 403) return ERROR_CODES.FORBIDDEN;
  if (status === 404) return ERROR_CODES.NOT_FOUND;
  if (status === 413) return ERROR_CODES.TOO_LARGE;
  if (status === 429) return ERROR_CODES.RATE_LIMITED;
  if (status === 400 || status === 415 || status === 422) return ERROR_CODES.VALIDATION;
  return ERROR_CODES.SERVER;
}

/** The API address under the server's base path; only ever on the configured origin. */
function apiUrl(serverUrl, path) {
  const base = new URL(String(serverUrl).trim());
  return `${base.origin}${base.pathname.replace(/\/+$/, "")}/api/v1${path}`;
}

function uiLanguage() {
  return (globalThis.chrome && chrome.i18n && chrome.i18n.getUILanguage()) || "en";
}

async function readJson(response) {
  try {
    return await response.json();
  } catch (_) {
    return null;
  }
}

async function errorFromResponse(response) {
  const body = await readJson(response);
  const error = (body && body.error) || {};
  const retryAfter = Number(response.headers.get("Retry-After"));
  return new ServerApiError(codeForStatus(response.status), {
    status: response.status,
    message: typeof error.message === "string" ? error.message : "",
    fields: error.fields && typeof error.fields === "object" ? error.fields : {},
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
  });
}

/** One API call: resolves to `{status, body}` for 2xx, rejects with ServerApiError otherwise. */
async function request({ serverUrl, customerKey }, method, path, body, timeoutMs = DEFAULT_TIMEOUT_MS) {
  if (!serverUrl || !customerKey) throw new ServerApiError(ERROR_CODES.NOT_CONFIGURED);
  const problem = serverUrlProblem(serverUrl);
  if (problem) throw new ServerApiError(problem);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response;
  try {
    response = await fetch(apiUrl(serverUrl, path), {
      method,
      headers: {
        Authorization: `Bearer ${customerKey}`,
        Accept: "application/json",
        "Accept-Language": uiLanguage(),
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
      cache: "no-store",
      credentials: "omit",
      // The API never redirects; following one could carry the key to another origin.
      redirect: "manual",
    });
  } catch (error) {
    const code = controller.signal.aborted ? ERROR_CODES.TIMEOUT : ERROR_CODES.OFFLINE;
    throw new ServerApiError(code, { message: String(error && error.message) });
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok) throw await errorFromResponse(response);
  const json = await readJson(response);
  if (json === null) throw new ServerApiError(ERROR_CODES.SERVER, { status: response.status });
  return { status: response.status, body: json };
}

/** GET /api/v1/config: the customer's configuration. */
export async function fetchCustomerConfig(connection, timeoutMs) {
  return (await request(connection, "GET", "/config", undefined, timeoutMs)).body;
}

/** POST /api/v1/reports: resolves to the 202 receipt `{id, reference, status, expected_answer_by}`. */
export async function postReport(connection, report) {
  return (await request(connection, "POST", "/reports", report)).body;
}

/** GET /api/v1/reports/<id>: the delivery status. */
export async function fetchReportStatus(connection, reportId) {
  return (await request(connection, "GET", `/reports/${encodeURIComponent(reportId)}`, undefined, 8000)).body;
}
