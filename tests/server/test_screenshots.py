"""Screenshots: decoded by content, bounded, downscaled for the ticket, stripped of metadata."""
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from flask import Flask
from PIL import Image, ImageChops, ImageStat, PngImagePlugin

from server.screenshots import (
    ScreenshotBounds,
    ScreenshotError,
    load_pixels,
    open_bounded,
    process_screenshot,
)
from tests.conftest import ROOT
from tests.server.images import (
    SVG,
    data_url,
    image_bytes,
    noise_bytes,
    photo_screen,
    png_header_only,
    rotated_jpeg,
    smooth_screen,
    truncated_png,
    ui_screen,
)
from tests.server.outbox_harness import DEMO_AUTH
from tests.server.samples import report_body

BOUNDS = ScreenshotBounds()  # the defaults: 16 Mpx declared, 1920 × 1920, 4 MiB


@pytest.fixture(autouse=True)
def english_request():
    with Flask(__name__).test_request_context(headers={"Accept-Language": "en"}):
        yield


def processed(url: str) -> Image.Image:
    return Image.open(io.BytesIO(process_screenshot(url, BOUNDS)))


def test_full_hd_png_keeps_its_size():
    image = processed(data_url(image_bytes(1920, 1080)))
    assert (image.format, image.size) == ("PNG", (1920, 1080))


def test_hidpi_capture_is_downscaled_to_1920_wide_keeping_the_aspect_ratio():
    image = processed(data_url(image_bytes(2880, 1800)))
    assert image.size == (1920, 1200)


def test_downscaling_keeps_detail_legible():
    """Black text-like strokes on white survive LANCZOS as dark pixels, not a grey blur."""
    source = Image.new("RGB", (3840, 600), "white")
    for x in range(0, 3840, 40):
        source.paste((0, 0, 0), (x, 100, x + 6, 300))
    out = io.BytesIO()
    source.save(out, format="PNG")
    image = processed(data_url(out.getvalue())).convert("L")
    row = [image.getpixel((x, 100)) for x in range(0, 40)]
    assert min(row) < 80 and max(row) > 200


def test_metadata_is_stripped():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Maija Meikäläinen, GPS 60.17N 24.94E")
    out = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(out, format="PNG", pnginfo=info)
    raw = process_screenshot(data_url(out.getvalue()), BOUNDS)
    assert b"Author" not in raw and b"GPS" not in raw
    assert Image.open(io.BytesIO(raw)).info.get("Author") is None


def test_jpeg_exif_is_stripped_and_the_result_is_png():
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"
    raw = process_screenshot(data_url(image_bytes(640, 480, "JPEG", exif=exif), "image/jpeg"),
                             BOUNDS)
    assert raw.startswith(b"\x89PNG") and b"SecretCameraMaker" not in raw


def test_transparency_is_kept_and_an_opaque_alpha_channel_dropped():
    """Transparent pixels stay transparent (RGBA PNG); an alpha channel that is all opaque
    (many captures) is dropped, so the screen may take a palette (issue 13)."""
    see_through = Image.new("RGBA", (32, 32), (200, 30, 30, 255))
    see_through.paste((0, 0, 0, 0), (0, 0, 16, 32))
    opaque = Image.new("RGBA", (32, 32), (200, 30, 30, 255))
    results = []
    for source in (see_through, opaque):
        out = io.BytesIO()
        source.save(out, format="PNG")
        results.append(processed(data_url(out.getvalue())))
    assert results[0].mode == "RGBA" and results[0].getpixel((0, 0))[3] == 0
    assert results[1].mode == "P" and results[1].convert("RGB").getpixel((0, 0)) == (200, 30, 30)


@pytest.mark.parametrize("url, says", [
    (data_url(SVG, "image/svg+xml"), "not a PNG or JPEG"),
    (data_url(image_bytes(16, 16, "BMP"), "image/png"), "not a PNG or JPEG"),
    (data_url(b""), "not a PNG or JPEG"),
    (data_url(truncated_png()), "damaged or incomplete"),
    (data_url(png_header_only(100_000, 100_000)), "too large"),  # Pillow's bomb error
    (data_url(png_header_only(10_000, 10_000)), "too large"),  # Pillow's bomb warning
    (data_url(png_header_only(8000, 6000)), "too large"),
    (data_url(png_header_only(4001, 4000)), "at most 16000000 pixels"),
    (data_url(png_header_only(10_001, 1300)), "at most 10000 pixels wide or high"),
    # Issue 9: 1920 × 20800 of noise took 30 s and 1.33 GB; now refused from its header.
    (data_url(png_header_only(1920, 20800)), "shape of a screen"),
    (data_url(png_header_only(20800, 1920)), "shape of a screen"),
    (data_url(png_header_only(1, 9)), "shape of a screen"),
    ("data:image/png,rawbytes", "base64 data URL"),
    ("data:image/png;base64,@@@@", "base64 data URL"),
])
def test_unusable_screenshots_are_refused(url, says):
    with pytest.raises(ScreenshotError, match=says):
        process_screenshot(url, BOUNDS)


# Issue 13: the codec per screen, and a 1920 × 1080 ticket image within 400 KB of ticket.
@pytest.mark.parametrize("screen, codec", [
    (ui_screen, ("PNG", "P")),
    (photo_screen, ("JPEG", "RGB")),
    (smooth_screen, ("PNG", "RGB")),
], ids=["user interface: palette PNG", "photographs dominate: JPEG",
        "gradients: PNG of every colour"])
def test_each_screen_gets_its_codec(screen, codec):
    raw = screen()
    encoded = process_screenshot(data_url(raw), BOUNDS)
    image = Image.open(io.BytesIO(encoded))
    assert (image.format, image.mode, image.size) == (*codec, (1920, 1080))
    # Close to what was sent: a palette moves few pixels, a JPEG of quality 90 each a little.
    difference = ImageChops.difference(Image.open(io.BytesIO(raw)).convert("RGB"),
                                       image.convert("RGB"))
    assert max(ImageStat.Stat(difference).mean) < 2.5
    if codec != ("PNG", "RGB"):
        assert len(encoded) <= 290 * 1024  # with base64 and the rest, a ticket under 400 KB


def test_a_palette_keeps_the_text_and_background_colours_exactly():
    """The palette is the screen's own most frequent colours: text and background exact."""
    image = processed(data_url(ui_screen())).convert("RGB")
    colours = {colour for _count, colour in image.getcolors(1 << 16)}
    assert {(248, 249, 250), (33, 37, 41), (113, 75, 103), (255, 255, 255)} <= colours


# Issue 9: what each kind of screenshot becomes: the size in the ticket, or the refusal.
# (name, image bytes, expected PNG size or the 422's words)
CASES = [
    ("full HD PNG", lambda: image_bytes(1920, 1080), (1920, 1080)),
    ("HiDPI PNG", lambda: image_bytes(2880, 1800), (1920, 1200)),
    ("4K JPEG, decoded at half scale", lambda: image_bytes(3840, 2160, "JPEG"), (1920, 1080)),
    ("portrait PNG", lambda: image_bytes(1080, 2400), (864, 1920)),
    ("tall JPEG at the shape limit", lambda: image_bytes(1000, 8000, "JPEG"), (240, 1920)),
    ("EXIF-rotated JPEG", lambda: rotated_jpeg(1000, 600, 6), (600, 1000)),
    ("1 × 1 PNG", lambda: image_bytes(1, 1), (1, 1)),
    ("noise JPEG of 16 Mpx", lambda: noise_bytes(4000, 4000, quality=30), "bounded"),
    ("noise PNG 1920 × 1920", lambda: noise_bytes(1920, 1920, "PNG", compress_level=1),
     "bounded"),
    ("noise JPEG 1920 × 20800 (issue 9)", lambda: noise_bytes(1920, 20800, quality=10),
     "shape of a screen"),
    ("PNG declaring 20 Mpx", lambda: png_header_only(5000, 4000), "at most 16000000 pixels"),
]


@pytest.mark.parametrize("raw, expected", [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_each_screenshot_is_bounded_or_refused(raw, expected):
    url = data_url(raw())
    if isinstance(expected, str) and expected != "bounded":
        with pytest.raises(ScreenshotError, match=expected):
            process_screenshot(url, BOUNDS)
        return
    encoded = process_screenshot(url, BOUNDS)
    image = Image.open(io.BytesIO(encoded))
    assert image.format in ("PNG", "JPEG") and len(encoded) <= BOUNDS.max_bytes
    assert image.width <= BOUNDS.max_width and image.height <= BOUNDS.max_height
    if expected != "bounded":
        assert image.size == expected


def test_a_large_jpeg_is_decoded_at_reduced_scale():
    """Draft mode: libjpeg decodes a 4K capture straight at 1920 × 1080 (a quarter of the
    pixels, time and memory), rotated captures included."""
    for raw, decoded in [(image_bytes(3840, 2160, "JPEG"), (1920, 1080)),
                         (rotated_jpeg(3840, 2160, 6), (1080, 1920)),
                         (image_bytes(1600, 1200, "JPEG"), (1600, 1200))]:
        assert load_pixels(open_bounded(raw, BOUNDS), BOUNDS).size == decoded


def test_an_image_over_the_byte_bound_is_made_smaller_until_it_fits():
    bounds = ScreenshotBounds(max_bytes=300_000)
    encoded = process_screenshot(data_url(noise_bytes(1200, 900, "PNG", compress_level=1)),
                                 bounds)
    image = Image.open(io.BytesIO(encoded))
    assert len(encoded) <= 300_000 and image.width < 1200
    assert abs(image.width / image.height - 1200 / 900) < 0.01  # the shape is kept


MEASURE = """
import json, re, sys, time
from server.screenshots import ScreenshotError, process_screenshot
with open(sys.argv[1]) as source:
    url = source.read()
started = time.monotonic()
try:
    outcome, size = "encoded", len(process_screenshot(url))
except ScreenshotError as error:
    outcome, size = str(error), 0
# VmHWM: this process's own peak (getrusage's ru_maxrss keeps the parent's across exec).
with open("/proc/self/status") as status:
    peak_kb = int(re.search(r"VmHWM:\\s+(\\d+) kB", status.read()).group(1))
print(json.dumps({"seconds": time.monotonic() - started, "outcome": outcome, "bytes": size,
                  "peak_mb": peak_kb / 1024}))
"""


@pytest.mark.slow
@pytest.mark.parametrize("name, raw, seconds", [
    ("noise JPEG 1920 x 20800 (issue 9)", lambda: noise_bytes(1920, 20800, quality=10), 2.0),
    ("PNG bomb 100000 x 100000", lambda: png_header_only(100_000, 100_000), 2.0),
    ("noise JPEG 4000 x 4000", lambda: noise_bytes(4000, 4000, quality=30), 5.0),
    ("noise JPEG 1000 x 8000", lambda: noise_bytes(1000, 8000, quality=30), 5.0),
    ("noise PNG 1920 x 1920", lambda: noise_bytes(1920, 1920, "PNG", compress_level=1), 5.0),
    ("gradient PNG 4000 x 4000", lambda: image_bytes(4000, 4000), 5.0),
])
def test_the_worst_screenshots_cost_bounded_time_and_under_300_mb(name, raw, seconds, tmp_path,
                                                                   record_property):
    """Issue 9's bounds, measured in a fresh process: its whole peak RSS, Python included.

    The issue's case must answer within 2 s; the largest inputs allowed get a looser time
    bound on this shared 2-core machine (their numbers are recorded)."""
    source = raw()
    url_file = tmp_path / "screenshot.url"
    url_file.write_text(data_url(source, "image/jpeg"))
    run = subprocess.run([sys.executable, "-c", MEASURE, str(url_file)], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    measured = json.loads(run.stdout)
    record_property("measurement", f"{name} ({len(source) / 1e6:.2f} MB): "
                    f"{measured['seconds']:.2f} s, peak RSS {measured['peak_mb']:.0f} MB, "
                    f"{measured['outcome']} {measured['bytes'] / 1e6:.2f} MB")
    assert measured["peak_mb"] < 300
    assert measured["seconds"] < seconds
    assert measured["bytes"] <= ScreenshotBounds().max_bytes


def peak_rss_mb(pid):
    """A process's own peak resident memory (VmHWM) in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def server_pids(root_pid):
    """The gunicorn master and its workers."""
    children = Path(f"/proc/{root_pid}/task/{root_pid}/children").read_text().split()
    return [root_pid, *map(int, children)]


@pytest.mark.slow
def test_the_issue_s_noise_jpeg_is_answered_fast_by_a_real_server(server_process,
                                                                  record_property):
    """Issue 9's case through HTTP: 1920 × 20800 of JPEG noise, then the largest allowed one."""
    server = server_process(env={"SUPPORT_REPORTER_MAIL_URL": "memory://",
                                 "SUPPORT_REPORTER_WORKERS": "1"})
    headers = {**DEMO_AUTH, "Accept-Language": "fi"}
    answers = []
    # The issue's case must answer within 2 s; the largest allowed noise JPEG (decoded,
    # encoded, mailed into the spool with fsync) gets a looser bound on this shared machine.
    for name, raw, status, bound in [
            ("1920 x 20800 noise JPEG", noise_bytes(1920, 20800, quality=10), 422, 2.0),
            ("4000 x 4000 noise JPEG", noise_bytes(4000, 4000, quality=30), 202, 5.0)]:
        started = time.monotonic()
        response = requests.post(server.url + "/api/v1/reports", headers=headers, timeout=30,
                                 json=report_body(screenshot=data_url(raw, "image/jpeg")))
        seconds = time.monotonic() - started
        answers.append(f"{name} ({len(raw) / 1e6:.1f} MB): {response.status_code} "
                       f"in {seconds:.2f} s")
        assert response.status_code == status, response.text
        assert seconds < bound
    refused = requests.post(server.url + "/api/v1/reports", headers=headers, timeout=30,
                            json=report_body(screenshot=data_url(
                                noise_bytes(1920, 20800, quality=10), "image/jpeg"))).json()
    assert refused["error"]["fields"]["screenshot"] == [
        "Kuvakaappaus ei ole näytön muotoinen (toinen sivu on yli 8 kertaa toista pidempi)."]
    peak = max(peak_rss_mb(pid) for pid in server_pids(server.proc.pid))
    record_property("measurement", "; ".join(answers) + f"; server peak RSS {peak:.0f} MB")
    assert peak < 300
