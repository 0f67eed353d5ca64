"""Ticket size: real screenshots through the server's pipeline, ticket bytes against the capture.

Three screens, each taken by headless Debian Chromium at 1280×800 and 1920×1080 over the
Odoo 17 fixture page of a Validation Error (tests/fixtures/odoo/17.0/validation.html), with
its content filled in before the error appears: a sales list (UI only), a product kanban
with photographs, and a dashboard whose charts the page draws (SVG and canvas). The photos
are made here (smooth random fields, light and grain: many colours, like a camera's), never
downloaded. Each capture (PNG, as the extension's captureVisibleTab gives it) goes through
server.screenshots.process_screenshot and into a whole ticket (server/mail/message.py);
prints the capture, the codec chosen, the image and the ticket in KB, and the ratio of the
largest 1920×1080 ticket to the goal (400 KB). Writes docs/screenshot-crop.png: a 100 %
crop of each 1920×1080 capture beside the same crop of its ticket image.
Usage: .venv/bin/python bench/ticket_size.py [--crop docs/screenshot-crop.png]
"""
import base64
import io
import random
import sys
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import options  # noqa: E402
from server.mail.message import ticket_bytes  # noqa: E402
from server.screenshots import process_screenshot  # noqa: E402
from tests.fixture_server import FixtureServer  # noqa: E402
from tests.server.samples import ACME, MAIL_FROM, error_report  # noqa: E402

CHROMIUM = "/usr/lib/chromium/chromium"
GOAL_BYTES = 400 * 1024
VIEWPORTS = ((1280, 800), (1920, 1080))
ROUTE = "/odoo/sales/42"
# (left, top) of the 100 % crop per screen at 1920×1080: the dialog's text and what is beside.
CROP_SIZE = (640, 300)
LABEL_HEIGHT = 24
CROPS = {"list": (560, 40), "kanban": (400, 330), "dashboard": (300, 330)}

LIST_SCRIPT = """() => {
  const rows = [];
  const names = ["Acme Oy", "Gemini Furniture", "Deco Addict", "Ready Mat", "Wood Corner",
                 "Azure Interior", "Lumber Inc", "Matti Meikäläinen", "Jönsson & Co"];
  for (let i = 0; i < 40; i += 1) {
    const state = i % 3 ? "Quotation" : "Sales Order";
    rows.push(`<tr><td><input type="checkbox"></td><td>S${String(42 + i).padStart(5, "0")}</td>
      <td>${names[i % names.length]}</td><td>0${(i % 28) + 1}/11/2026 1${i % 10}:${10 + i}</td>
      <td>Mitchell Admin</td><td style="text-align:right">${(1234.5 * (i + 1)).toFixed(2)} €</td>
      <td><span style="padding:2px 8px;border-radius:10px;
      background:${i % 3 ? "#e9ecef" : "#d1e7dd"}">${state}</span></td></tr>`);
  }
  document.querySelector(".o_content").innerHTML = `<table style="width:100%;
    border-collapse:collapse;font-size:14px" class="o_list_table"><thead><tr
    style="text-align:left;border-bottom:2px solid #dee2e6"><th></th><th>Number</th>
    <th>Customer</th><th>Order Date</th><th>Salesperson</th>
    <th style="text-align:right">Total</th><th>Status</th></tr></thead><tbody>${rows.join("")}
    </tbody></table><style>.o_list_table td{padding:6px 8px;border-bottom:1px solid #eee}</style>`;
}"""

KANBAN_SCRIPT = """(photos) => {
  const cards = photos.map((photo, i) => `<div style="display:flex;gap:10px;width:300px;
      background:#fff;border:1px solid #dee2e6;padding:8px"><img src="${photo}" width="120"
      height="120" style="object-fit:cover"><div><b>Product ${i + 1}: Office Chair ${i * 7}</b>
      <div>[FURN_${8800 + i}]</div><div>Price: ${(99 + i * 13.5).toFixed(2)} €</div>
      <div style="color:#6c757d">On hand: ${i * 3} Units</div></div></div>`);
  document.querySelector(".o_content").innerHTML =
    `<div style="display:flex;flex-wrap:wrap;gap:12px">${cards.join("")}</div>`;
}"""

DASHBOARD_SCRIPT = """() => {
  const content = document.querySelector(".o_content");
  const points = (n, seed) => Array.from({length: n}, (_, i) =>
    60 + 40 * Math.sin(i / 3 + seed) + 25 * Math.cos(i / 1.7 + seed * 2));
  const line = (values, color) => values.map((v, i) =>
    `${i ? "L" : "M"}${20 + i * 14},${220 - v}`).join(" ");
  const svg = (seed) => `<svg width="560" height="240" style="background:#fff;border:1px solid
    #dee2e6"><g stroke="#eee">${[40, 80, 120, 160, 200].map((y) =>
    `<line x1="20" x2="550" y1="${y}" y2="${y}"/>`).join("")}</g>
    <path d="${line(points(38, seed), 0)}" fill="none" stroke="#714B67" stroke-width="2"/>
    <path d="${line(points(38, seed + 1), 0)}" fill="none" stroke="#017e84" stroke-width="2"/>
    ${points(12, seed + 2).map((v, i) => `<rect x="${30 + i * 44}" y="${230 - v / 2}"
      width="24" height="${v / 2}" fill="#e6a23c" opacity=".6"/>`).join("")}
    <text x="24" y="20" font-size="13">Revenue by month (k€), ${2024 + seed}</text></svg>`;
  content.innerHTML = `<div style="display:flex;flex-wrap:wrap;gap:16px">${[0, 1, 2].map(svg)
    .join("")}<canvas id="pie" width="560" height="240" style="background:#fff"></canvas>
    <canvas id="area" width="560" height="240" style="background:#fff"></canvas></div>`;
  const pie = document.getElementById("pie").getContext("2d");
  const colors = ["#714B67", "#017e84", "#e6a23c", "#d9534f", "#5bc0de", "#6c757d"];
  let start = 0;
  [30, 22, 18, 14, 10, 6].forEach((share, i) => {
    const gradient = pie.createRadialGradient(120, 120, 10, 120, 120, 100);
    gradient.addColorStop(0, "#fff");
    gradient.addColorStop(1, colors[i]);
    pie.fillStyle = gradient;
    pie.beginPath();
    pie.moveTo(120, 120);
    pie.arc(120, 120, 100, start, start + share / 100 * 2 * Math.PI);
    pie.fill();
    start += share / 100 * 2 * Math.PI;
    pie.fillStyle = colors[i];
    pie.fillRect(260, 30 + i * 30, 16, 16);
    pie.fillStyle = "#212529";
    pie.font = "14px sans-serif";
    pie.fillText(`Team ${i + 1}: ${share} %`, 284, 43 + i * 30);
  });
  const area = document.getElementById("area").getContext("2d");
  const fill = area.createLinearGradient(0, 0, 0, 240);
  fill.addColorStop(0, "rgba(113, 75, 103, .8)");
  fill.addColorStop(1, "rgba(113, 75, 103, .05)");
  area.fillStyle = fill;
  area.beginPath();
  area.moveTo(10, 230);
  points(60, 5).forEach((v, i) => area.lineTo(10 + i * 9, 230 - v * 1.2));
  area.lineTo(541, 230);
  area.fill();
}"""

SCREENS = {"list": LIST_SCRIPT, "kanban": KANBAN_SCRIPT, "dashboard": DASHBOARD_SCRIPT}


def synthetic_photo(seed, size=240):
    """A photograph's statistics without a photograph: smooth colour fields, light, grain."""
    rng = random.Random(seed)  # the same photos each run: the crops in docs/ stay put

    def noise(side):
        return Image.frombytes("L", (side, side), rng.randbytes(side * side))

    layers = []
    for _band in range(3):
        field = Image.new("L", (size, size), 128)
        for scale in (8, 24, 60):  # coarse shapes, then detail
            coarse = noise(size // scale + 2).resize((size, size), Image.Resampling.BICUBIC)
            field = Image.blend(field, coarse, 0.45)
        layers.append(field.filter(ImageFilter.GaussianBlur(rng.uniform(1, 3))))
    photo = Image.merge("RGB", layers)
    light = Image.radial_gradient("L").resize((size, size)).point(lambda v: 255 - v // 2)
    photo = Image.composite(photo, Image.new("RGB", photo.size, (30, 25, 20)), light)
    draw = ImageDraw.Draw(photo)
    for _shape in range(3):  # an object or two in the scene
        x, y, r = rng.randrange(size), rng.randrange(size), rng.randrange(20, 70)
        colour = tuple(rng.randrange(40, 220) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    photo = photo.filter(ImageFilter.GaussianBlur(1.2))
    grain = noise(size).point(lambda value: 128 + (value - 128) // 6).convert("RGB")  # σ ≈ 12
    photo = Image.blend(photo, grain, 0.12)
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=85)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def capture(browser, site, screen, viewport, photos):
    """The PNG the browser shows once the screen is filled and the error dialog is up."""
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    try:
        page.goto(site.url(ROUTE))
        page.wait_for_selector(".modal .modal-footer button")
        if screen == "kanban":
            page.evaluate(SCREENS[screen], photos)
        else:
            page.evaluate(SCREENS[screen])
        page.evaluate("() => new Promise((done) => requestAnimationFrame(() => "
                      "requestAnimationFrame(done)))")  # painted
        return page.screenshot(type="png")
    finally:
        page.close()


def ticket_size(image):
    """Bytes of the whole ticket as the spool stores it, with `image` inline."""
    report = error_report(screenshot_image=image)
    return len(ticket_bytes(ACME, report, report_id="01m8fd9bng7gyhkvb9pydwdty3",
                            reference="OSR-7K2Q9", created_at=datetime(2026, 11, 30, tzinfo=UTC),
                            mail_from=MAIL_FROM))


def codec_of(image):
    with Image.open(io.BytesIO(image)) as opened:
        return f"{opened.format} {opened.mode}" + (
            f" {len(opened.getpalette()) // 3} colours" if opened.mode == "P" else "")


def crop_beside(raw, image, left_top):
    """The same 100 % crop of the capture (left) and of the ticket's image (right), labelled."""
    box = (*left_top, left_top[0] + CROP_SIZE[0], left_top[1] + CROP_SIZE[1])
    pair = Image.new("RGB", (2 * CROP_SIZE[0] + 8, CROP_SIZE[1] + LABEL_HEIGHT), "white")
    draw = ImageDraw.Draw(pair)
    for column, data in enumerate((raw, image)):
        with Image.open(io.BytesIO(data)) as opened:
            pair.paste(opened.convert("RGB").crop(box), (column * (CROP_SIZE[0] + 8),
                                                          LABEL_HEIGHT))
            label = (f"{'capture' if column == 0 else 'ticket'}: {opened.format}"
                     f"{' palette' if opened.mode == 'P' else ''}, {len(data) // 1024} KB")
        draw.text((column * (CROP_SIZE[0] + 8) + 4, 4), label, fill="black",
                  font=ImageFont.load_default(size=14))
    return pair


def main(argv=None):
    args = options(__doc__, argv, crop=ROOT / "docs" / "screenshot-crop.png")
    from playwright.sync_api import sync_playwright

    photos = [synthetic_photo(seed) for seed in range(24)]
    site = FixtureServer().start()
    site.use("odoo/17.0/validation.html")
    rows, crops = [], []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])
            try:
                for screen in SCREENS:
                    for viewport in VIEWPORTS:
                        raw = capture(browser, site, screen, viewport, photos)
                        url = "data:image/png;base64," + base64.b64encode(raw).decode("ascii")
                        image = process_screenshot(url)
                        rows.append((screen, viewport, len(raw), codec_of(image), len(image),
                                     ticket_size(image)))
                        if viewport == (1920, 1080):
                            crops.append(crop_beside(raw, image, CROPS[screen]))
            finally:
                browser.close()
    finally:
        site.stop()
    print(f"{'screen':<10} {'viewport':<10} {'capture KB':>10}  {'ticket image':<28} "
          f"{'image KB':>8} {'ticket KB':>9}")
    for screen, (width, height), raw, codec, image, ticket in rows:
        print(f"{screen:<10} {f'{width}×{height}':<10} {raw / 1024:>10.0f}  {codec:<28} "
              f"{image / 1024:>8.0f} {ticket / 1024:>9.0f}")
    largest = max(ticket for _, viewport, *_, ticket in rows if viewport == (1920, 1080))
    print(f"largest 1920×1080 ticket / goal ({GOAL_BYTES // 1024} KB): x{largest / GOAL_BYTES:.2f}")
    sheet = Image.new("RGB", (crops[0].width, sum(crop.height + 8 for crop in crops)), "white")
    for index, crop in enumerate(crops):
        sheet.paste(crop, (0, index * (crop.height + 8)))
    sheet.save(args.crop, optimize=True)
    print(f"100 % crops (capture left, ticket right): {args.crop}")
    return 0 if largest <= GOAL_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
