"""Screenshots (E6, G4): a data URL in, a clean PNG out, or a 422 with the reason.

The format is what Pillow finds by decoding (PNG or JPEG), never the declared type.
Everything that costs time or memory is bounded before it is spent (issue 9): the
header's width, height, pixel count and shape are checked before any pixel is decoded;
a JPEG is decoded at a reduced scale (libjpeg's DCT scaling, Pillow's draft mode) when
the ticket needs fewer pixels; the result fits a box of SCREENSHOT_MAX_WIDTH ×
SCREENSHOT_MAX_HEIGHT (LANCZOS keeps UI text legible) and its PNG is at most
SCREENSHOT_MAX_BYTES. Re-encoding as PNG drops every piece of metadata (EXIF, text chunks).
"""
import base64
import binascii
import io
import math
import re
import zlib
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from server.i18n import t

DATA_URL = re.compile(r"^data:[\w.+-]+/[\w.+-]+(;[\w-]+=[\w.-]+)*;base64,", re.ASCII)
FORMATS = ("PNG", "JPEG")
# No screen is wider or taller than this, nor this much longer one way than the other
# (a 1920 × 20800 "screenshot" is a decoding-cost attack, not a screen).
MAX_SIDE = 10_000
MAX_ASPECT_RATIO = 8
# EXIF orientations that turn the picture a quarter: width and height swap.
_QUARTER_TURNS = (5, 6, 7, 8)
_ORIENTATION = 0x0112
# Each smaller re-encoding aims this far under the byte bound, so one more is rarely needed.
_SHRINK_MARGIN = 0.9
_MAX_ENCODINGS = 4
_SAMPLE_BANDS, _SAMPLE_ROWS = 16, 4


class ScreenshotError(ValueError):
    """The screenshot cannot be used; the message is in the request's language."""


@dataclass(frozen=True)
class ScreenshotBounds:
    """What a screenshot may cost: pixels decoded, and the size of the ticket's PNG."""

    max_pixels: int = 16_000_000
    max_width: int = 1920
    max_height: int = 1920
    max_bytes: int = 4 * 1024 * 1024


def bounds_from_config(config) -> ScreenshotBounds:
    return ScreenshotBounds(max_pixels=config["SCREENSHOT_MAX_PIXELS"],
                            max_width=config["SCREENSHOT_MAX_WIDTH"],
                            max_height=config["SCREENSHOT_MAX_HEIGHT"],
                            max_bytes=config["SCREENSHOT_MAX_BYTES"])


def decode_data_url(data_url: str) -> bytes:
    """The bytes of a base64 data URL; the media type it declares is ignored."""
    match = DATA_URL.match(data_url)
    if not match:
        raise ScreenshotError(t("screenshot_not_data_url"))
    try:
        return base64.b64decode(data_url[match.end():], validate=True)
    except (binascii.Error, ValueError) as error:
        raise ScreenshotError(t("screenshot_not_data_url")) from error


def open_bounded(raw: bytes, bounds: ScreenshotBounds) -> Image.Image:
    """Open (header only) as PNG or JPEG; refuse a size or shape no screen has, undecoded."""
    try:
        image = Image.open(io.BytesIO(raw), formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ScreenshotError(t("screenshot_too_many_pixels",
                                max_pixels=bounds.max_pixels)) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ScreenshotError(t("screenshot_not_image")) from error
    width, height = image.size
    if max(width, height) > MAX_ASPECT_RATIO * max(1, min(width, height)):
        raise ScreenshotError(t("screenshot_bad_shape", ratio=MAX_ASPECT_RATIO))
    if width * height > bounds.max_pixels:
        raise ScreenshotError(t("screenshot_too_many_pixels", max_pixels=bounds.max_pixels))
    if max(width, height) > MAX_SIDE:
        raise ScreenshotError(t("screenshot_too_long_side", max_side=MAX_SIDE))
    return image


def fitted_size(size, max_width: int, max_height: int) -> tuple[int, int]:
    """`size` shrunk (never enlarged) to fit max_width × max_height, aspect ratio kept."""
    width, height = size
    scale = min(1.0, max_width / width, max_height / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def load_pixels(image: Image.Image, bounds: ScreenshotBounds) -> Image.Image:
    """Decode the pixels (a JPEG only as many as the ticket needs); corrupt files fail here."""
    try:
        if image.format == "JPEG":
            width, height = bounds.max_width, bounds.max_height
            if image.getexif().get(_ORIENTATION) in _QUARTER_TURNS:
                width, height = height, width  # the box as the stored, unrotated pixels see it
            # libjpeg decodes at 1/2, 1/4 or 1/8 scale, never below the size asked for:
            # time and memory fall with the square of the scale.
            image.draft(image.mode, fitted_size(image.size, width, height))
        image.load()
        if image.format == "JPEG":
            image = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ScreenshotError(t("screenshot_truncated")) from error
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info
                              else "RGB")
    return image


def downscale(image: Image.Image, max_width: int, max_height: int) -> Image.Image:
    """Fit max_width × max_height, aspect ratio kept; LANCZOS after a cheap integer reduce."""
    size = fitted_size(image.size, max_width, max_height)
    if size == image.size:
        return image
    # reducing_gap: first shrink by the whole factor (a box filter averaging every pixel),
    # so LANCZOS runs on an image at most twice the result: a 25 Mpx image resizes about
    # 3x faster, and 2x HiDPI captures (an exact factor) are averaged exactly.
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=1.0)


def to_png(image: Image.Image) -> bytes:
    """A fresh PNG: only pixels, no metadata."""
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=6)
    return out.getvalue()


def bytes_per_pixel(image: Image.Image) -> float:
    """A quick guess of a PNG's bytes per pixel: a few bands of rows through fast zlib.

    Encoding noise costs about a second per 4 Mpx, so a PNG that could not fit is not
    encoded whole just to learn that (PNG's filters only make the real one smaller).
    """
    step = max(1, image.height // _SAMPLE_BANDS)
    pixels = packed = 0
    for top in range(0, image.height, step)[:_SAMPLE_BANDS]:
        band = image.crop((0, top, image.width, min(image.height, top + _SAMPLE_ROWS)))
        pixels += band.width * band.height
        packed += len(zlib.compress(band.tobytes(), 1))
    return packed / max(1, pixels)


def ticket_size(image: Image.Image, bounds: ScreenshotBounds) -> tuple[int, int]:
    """The size the ticket gets: inside the box, and small enough to be at most max_bytes."""
    width, height = fitted_size(image.size, bounds.max_width, bounds.max_height)
    predicted = width * height * bytes_per_pixel(image)
    if predicted <= bounds.max_bytes:
        return width, height
    return shrunk((width, height), predicted, bounds.max_bytes)


def shrunk(size, png_bytes: float, max_bytes: int) -> tuple[int, int]:
    """`size` made smaller so that a PNG of `png_bytes` would fit in `max_bytes`."""
    scale = _SHRINK_MARGIN * math.sqrt(max_bytes / png_bytes)
    return max(1, int(size[0] * scale)), max(1, int(size[1] * scale))


def to_bounded_png(image: Image.Image, max_bytes: int) -> bytes:
    """The PNG, smaller again should the guess have been short (noise hardly compresses)."""
    for _ in range(_MAX_ENCODINGS):
        png = to_png(image)
        if len(png) <= max_bytes:
            return png
        image = downscale(image, *shrunk(image.size, len(png), max_bytes))
    raise ScreenshotError(t("screenshot_too_many_bytes"))


def process_screenshot(data_url: str, bounds: ScreenshotBounds = ScreenshotBounds()) -> bytes:
    """The screenshot ready for the ticket: decoded, bounded, downscaled, re-encoded PNG."""
    image = load_pixels(open_bounded(decode_data_url(data_url), bounds), bounds)
    return to_bounded_png(downscale(image, *ticket_size(image, bounds)), bounds.max_bytes)
