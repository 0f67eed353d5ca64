"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { boxFromCorners, initialFrame, stepFrame } = require("./report-boxes.js");

test("a drag in any direction gives the same box", () => {
  const expected = { x: 10, y: 20, w: 90, h: 30 };
  assert.deepEqual(boxFromCorners({ x: 10, y: 20 }, { x: 100, y: 50 }, 200, 100), expected);
  assert.deepEqual(boxFromCorners({ x: 100, y: 50 }, { x: 10, y: 20 }, 200, 100), expected);
});

test("a box is clamped to the image", () => {
  assert.deepEqual(boxFromCorners({ x: -50, y: -5 }, { x: 500, y: 40 }, 200, 100), { x: 0, y: 0, w: 200, h: 40 });
});

test("a tiny drag is a click, not a box", () => {
  assert.equal(boxFromCorners({ x: 10, y: 10 }, { x: 12, y: 30 }, 200, 100), null);
});

test("the keyboard frame starts centred", () => {
  assert.deepEqual(initialFrame(1000, 500), { x: 400, y: 225, w: 200, h: 50 });
});

test("arrows move the frame by a fiftieth of the width, inside the image", () => {
  const frame = initialFrame(1000, 500);
  assert.deepEqual(stepFrame(frame, "ArrowRight", { width: 1000, height: 500 }), { ...frame, x: 420 });
  const atEdge = { x: 0, y: 0, w: 200, h: 50 };
  assert.deepEqual(stepFrame(atEdge, "ArrowUp", { width: 1000, height: 500 }), atEdge);
});

test("Shift+arrows resize, never below the minimum nor past the edge", () => {
  const frame = { x: 900, y: 0, w: 50, h: 6 };
  assert.deepEqual(stepFrame(frame, "ArrowRight", { resize: true, width: 1000, height: 500 }), { ...frame, w: 70 });
  assert.deepEqual(stepFrame({ ...frame, w: 95 }, "ArrowRight", { resize: true, width: 1000, height: 500 }), { ...frame, w: 100 });
  assert.deepEqual(stepFrame(frame, "ArrowUp", { resize: true, width: 1000, height: 500 }), { ...frame, h: 4 });
});

test("other keys do nothing", () => {
  assert.equal(stepFrame(initialFrame(100, 100), "a", { width: 100, height: 100 }), null);
});
