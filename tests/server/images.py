"""Screenshots for tests: real PNG/JPEG data URLs and hand-made hostile ones."""
import base64
import io
import random
import struct
import zlib

from PIL import Image, ImageDraw, ImageFont


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


def ui_screen(width: int = 1920, height: int = 1080) -> bytes:
    """A PNG of user interface: a navbar, rows of antialiased text, a dialog."""
    image = Image.new("RGB", (width, height), (248, 249, 250))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=14)
    draw.rectangle((0, 0, width, 46), fill=(113, 75, 103))
    for top in range(60, height - 30, 32):
        draw.line((16, top + 30, width - 16, top + 30), fill=(222, 226, 230))
        draw.text((24, top + 8), f"S{top:05d}  Acme Oy  Matti Meikäläinen  1 234,50 €  "
                                 "Quotation  Mitchell Admin", fill=(33, 37, 41), font=font)
    draw.rectangle((560, 300, 1360, 700), fill="white", outline=(222, 226, 230))
    draw.text((590, 320), "Validation Error", fill=(0, 0, 0), font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def photo_screen(width: int = 1920, height: int = 1080, share: float = 0.5) -> bytes:
    """A PNG of a screen whose left `share` is a photograph: smooth colour fields with grain."""
    image = Image.open(io.BytesIO(ui_screen(width, height)))
    photo_width = int(width * share)
    bands = [Image.effect_noise((photo_width // 24 + 2, height // 24 + 2), 80)
             .resize((photo_width, height), Image.Resampling.BICUBIC) for _ in range(3)]
    grain = Image.effect_noise((photo_width, height), 20).convert("RGB")
    image.paste(Image.blend(Image.merge("RGB", bands), grain, 0.15), (0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def smooth_screen(width: int = 1920, height: int = 1080) -> bytes:
    """A PNG of gradients in two directions: tens of thousands of colours, none photographic."""
    red = Image.linear_gradient("L").resize((width, height))
    green = red.transpose(Image.Transpose.ROTATE_90).resize((width, height))
    out = io.BytesIO()
    Image.merge("RGB", (red, green, Image.new("L", (width, height), 128))).save(out, "PNG")
    return out.getvalue()
