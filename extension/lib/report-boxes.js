// Geometry of the screenshot editor's black boxes, in image pixels: a drag
// becomes a box, and the keyboard frame moves and resizes inside the image.
"use strict";
(function () {
  const MIN_SIZE = 4; // smaller drags are clicks, not boxes

  function clamp(value, low, high) {
    return Math.min(high, Math.max(low, value));
  }

  /** The box spanned by two corners, clamped to the image; null when too small. */
  function boxFromCorners(a, b, width, height) {
    const x0 = clamp(Math.min(a.x, b.x), 0, width);
    const y0 = clamp(Math.min(a.y, b.y), 0, height);
    const x1 = clamp(Math.max(a.x, b.x), 0, width);
    const y1 = clamp(Math.max(a.y, b.y), 0, height);
    const box = { x: Math.round(x0), y: Math.round(y0), w: Math.round(x1 - x0), h: Math.round(y1 - y0) };
    return box.w >= MIN_SIZE && box.h >= MIN_SIZE ? box : null;
  }

  /** The keyboard frame at the image's centre: a fifth of its width, a tenth of its height. */
  function initialFrame(width, height) {
    const w = Math.max(MIN_SIZE, Math.round(width / 5));
    const h = Math.max(MIN_SIZE, Math.round(height / 10));
    return { x: Math.round((width - w) / 2), y: Math.round((height - h) / 2), w, h };
  }

  const DIRECTIONS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

  /** Arrow keys move the frame; with `resize` (Shift) they change its size. Null for other keys. */
  function stepFrame(frame, key, { resize = false, width, height }) {
    const direction = DIRECTIONS[key];
    if (!direction) return null;
    const step = Math.max(2, Math.round(width / 50));
    const [dx, dy] = direction.map((d) => d * step);
    if (resize) {
      const w = clamp(frame.w + dx, MIN_SIZE, width - frame.x);
      const h = clamp(frame.h + dy, MIN_SIZE, height - frame.y);
      return { ...frame, w, h };
    }
    return { ...frame, x: clamp(frame.x + dx, 0, width - frame.w), y: clamp(frame.y + dy, 0, height - frame.h) };
  }

  const api = { MIN_SIZE, boxFromCorners, initialFrame, stepFrame };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.OSR = globalThis.OSR || {}).reportBoxes = api;
})();
