"""Hypothesis over the screenshot pipeline (issue 13): whatever image arrives, the answer is a
bounded PNG or JPEG, or a ScreenshotError, and never anything else.

Generated: images of random size, mode, format and content (flat, gradient, noise, text-like
strokes), saved as PNG or JPEG (and sometimes as a format we refuse), then sometimes cut short
or with bytes overwritten, behind a data URL that is sometimes broken; the bounds are random
and small, so downscaling and the byte bound are exercised on every run. Bounded: a fixed
number of examples, derandomized so a failure replays.
"""
import base64
import io
import random

from flask import Flask
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from server.screenshots import ScreenshotBounds, ScreenshotError, process_screenshot
from tests.conftest import fuzz_examples

MODES = ["RGB", "RGBA", "L", "LA", "P", "1", "I;16", "CMYK"]
# What each mode can be saved as; BMP and GIF must be refused (not PNG or JPEG by content).
FORMATS = {"RGB": ["PNG", "JPEG", "BMP"], "RGBA": ["PNG"], "L": ["PNG", "JPEG", "GIF"],
           "LA": ["PNG"], "P": ["PNG", "GIF"], "1": ["PNG"], "I;16": ["PNG"],
           "CMYK": ["JPEG"]}


@st.composite
def images(draw):
    """(bytes, format): a generated image, encoded, perhaps damaged."""
    width = draw(st.integers(1, 700))
    # Mostly shapes of screens; now and then a strip, which must be refused.
    height = draw(st.integers(1, 700) | st.integers(max(1, width // 4), min(700, width * 4)))
    content = draw(st.sampled_from(["flat", "gradient", "noise", "strokes"]))
    seed = draw(st.integers(0, 255))
    if content == "noise":
        # Seeded: Hypothesis must see the same bytes each time it replays an example.
        image = Image.frombytes("RGB", (width, height),
                                random.Random(seed).randbytes(width * height * 3))
    elif content == "gradient":
        image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    else:
        image = Image.new("RGB", (width, height), (seed, 255 - seed, seed // 2))
        if content == "strokes":
            pen = ImageDraw.Draw(image)
            for x in range(0, width, 7):
                pen.line((x, 0, x + seed % 13, height), fill=(seed // 3, 0, 0))
    mode = draw(st.sampled_from(MODES))
    fmt = draw(st.sampled_from(FORMATS[mode]))
    out = io.BytesIO()
    image.convert(mode).save(out, format=fmt, **({"quality": seed % 95 + 1}
                                                  if fmt == "JPEG" else {}))
    raw = out.getvalue()
    damage = draw(st.sampled_from(["none"] * 4 + ["truncated", "overwritten"]))
    if damage == "truncated":
        raw = raw[:draw(st.integers(0, max(0, len(raw) - 1)))]
    elif damage == "overwritten" and raw:
        at = draw(st.integers(0, len(raw) - 1))
        patch = draw(st.binary(min_size=1, max_size=16))
        raw = raw[:at] + patch + raw[at + len(patch):]
    return raw, fmt


# The defaults now and then; mostly small bounds, so downscaling and the byte bound work.
bounds_strategy = st.just(ScreenshotBounds()) | st.builds(
    ScreenshotBounds,
    max_pixels=st.just(16_000_000) | st.integers(1, 600_000),
    max_width=st.integers(1, 800),
    max_height=st.integers(1, 800),
    max_bytes=st.integers(1_000, 400_000) | st.integers(64, 1_000),
)

# The declared type does not matter (content decides); a URL without base64 is refused.
data_urls = st.sampled_from(["data:image/png;base64,", "data:image/jpeg;base64,",
                             "data:application/octet-stream;base64,"] * 3 + ["data:image/png,"])


@given(image=images(), bounds=bounds_strategy, prefix=data_urls,
       broken_base64=st.integers(0, 9).map(lambda n: n == 9))
@settings(max_examples=fuzz_examples(400), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_any_image_becomes_a_bounded_png_or_jpeg_or_a_screenshot_error(
        image, bounds, prefix, broken_base64):
    raw, _fmt = image
    encoded = base64.b64encode(raw).decode("ascii")
    url = prefix + (encoded[:-1] + "!" if broken_base64 and encoded else encoded)
    with Flask(__name__).test_request_context(headers={"Accept-Language": "en"}):
        try:
            result = process_screenshot(url, bounds)
        except ScreenshotError as error:
            assert str(error)  # a sentence for the 422, in the request's language
            event(f"refused: {error}")
            return
    assert isinstance(result, bytes) and len(result) <= bounds.max_bytes
    with Image.open(io.BytesIO(result)) as opened:
        assert opened.format in ("PNG", "JPEG")
        event(f"accepted as {opened.format}")
        assert opened.width <= bounds.max_width and opened.height <= bounds.max_height
        opened.load()  # the whole image decodes
        assert "exif" not in opened.info  # no metadata survives
        if opened.format == "PNG":
            assert not opened.text
