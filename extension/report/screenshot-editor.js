// The screenshot preview where the user blacks out regions with opaque boxes
// (blur can be reversed; black cannot). Mouse: drag. Keyboard: a frame moved by
// the arrows, resized with Shift+arrows, Enter/Space blacks it out, Ctrl+Z undoes.
// Boxes live in image pixels; export() draws image + boxes only, never the frame.
import { reportBoxes } from "../lib.js";

const { boxFromCorners, initialFrame, stepFrame } = reportBoxes;

export class ScreenshotEditor {
  constructor(canvas, { onChange = () => {} } = {}) {
    this.canvas = canvas;
    this.context = canvas.getContext("2d");
    this.onChange = onChange;
    this.image = null;
    this.boxes = [];
    this.drag = null;
    this.frame = null;
    this.listen();
  }

  /** Show `dataUrl`; resolves once the image is drawn. */
  load(dataUrl) {
    return new Promise((resolve, reject) => {
      const image = new Image();
      image.onload = () => {
        this.image = image;
        this.canvas.width = image.naturalWidth;
        this.canvas.height = image.naturalHeight;
        this.boxes = [];
        this.frame = initialFrame(image.naturalWidth, image.naturalHeight);
        this.render();
        resolve();
      };
      image.onerror = () => reject(new Error("screenshot could not be decoded"));
      image.src = dataUrl;
    });
  }

  addBox(box) {
    if (!box) return;
    this.boxes.push(box);
    this.render();
    this.onChange(this.boxes.length);
  }

  undo() {
    this.boxes.pop();
    this.render();
    this.onChange(this.boxes.length);
  }

  clear() {
    this.boxes = [];
    this.render();
    this.onChange(0);
  }

  /** The edited image as a PNG data URL: the screenshot with its black boxes, nothing else. */
  export() {
    if (!this.image) return null;
    const out = document.createElement("canvas");
    out.width = this.image.naturalWidth;
    out.height = this.image.naturalHeight;
    drawImageWithBoxes(out.getContext("2d"), this.image, this.boxes);
    return out.toDataURL("image/png");
  }

  render() {
    if (!this.image) return;
    drawImageWithBoxes(this.context, this.image, this.boxes);
    if (this.drag && this.drag.current) {
      const box = boxFromCorners(this.drag.start, this.drag.current, this.canvas.width, this.canvas.height);
      if (box) drawImageWithBoxes(this.context, null, [box]);
    }
    if (document.activeElement === this.canvas && !this.drag) this.drawFrame();
  }

  drawFrame() {
    const { x, y, w, h } = this.frame;
    const line = Math.max(2, Math.round(this.canvas.width / 400));
    this.context.save();
    this.context.lineWidth = line;
    this.context.setLineDash([line * 4, line * 3]);
    this.context.strokeStyle = "#ffbf00";
    this.context.strokeRect(x, y, w, h);
    this.context.strokeStyle = "#1a1a1a";
    this.context.lineDashOffset = line * 4;
    this.context.strokeRect(x, y, w, h);
    this.context.restore();
  }

  imagePoint(event) {
    const rect = this.canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) * this.canvas.width) / rect.width,
      y: ((event.clientY - rect.top) * this.canvas.height) / rect.height,
    };
  }

  listen() {
    const canvas = this.canvas;
    canvas.addEventListener("pointerdown", (event) => {
      if (!this.image || event.button !== 0) return;
      canvas.setPointerCapture(event.pointerId);
      this.drag = { start: this.imagePoint(event), current: null };
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!this.drag) return;
      this.drag.current = this.imagePoint(event);
      this.render();
    });
    const finish = (event) => {
      if (!this.drag) return;
      const box = boxFromCorners(this.drag.start, this.imagePoint(event), canvas.width, canvas.height);
      this.drag = null;
      if (box) this.addBox(box);
      else this.render();
    };
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", () => {
      this.drag = null;
      this.render();
    });
    canvas.addEventListener("keydown", (event) => this.onKey(event));
    canvas.addEventListener("focus", () => this.render());
    canvas.addEventListener("blur", () => this.render());
  }

  onKey(event) {
    if (!this.image) return;
    if ((event.key === "z" || event.key === "Z") && (event.ctrlKey || event.metaKey)) {
      this.undo();
    } else if (event.key === "Enter" || event.key === " ") {
      this.addBox({ ...this.frame });
    } else {
      const moved = stepFrame(this.frame, event.key, { resize: event.shiftKey, width: this.canvas.width, height: this.canvas.height });
      if (!moved) return;
      this.frame = moved;
      this.render();
    }
    event.preventDefault();
  }
}

function drawImageWithBoxes(context, image, boxes) {
  if (image) context.drawImage(image, 0, 0);
  context.fillStyle = "#000000"; // opaque: nothing of what is under a box survives
  for (const { x, y, w, h } of boxes) context.fillRect(x, y, w, h);
}
