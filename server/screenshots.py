"""Screenshots (E6, G4): a data URL in, a clean PNG out, or a 422 with the reason.

The format is what Pillow finds by decoding (PNG or JPEG), never the declared type. The
pixel count is bounded before the image is decoded (decompression bombs); HiDPI captures
are downscaled to at most SCREENSHOT_MAX_WIDTH px with LANCZOS, which keeps UI text
legible; re-encoding as PNG drops every piece of metadata (EXIF, text chunks).
"""
import base64
import binascii
import io
import re

from PIL import Image, ImageOps, UnidentifiedImageError

from server.i18n import t

DATA_URL = re.compile(r"^data:[\w.+-]+/[\w.+-]+(;[\w-]+=[\w.-]+)*;base64,", re.ASCII)
FORMATS = ("PNG", "JPEG")


class ScreenshotError(ValueError):
    """The screenshot cannot be used; the message is in the request's language."""


def decode_data_url(data_url: str) -> bytes:
    """The bytes of a base64 data URL; the media type it declares is ignored."""
    match = DATA_URL.match(data_url)
    if not match:
        raise ScreenshotError(t("screenshot_not_data_url"))
    try:
        return base64.b64decode(data_url[match.end():], validate=True)
    except (binascii.Error, ValueError) as error:
        raise ScreenshotError(t("screenshot_not_data_url")) from error


def open_bounded(raw: bytes, max_pixels: int) -> Image.Image:
    """Open (header only) as PNG or JPEG and refuse too many pixels before decoding them."""
    try:
        image = Image.open(io.BytesIO(raw), formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ScreenshotError(t("screenshot_too_many_pixels", max_pixels=max_pixels)) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ScreenshotError(t("screenshot_not_image")) from error
    if image.width * image.height > max_pixels:
        raise ScreenshotError(t("screenshot_too_many_pixels", max_pixels=max_pixels))
    return image


def load_pixels(image: Image.Image) -> Image.Image:
    """Decode every pixel; a truncated or corrupt file fails here."""
    try:
        image.load()
        if image.format == "JPEG":
            image = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ScreenshotError(t("screenshot_truncated")) from error
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info
                              else "RGB")
    return image


def downscale(image: Image.Image, max_width: int) -> Image.Image:
    """At most `max_width` pixels wide, aspect ratio kept."""
    if image.width <= max_width:
        return image
    height = max(1, round(image.height * max_width / image.width))
    return image.resize((max_width, height), Image.Resampling.LANCZOS)


def to_png(image: Image.Image) -> bytes:
    """A fresh PNG: only pixels, no metadata."""
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=6)
    return out.getvalue()


def process_screenshot(data_url: str, max_pixels: int, max_width: int) -> bytes:
    """The screenshot ready for the ticket: decoded, bounded, downscaled, re-encoded PNG."""
    image = open_bounded(decode_data_url(data_url), max_pixels)
    return to_png(downscale(load_pixels(image), max_width))
