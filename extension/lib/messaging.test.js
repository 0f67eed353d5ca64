"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { askBackground } = require("./messaging.js");

/** The browser's sendMessage, answering as the background's dispatcher would. */
function backgroundAnswering(answer) {
  const sent = [];
  globalThis.chrome = { runtime: { sendMessage: async (message) => { sent.push(message); return answer; } } };
  return sent;
}

test("the message goes as {type, data} and the handler's data comes back", async () => {
  const sent = backgroundAnswering({ ok: true, data: { serverUrl: "https://support.example.com" } });
  assert.deepEqual(await askBackground("get-config", { refresh: true }), { serverUrl: "https://support.example.com" });
  assert.deepEqual(sent, [{ type: "get-config", data: { refresh: true } }]);
  await askBackground("list-reports");
  assert.deepEqual(sent[1], { type: "list-reports", data: {} });
});

test("a refusal rejects with the handler's code and message", async () => {
  backgroundAnswering({ ok: false, error: { code: "ERROR_CAPTURE_NOT_FOUND", message: "No capture 'x'" } });
  await assert.rejects(askBackground("get-capture", { captureId: "x" }),
    (error) => error.code === "ERROR_CAPTURE_NOT_FOUND" && error.message === "No capture 'x'");
});

test("no answer (the background went away) is an internal error naming the message", async () => {
  backgroundAnswering(undefined);
  await assert.rejects(askBackground("store-capture"),
    (error) => error.code === "ERROR_INTERNAL" && /store-capture/.test(error.message));
});

test("a failure to send at all reaches the caller", async () => {
  globalThis.chrome = { runtime: { sendMessage: async () => { throw new Error("Extension context invalidated."); } } };
  await assert.rejects(askBackground("get-config"), /context invalidated/);
});
