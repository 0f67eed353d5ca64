// Captures live in chrome.storage.session: the MV3 worker may be stopped at
// any moment and must lose nothing between the error and the report form,
// yet a capture (screenshot, traceback) should not outlive the browser
// session. Bounded to the newest KEEP captures, and fewer when the 10 MB area fills.
import { serial, storageQuota } from "../lib.js";
import { handle } from "./messages.js";

const KEEP = 20;
const INDEX_KEY = "captures:index"; // ids, oldest first
const keyOf = (id) => `capture:${id}`;
const oneAtATime = serial.serialQueue(); // index updates: two errors at once must not drop one

function newId() {
  return `${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * Write the capture and the index, newest KEEP kept. Screenshots make
 * captures large (up to a few MB): when the area is full the oldest go
 * first, until the new one fits alone.
 */
async function writeCapture(id, stored) {
  const { [INDEX_KEY]: index = [] } = await chrome.storage.session.get(INDEX_KEY);
  let kept = [...index, id];
  let dropped = kept.slice(0, Math.max(0, kept.length - KEEP));
  kept = kept.slice(-KEEP);
  for (;;) {
    if (dropped.length) await chrome.storage.session.remove(dropped.map(keyOf));
    try {
      await chrome.storage.session.set({ [keyOf(id)]: stored, [INDEX_KEY]: kept });
      return;
    } catch (error) {
      if (!storageQuota.isQuotaError(error) || kept.length <= 1) throw error;
      dropped = kept.slice(0, 1);
      kept = kept.slice(1);
    }
  }
}

export async function storeCapture({ capture }) {
  if (!capture || typeof capture !== "object") {
    throw Object.assign(new Error("store-capture needs {capture}"), { code: "ERROR_BAD_REQUEST" });
  }
  const id = newId();
  const stored = { ...capture, id, createdAt: capture.createdAt || new Date().toISOString() };
  await oneAtATime(() => writeCapture(id, stored));
  return { captureId: id };
}

export async function getCapture({ captureId }) {
  const key = keyOf(captureId);
  const { [key]: capture } = await chrome.storage.session.get(key);
  if (!capture) throw Object.assign(new Error(`No capture '${captureId}'`), { code: "ERROR_CAPTURE_NOT_FOUND" });
  return { capture };
}

handle("store-capture", storeCapture);
handle("get-capture", getCapture);
