"""The bad inputs of the live panel's issue, as (file name, bytes, MIME type, expected message).

Shared by the core tests (tests/live/test_intake.py) and the page tests (tests/app/), so both
check the same cases against the same expectations. Refused files raise an ImageError; odd but
usable ones are converted and produce a note.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from tests.support.imagebytes import png_bomb


@dataclass(frozen=True)
class BadInput:
    """One problem file and what the user must be told about it."""

    case: str
    filename: str
    data: bytes
    mime: str
    refused: bool  # True: an error, nothing sent to any model; False: converted with a note
    expect: str  # a phrase the message must contain (case-insensitive)


def _encode(image: Image.Image, fmt: str, **kwargs: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def _animated_gif() -> bytes:
    colours = ((200, 30, 30), (30, 200, 30), (30, 30, 200))
    frames = [Image.new("RGB", (32, 24), colour) for colour in colours]
    return _encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)


def _grey16_png() -> bytes:
    # Left half at 65535 (white), right half at 257 * 128 (mid grey), as a scanner writes.
    values = np.full((24, 32), 65535, dtype=np.uint16)
    values[:, 16:] = 257 * 128
    return _encode(Image.fromarray(values), "PNG")


def bad_inputs(photo: bytes, big_photo: bytes) -> list[BadInput]:
    """Return every case; ``photo`` is a real JPEG, ``big_photo`` one over the test size cap."""
    gradient = Image.linear_gradient("L").resize((64, 48)).convert("RGB")
    return [
        BadInput(
            "not-an-image",
            "holiday.jpg",
            b"These are my notes, not a photo.\n" * 20,
            "image/jpeg",
            True,
            "not an image",
        ),
        BadInput(
            "truncated-jpeg", "cut.jpg", photo[: len(photo) // 2], "image/jpeg", True, "truncated"
        ),
        BadInput(
            "decompression-bomb", "bomb.png", png_bomb(), "image/png", True, "decompression bomb"
        ),
        BadInput("over-size-limit", "huge.jpg", big_photo, "image/jpeg", True, "over the"),
        BadInput(
            "png-named-jpg",
            "actually-png.jpg",
            _encode(gradient, "PNG"),
            "image/jpeg",
            False,
            "named .jpg but contains png",
        ),
        BadInput(
            "cmyk",
            "print.jpg",
            _encode(Image.new("CMYK", (40, 30), (0, 80, 160, 10)), "JPEG"),
            "image/jpeg",
            False,
            "cmyk image converted to rgb",
        ),
        # 16-bit grey; 16-bit colour PNGs get their own note (tests/test_images.py).
        BadInput(
            "16-bit",
            "scan16.png",
            _grey16_png(),
            "image/png",
            False,
            "16-bit image scaled to 8 bits",
        ),
        BadInput(
            "animated-gif",
            "loop.gif",
            _animated_gif(),
            "image/gif",
            False,
            "animated gif with 3 frames",
        ),
    ]


# The real photo over the tests' 1 MB cap (GEOSCOPE_LIVE_MAX_UPLOAD_MB=1): 2.2 MB.
BIG_PHOTO = Path("photos") / "exif_gps" / "HMD_Nokia_8.3_5G.jpg"
SMALL_PHOTO = Path("photos") / "exif_gps" / "DSCN0010.jpg"
TEST_MAX_UPLOAD_MB = 1.0
