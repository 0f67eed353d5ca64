"""Screenshots: decoded by content, bounded, downscaled for the ticket, stripped of metadata."""
import io

import pytest
from flask import Flask
from PIL import Image, PngImagePlugin

from server.screenshots import ScreenshotError, process_screenshot
from tests.server.images import SVG, data_url, image_bytes, png_header_only, truncated_png

MAX_PIXELS = 40_000_000


@pytest.fixture(autouse=True)
def english_request():
    with Flask(__name__).test_request_context(headers={"Accept-Language": "en"}):
        yield


def processed(url: str) -> Image.Image:
    return Image.open(io.BytesIO(process_screenshot(url, MAX_PIXELS, 1920)))


def test_full_hd_png_keeps_its_size():
    image = processed(data_url(image_bytes(1920, 1080)))
    assert (image.format, image.size) == ("PNG", (1920, 1080))


def test_hidpi_capture_is_downscaled_to_1920_wide_keeping_the_aspect_ratio():
    image = processed(data_url(image_bytes(2880, 1800)))
    assert image.size == (1920, 1200)


def test_downscaling_keeps_detail_legible():
    """Black text-like strokes on white survive LANCZOS as dark pixels, not a grey blur."""
    source = Image.new("RGB", (3840, 400), "white")
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
    raw = process_screenshot(data_url(out.getvalue()), MAX_PIXELS, 1920)
    assert b"Author" not in raw and b"GPS" not in raw
    assert Image.open(io.BytesIO(raw)).info.get("Author") is None


def test_jpeg_exif_is_stripped_and_the_result_is_png():
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"
    raw = process_screenshot(data_url(image_bytes(640, 480, "JPEG", exif=exif), "image/jpeg"),
                             MAX_PIXELS, 1920)
    assert raw.startswith(b"\x89PNG") and b"SecretCameraMaker" not in raw


def test_palette_and_transparent_images_become_rgb_or_rgba():
    out = io.BytesIO()
    Image.new("P", (32, 32), 3).save(out, format="PNG", transparency=3)
    assert processed(data_url(out.getvalue())).mode == "RGBA"


@pytest.mark.parametrize("url, says", [
    (data_url(SVG, "image/svg+xml"), "not a PNG or JPEG"),
    (data_url(image_bytes(16, 16, "BMP"), "image/png"), "not a PNG or JPEG"),
    (data_url(b""), "not a PNG or JPEG"),
    (data_url(truncated_png()), "damaged or incomplete"),
    (data_url(png_header_only(100_000, 100_000)), "too large"),  # Pillow's bomb error
    (data_url(png_header_only(10_000, 10_000)), "too large"),  # Pillow's bomb warning
    (data_url(png_header_only(8000, 6000)), "too large"),
    ("data:image/png,rawbytes", "base64 data URL"),
    ("data:image/png;base64,@@@@", "base64 data URL"),
])
def test_unusable_screenshots_are_refused(url, says):
    with pytest.raises(ScreenshotError, match=says):
        process_screenshot(url, MAX_PIXELS, 1920)
