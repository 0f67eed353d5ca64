"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { serialQueue } = require("./serial.js");

function deferred() {
  let resolve;
  const promise = new Promise((done) => { resolve = done; });
  return { promise, resolve };
}

test("a task starts only after the one before it settled", async () => {
  const run = serialQueue();
  const gate = deferred();
  const order = [];
  const first = run(async () => { order.push("first starts"); await gate.promise; order.push("first ends"); return 1; });
  const second = run(async () => { order.push("second starts"); return 2; });
  await Promise.resolve();
  assert.deepEqual(order, ["first starts"]);
  gate.resolve();
  assert.deepEqual(await Promise.all([first, second]), [1, 2]);
  assert.deepEqual(order, ["first starts", "first ends", "second starts"]);
});

test("a failed task rejects its own caller and the next task still runs", async () => {
  const run = serialQueue();
  const failed = run(async () => { throw new Error("full"); });
  const next = run(async () => "ran");
  await assert.rejects(failed, /full/);
  assert.equal(await next, "ran");
});

test("two runners do not wait for each other", async () => {
  const blocked = serialQueue();
  const free = serialQueue();
  blocked(() => new Promise(() => {})); // never settles
  assert.equal(await free(async () => "free"), "free");
});
