// Messages between the extension's parts are `{type, data}`. Each background
// module registers named handlers here; an unknown type is an error, never a
// silent no-op (refined-github's handleMessages).
const handlers = new Map();

/** Register `handler(data, sender)` for a message type; it may return a promise. */
export function handle(type, handler) {
  if (handlers.has(type)) throw new Error(`Duplicate handler for message type '${type}'`);
  handlers.set(type, handler);
}

/** Dispatch one message; resolves to `{ok: true, data}` or `{ok: false, error}`. */
export async function dispatch(message, sender) {
  const handler = message && handlers.get(message.type);
  if (!handler) throw new Error(`Unknown message type '${message && message.type}'`);
  return handler(message.data || {}, sender);
}

export function listen() {
  chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
    dispatch(message, sender).then(
      (data) => sendResponse({ ok: true, data }),
      (error) => sendResponse({ ok: false, error: { code: error.code || "ERROR_INTERNAL", message: String(error.message || error) } }),
    );
    return true; // keeps the channel open for the async answer
  });
}
