"""Screenshots (E6, G4): a data URL in, a clean PNG or JPEG out, or a 422 with the reason.

The format is what Pillow finds by decoding (PNG or JPEG), never the declared type.
Everything that costs time or memory is bounded before it is spent (issue 9): the
header's width, height, pixel count and shape are checked before any pixel is decoded;
a JPEG is decoded at a reduced scale (libjpeg's DCT scaling, Pillow's draft mode) when
the ticket needs fewer pixels; the result fits a box of SCREENSHOT_MAX_WIDTH ×
SCREENSHOT_MAX_HEIGHT (LANCZOS keeps UI text legible) and is at most SCREENSHOT_MAX_BYTES.
Re-encoding drops every piece of metadata (EXIF, text chunks).

The codec is chosen per image (issue 13: a ticket of a 1920 × 1080 screen in ≤ 400 KB,
its text still crisp; WebP is not shown by every mail client): a screen of user interface,
whose pixels nearly all take a few hundred colours, becomes a palette PNG of its own most
frequent colours (text keeps its exact pixels); a screen where photographs dominate
becomes a high-quality JPEG; anything else (gradients, transparency) a plain PNG.
"""
import base64
import binascii
import functools
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
# A palette PNG when 256 colour cells cover this share of the pixels (the rest, antialiasing,
# take the nearest); counting stops beyond PALETTE_SOURCE_COLOURS (bounded work).
PALETTE_COVERAGE = 0.95
PALETTE_SOURCE_COLOURS = 16_384
_CELL_MASK = 0xFC
_CELL_LUT = [value & _CELL_MASK for value in range(256)] * 3
# A JPEG when this share of the screen is photographic: a tile of 32 × 32 pixels, on a copy
# at most PHOTO_SAMPLE_WIDTH wide, with more than 256 colours (UI text and charts have fewer).
PHOTO_SHARE = 0.15
PHOTO_SAMPLE_WIDTH = 960
_TILE = 32
_PHOTO_TILE_COLOURS = 256
# High quality; chroma at half resolution (4:2:0): text is drawn in luma, which stays whole.
JPEG_QUALITY = 90


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


def colour_cells(image: Image.Image) -> list[tuple[int, tuple, tuple]] | None:
    """The image's colours by cell of 6 bits a channel: (pixels, cell, its most frequent
    colour), most pixels first; None when it has more than PALETTE_SOURCE_COLOURS colours.

    Pillow maps pixels to a given palette through a cache of such cells, so two colours
    of one cell cannot both be exact: each cell is shown by its most frequent colour.
    """
    colours = image.getcolors(PALETTE_SOURCE_COLOURS)
    if colours is None:
        return None
    cells = {}
    for count, colour in colours:
        cell = tuple(value & _CELL_MASK for value in colour)
        pixels, top, top_count = cells.get(cell, (0, colour, 0))
        cells[cell] = (pixels + count, colour if count > top_count else top,
                       max(count, top_count))
    return sorted(((pixels, cell, top) for cell, (pixels, top, _) in cells.items()),
                  reverse=True)


def has_few_colours(cells, pixels: int) -> bool:
    """Do the 256 most frequent cells cover nearly every pixel (a screen of UI)?"""
    return cells is not None and sum(count for count, *_ in cells[:256]) >= (
        PALETTE_COVERAGE * pixels)


def to_palette_png(image: Image.Image, cells) -> bytes:
    """A PNG of 256 colours: each of the top cells shown by its own most frequent colour
    (text and backgrounds exact), any other pixel by the nearest of them."""
    cells = cells[:256]
    index = Image.new("P", (1, 1))
    index.putpalette([value for _pixels, cell, _colour in cells for value in cell])
    # Pixels moved onto their cell's corner find their own cell's entry, never a neighbour's.
    quantized = image.point(_CELL_LUT).quantize(palette=index, dither=Image.Dither.NONE)
    quantized.putpalette([value for _pixels, _cell, colour in cells for value in colour])
    return to_png(quantized)


def to_jpeg(image: Image.Image) -> bytes:
    """A fresh baseline JPEG: only pixels, no EXIF."""
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=JPEG_QUALITY, subsampling=2, optimize=True)
    return out.getvalue()


def photographic_share(image: Image.Image) -> float:
    """The share of 32 × 32 tiles (of a copy at most 960 wide) with photographs' colour count."""
    sample = image.reduce(max(1, math.ceil(image.width / PHOTO_SAMPLE_WIDTH)))
    tiles = photographic = 0
    for top in range(0, sample.height - _TILE + 1, _TILE):
        for left in range(0, sample.width - _TILE + 1, _TILE):
            tiles += 1
            tile = sample.crop((left, top, left + _TILE, top + _TILE))
            photographic += tile.getcolors(_PHOTO_TILE_COLOURS) is None
    return photographic / tiles if tiles else 0.0


def encoder_for(image: Image.Image):
    """The palette PNG for UI, JPEG where photographs dominate, else a PNG of every colour."""
    if image.mode != "RGB":
        return to_png  # transparency: JPEG has none, and the palette's would need its own
    cells = colour_cells(image)
    if has_few_colours(cells, image.width * image.height):
        return functools.partial(to_palette_png, cells=cells)
    if photographic_share(image) >= PHOTO_SHARE:
        return to_jpeg
    return to_png


def without_opaque_alpha(image: Image.Image) -> Image.Image:
    """RGB when every pixel is opaque (many captures carry an alpha channel all 255)."""
    if image.mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        return image.convert("RGB")
    return image


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


def png_size_within(image: Image.Image, max_bytes: int) -> tuple[int, int]:
    """The image's size, or smaller when its PNG would not fit in max_bytes."""
    predicted = image.width * image.height * bytes_per_pixel(image)
    if predicted <= max_bytes:
        return image.size
    return shrunk(image.size, predicted, max_bytes)


def shrunk(size, encoded_bytes: float, max_bytes: int) -> tuple[int, int]:
    """`size` made smaller so that an image of `encoded_bytes` would fit in `max_bytes`."""
    scale = _SHRINK_MARGIN * math.sqrt(max_bytes / encoded_bytes)
    return max(1, int(size[0] * scale)), max(1, int(size[1] * scale))


def encoded_within(image: Image.Image, max_bytes: int, encode) -> bytes:
    """The encoded image, smaller again should it not fit (noise hardly compresses)."""
    for _ in range(_MAX_ENCODINGS):
        data = encode(image)
        if len(data) <= max_bytes:
            return data
        image = downscale(image, *shrunk(image.size, len(data), max_bytes))
    raise ScreenshotError(t("screenshot_too_many_bytes"))


def process_screenshot(data_url: str, bounds: ScreenshotBounds = ScreenshotBounds()) -> bytes:
    """The screenshot ready for the ticket: decoded, bounded, downscaled, a PNG or a JPEG."""
    image = load_pixels(open_bounded(decode_data_url(data_url), bounds), bounds)
    image = without_opaque_alpha(downscale(image, bounds.max_width, bounds.max_height))
    encode = encoder_for(image)
    if encode is to_png:
        # Whole PNGs of noise cost seconds: shrink first to what could fit (issue 9).
        image = downscale(image, *png_size_within(image, bounds.max_bytes))
    return encoded_within(image, bounds.max_bytes, encode)


def media_type(image: bytes) -> tuple[str, str]:
    """("png" | "jpeg", file extension) of an image process_screenshot made."""
    return ("jpeg", "jpg") if image.startswith(b"\xff\xd8") else ("png", "png")
