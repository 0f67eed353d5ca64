"""Screenshots for tests: real PNG/JPEG data URLs and hand-made hostile ones."""
import base64
import io
import random
import struct
import zlib

from PIL import Image


def data_url(raw: bytes, media_type: str = "image/png") -> str:
    return f"data:{media_type};base64," + base64.b64encode(raw).decode("ascii")


def image_bytes(width: int, height: int, fmt: str = "PNG", **save_args) -> bytes:
    """A real image with some detail (a gradient), so resampling has work to do."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    image.save(out, format=fmt, **save_args)
    return out.getvalue()


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (struct.pack(">I", len(payload)) + kind + payload
            + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims width × height pixels but carries almost no data (a bomb's header)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header)
            + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + png_chunk(b"IEND", b""))


def truncated_png() -> bytes:
    """A real PNG cut in the middle of its pixel data."""
    raw = image_bytes(800, 600)
    return raw[: len(raw) // 2]


SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b'<script>alert(1)</script><rect width="10" height="10"/></svg>')


def noise_bytes(width: int, height: int, fmt: str = "JPEG", seed: int = 9, **save_args) -> bytes:
    """Random pixels: the worst case for every codec (nothing to compress, nothing to skip)."""
    pixels = random.Random(seed).randbytes(width * height * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), pixels).save(out, format=fmt, **save_args)
    return out.getvalue()


def rotated_jpeg(width: int, height: int, orientation: int) -> bytes:
    """A JPEG whose EXIF says to turn it (6: a quarter clockwise) before showing it."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    return image_bytes(width, height, "JPEG", exif=exif)
