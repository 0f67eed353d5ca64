// Sending reports: never lost, never sent twice. A report is written to
// chrome.storage.local before the first attempt; offline, a timeout, 401/403,
// 429 or 5xx leave it waiting and it is retried with exponential backoff
// (a timer while the worker lives, chrome.alarms to wake it, and at start-up)
// until the server answers 202. Its `client_report_id`, made once by the form,
// makes a repeated POST one ticket on the server. Only the server's validation
// errors send the report back to the form, with the fields to fix.
import { backoff, serial, storageQuota } from "../lib.js";
import { getConfig } from "./config.js";
import { handle } from "./messages.js";
import { ERROR_CODES, USER_MUST_FIX, fetchReportStatus, postReport } from "./server-api.js";

const INDEX_KEY = "reportIndex"; // client ids, oldest first
const RECORD_PREFIX = "report:";
const ALARM_NAME = "report-queue-retry";
const KEEP_FINISHED = 20; // sent (bodiless) and refused reports kept for the popup's list
const SENDING_LEASE_MS = 60 * 1000; // a "sending" older than this was cut off by the worker stopping

const serialized = serial.serialQueue(); // one read-modify-write of the queue at a time
let retryTimer = null;
let processing = null;
const inFlight = new Set(); // client ids being posted by this worker right now

const recordKey = (clientId) => RECORD_PREFIX + clientId;

async function readIndex() {
  return (await chrome.storage.local.get(INDEX_KEY))[INDEX_KEY] || [];
}

async function readRecord(clientId) {
  return (await chrome.storage.local.get(recordKey(clientId)))[recordKey(clientId)] || null;
}

async function writeRecord(record) {
  await chrome.storage.local.set({ [recordKey(record.clientReportId)]: record });
}

/** Add a record and forget the oldest finished ones beyond KEEP_FINISHED; waiting ones are never dropped. */
function addRecord(record) {
  return serialized(async () => {
    await writeRecord(record);
    const index = (await readIndex()).filter((id) => id !== record.clientReportId);
    index.push(record.clientReportId);
    const records = await Promise.all(index.map(readRecord));
    const finished = records.filter((r) => r && (r.status === "sent" || r.status === "rejected"));
    const dropped = new Set(finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED)).map((r) => r.clientReportId));
    const kept = index.filter((id, i) => records[i] && !dropped.has(id));
    await chrome.storage.local.set({ [INDEX_KEY]: kept });
    if (dropped.size) await chrome.storage.local.remove([...dropped].map(recordKey));
  });
}

function updateRecord(clientId, change) {
  return serialized(async () => {
    const record = await readRecord(clientId);
    if (!record) return null;
    const updated = { ...record, ...change(record) };
    await writeRecord(updated);
    return updated;
  });
}

function summary(report) {
  return { title: report.title, kind: report.kind, module: report.module };
}

async function connection() {
  const config = await getConfig();
  return { serverUrl: config.serverUrl, customerKey: config.customerKey };
}

/** One attempt at a stored record, unless this worker is posting it already. */
async function attempt(record) {
  if (inFlight.has(record.clientReportId)) return { status: "queued", error: { code: record.lastError } };
  inFlight.add(record.clientReportId);
  try {
    return await postOnce(record);
  } finally {
    inFlight.delete(record.clientReportId);
  }
}

/** One POST; the record ends sent, waiting (with its next attempt) or rejected. */
async function postOnce(record) {
  await updateRecord(record.clientReportId, () => ({ status: "sending", sendingSince: Date.now() }));
  try {
    const receipt = await postReport(await connection(), record.report);
    const sentAt = new Date().toISOString();
    await updateRecord(record.clientReportId, () => ({ status: "sent", receipt, sentAt, report: null, lastError: null }));
    return { status: "sent", receipt };
  } catch (error) {
    const code = error.code || ERROR_CODES.SERVER;
    if (USER_MUST_FIX.has(code)) {
      // Not retried: the report must change. Kept (never lost) and listed as refused; the
      // form shows what to fix, and sending it again with the same id replaces this record.
      const details = error.toJSON ? error.toJSON() : { code, fields: {} };
      await updateRecord(record.clientReportId, () => ({ status: "rejected", lastError: code, rejection: details }));
      return { status: "rejected", error: details };
    }
    const attempts = (record.attempts || 0) + 1;
    const retryAfterMs = (error.retryAfterSeconds || 0) * 1000;
    const nextAttemptAt = Date.now() + backoff.retryDelay(attempts, { retryAfterMs });
    await updateRecord(record.clientReportId, () => ({ status: "waiting", attempts, nextAttemptAt, lastError: code }));
    return { status: "queued", error: { code } };
  }
}

/**
 * Stored before the first attempt; when storage.local is full (10 MB in Chrome:
 * waiting screenshots add up) the form keeps the report and says so.
 */
async function storeNewRecord(record) {
  try {
    await addRecord(record);
  } catch (error) {
    if (!storageQuota.isQuotaError(error)) throw error;
    throw Object.assign(new Error(String(error.message)), { code: "ERROR_STORAGE_FULL" });
  }
}

/** `send-report`: store first, then try once now; a waiting report is retried later. */
async function sendReport({ report }) {
  if (!report || typeof report !== "object") throw new Error("send-report needs {report}");
  const clientReportId = report.client_report_id || crypto.randomUUID();
  const existing = await readRecord(clientReportId);
  if (existing && existing.status === "sent") return { status: "sent", receipt: existing.receipt };
  if (existing && existing.status !== "rejected") return { status: "queued", error: { code: existing.lastError } };
  const record = {
    clientReportId,
    createdAt: new Date().toISOString(),
    ...summary(report),
    report: { ...report, client_report_id: clientReportId },
    status: "sending", // stored before the first POST, so a stopped worker's retry finds it
    sendingSince: Date.now(),
    attempts: 0,
    nextAttemptAt: Date.now(),
    lastError: null,
    receipt: null,
  };
  await storeNewRecord(record);
  const result = await attempt(record);
  await scheduleRetry();
  return { ...result, clientReportId };
}

function isDue(record, now) {
  if (record.status === "waiting") return record.nextAttemptAt <= now;
  return record.status === "sending" && now - (record.sendingSince || 0) > SENDING_LEASE_MS;
}

/** Try every due waiting report once; reports are sent one after another, oldest first. */
function processQueue({ force = false } = {}) {
  if (processing) return processing;
  processing = (async () => {
    const index = await readIndex();
    for (const clientId of index) {
      const record = await readRecord(clientId);
      const retryable = record && (record.status === "waiting" || record.status === "sending");
      if (retryable && (force || isDue(record, Date.now()))) await attempt(record);
    }
    await scheduleRetry();
  })().finally(() => {
    processing = null;
  });
  return processing;
}

/** Wake at the earliest next attempt: a timer while the worker lives, an alarm if it stops. */
async function scheduleRetry() {
  const records = await Promise.all((await readIndex()).map(readRecord));
  const waiting = records.filter((r) => r && (r.status === "waiting" || r.status === "sending"));
  clearTimeout(retryTimer);
  if (waiting.length === 0) {
    await chrome.alarms.clear(ALARM_NAME);
    return;
  }
  const next = Math.min(...waiting.map((r) => (r.status === "sending" ? r.sendingSince + SENDING_LEASE_MS : r.nextAttemptAt)));
  const delay = Math.max(0, next - Date.now());
  retryTimer = setTimeout(() => processQueue(), delay + 50);
  await chrome.alarms.create(ALARM_NAME, { when: Date.now() + Math.max(delay, 30 * 1000) });
}

/** The last delivery status stored with the record: {status, failure, helpdesk}, or all null. */
function knownDelivery(record) {
  return { status: record.delivery || null, failure: record.deliveryFailure || null, helpdesk: record.helpdesk || null };
}

/**
 * {status, failure, helpdesk} from GET /api/v1/reports/<id>: `failure` is the server's
 * message for its failure code (in the browser's language), never the mail server's own
 * words; `helpdesk` the ticket's number and stage when the report became a ticket in the
 * partner's Odoo helpdesk.
 */
async function deliveryStatus(record, server) {
  const known = knownDelivery(record);
  if (record.status !== "sent" || !record.receipt || !record.receipt.id) return known;
  try {
    const answer = await fetchReportStatus(server, record.receipt.id);
    if (!answer.status) return known;
    const failure = answer.failure && typeof answer.failure.message === "string" ? answer.failure.message.slice(0, 300) : null;
    return { status: answer.status, failure, helpdesk: answer.helpdesk || known.helpdesk };
  } catch (_) {
    return known; // offline: the last status known
  }
}

function deliveryChanged(record, delivery) {
  return Boolean(delivery.status) && (delivery.status !== record.delivery
    || delivery.failure !== (record.deliveryFailure || null)
    || JSON.stringify(delivery.helpdesk || null) !== JSON.stringify(record.helpdesk || null));
}

/**
 * `list-reports`: the recent reports, newest first, with the server's delivery
 * status (`delivery: false` skips asking the server, for frequent polling).
 */
export async function listReports({ limit = 10, delivery = true } = {}) {
  const records = (await Promise.all((await readIndex()).map(readRecord))).filter(Boolean);
  const recent = records.reverse().slice(0, limit);
  const server = delivery ? await connection() : null;
  const deliveries = await Promise.all(recent.map((record) => (delivery ? deliveryStatus(record, server) : knownDelivery(record))));
  await Promise.all(recent.map((record, i) =>
    deliveryChanged(record, deliveries[i])
      ? updateRecord(record.clientReportId, () => ({
        delivery: deliveries[i].status || record.delivery || null,
        deliveryFailure: deliveries[i].failure,
        helpdesk: deliveries[i].helpdesk,
      }))
      : null));
  return {
    reports: recent.map((record, i) => ({
      clientReportId: record.clientReportId,
      title: record.title,
      kind: record.kind,
      createdAt: record.createdAt,
      status: record.status,
      attempts: record.attempts,
      lastError: record.lastError,
      rejection: record.status === "rejected" ? record.rejection : null,
      nextAttemptAt: record.status === "waiting" ? record.nextAttemptAt : null,
      receipt: record.receipt,
      delivery: deliveries[i].status,
      deliveryFailure: deliveries[i].failure,
      helpdesk: deliveries[i].helpdesk,
    })),
  };
}

handle("send-report", sendReport);
handle("list-reports", listReports);
handle("retry-reports", () => processQueue({ force: true }).then(() => listReports()));
chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === ALARM_NAME) processQueue();
});
chrome.runtime.onStartup.addListener(() => processQueue());
processQueue(); // a worker that starts again picks up what was waiting
