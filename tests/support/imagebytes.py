"""Byte-level helpers for image tests: metadata inspection and synthetic bad files."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

_JPEG_SOI = b"\xff\xd8"


def jpeg_metadata_segments(data: bytes) -> list[str]:
    """List the metadata segments of a JPEG (``APP1:Exif``, ``APP1:XMP``, ``APP2:ICC``, ``COM``).

    Walks the marker chain up to the start of scan, so it sees exactly what an API receives.
    """
    if not data.startswith(_JPEG_SOI):
        raise ValueError("not a JPEG (no SOI marker)")
    found: list[str] = []
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise ValueError(f"corrupt marker chain at byte {pos}")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xDA:  # start of scan: no more metadata segments follow
            break
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        body = data[pos + 4 : pos + 2 + length]
        if 0xE1 <= marker <= 0xEF:
            if body.startswith(b"Exif"):
                found.append(f"APP{marker - 0xE0}:Exif")
            elif body.startswith(b"http://ns.adobe.com/xap/"):
                found.append(f"APP{marker - 0xE0}:XMP")
            elif body.startswith(b"ICC_PROFILE"):
                found.append(f"APP{marker - 0xE0}:ICC")
            else:
                found.append(f"APP{marker - 0xE0}:{body[:8]!r}")
        elif marker == 0xFE:
            found.append("COM")
        pos += 2 + length
    return found


def carries_metadata(data: bytes) -> bool:
    """Return True when an image has EXIF/XMP/ICC/comment metadata (JPEG scan + Pillow)."""
    if data.startswith(_JPEG_SOI) and jpeg_metadata_segments(data):
        return True
    with Image.open(io.BytesIO(data)) as image:
        return bool(image.getexif()) or "exif" in image.info or "xmp" in image.info


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    """Return one PNG chunk with its CRC."""
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
    )


def png_bomb(width: int = 40_000, height: int = 40_000) -> bytes:
    """Return a tiny PNG whose header declares width x height pixels (a decompression bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    # A few rows of zeros compressed; the header alone is what a safe loader must refuse on.
    idat = zlib.compress(b"\x00" * (1 + width // 8) * 4)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def png_rgb16(pixels: list[list[tuple[int, int, int]]]) -> bytes:
    """Encode 16-bit-per-channel RGB pixels as a PNG (Pillow cannot write this mode itself)."""
    height, width = len(pixels), len(pixels[0])
    raw = bytearray()
    for row in pixels:
        raw.append(0)  # filter type none
        for r, g, b in row:
            raw += struct.pack(">HHH", r, g, b)
    ihdr = struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(bytes(raw)))
        + png_chunk(b"IEND", b"")
    )
