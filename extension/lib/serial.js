// One task at a time: read-modify-write of a storage area, or a browser API with a rate
// limit, must not interleave. A task that fails does not stop the ones queued after it.
"use strict";
(function () {
  /** A runner: `run(task)` starts `task()` after every earlier task settled; resolves as it does. */
  function serialQueue() {
    let last = Promise.resolve();
    return function run(task) {
      const result = last.then(task, task);
      last = result.catch(() => {});
      return result;
    };
  }

  const api = { serialQueue };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.OSR = globalThis.OSR || {}).serial = api;
})();
