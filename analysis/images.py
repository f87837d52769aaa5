"""Safe image loading for benchmark samples and uploads, and metadata-free encoding for models.

Every failure a user can cause (not an image, truncated file, decompression bomb, file too
large) raises its own ``ImageError`` subclass with a message that says what to do. Images that
are unusual but usable (PNG named .jpg, CMYK, 16-bit, animated GIF, HEIC, rotated by EXIF) are
accepted and converted, with a note saying what was done.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from analysis.errors import ImageError
from analysis.types import LatLon

DEFAULT_MAX_BYTES = 40 * 1024 * 1024  # phone HEIC/JPEG photos are 2-15 MB; RAW-ish PNGs more
DEFAULT_MAX_PIXELS = 120_000_000  # a 108 MP phone sensor fits; a 30k x 30k bomb does not
DEFAULT_MAX_SIDE = 1024
# Formats we let Pillow try (MPO comes through the JPEG opener). EPS/PSD/ICO etc. are refused:
# EPS even shells out to Ghostscript.
ALLOWED_FORMATS: tuple[str, ...] = ("JPEG", "PNG", "WEBP", "GIF", "HEIF", "BMP", "TIFF")
_EXTENSION_FORMATS: dict[str, str] = {
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".jpe": "JPEG",
    ".png": "PNG",
    ".webp": "WEBP",
    ".gif": "GIF",
    ".heic": "HEIF",
    ".heif": "HEIF",
    ".bmp": "BMP",
    ".tif": "TIFF",
    ".tiff": "TIFF",
}
_GPS_IFD = 0x8825
_ORIENTATION_TAG = 0x0112


class NotAnImageError(ImageError):
    """The bytes are not an image in a supported format."""


class TruncatedImageError(ImageError):
    """The image header is valid but the pixel data ends early (interrupted download/copy)."""


class CorruptImageError(ImageError):
    """The image cannot be decoded for a reason other than truncation."""


class DecompressionBombError(ImageError):
    """The image declares more pixels than allowed (a decompression bomb or a huge scan)."""


class ImageTooLargeError(ImageError):
    """The file is bigger than the byte limit."""


@dataclass(frozen=True)
class LoadedImage:
    """A decoded, validated RGB image with what was found and done while loading it."""

    image: Image.Image
    source_format: str  # format detected from the content, e.g. "PNG", "HEIF"
    width: int
    height: int
    notes: tuple[str, ...]  # human-readable remarks: "named .jpg but is PNG", "CMYK converted"
    gps: LatLon | None  # EXIF GPS position, if the file carried one


_heif_registered = False


def _register_heif() -> None:
    # Registered lazily so importing this module stays cheap.
    global _heif_registered
    if not _heif_registered:
        from pillow_heif import register_heif_opener

        register_heif_opener()
        _heif_registered = True


def _describe(source: bytes | str | os.PathLike[str], filename: str | None) -> str:
    if filename:
        return filename
    if isinstance(source, (str, os.PathLike)):
        return str(source)
    return "image"


def _read_source(source: bytes | str | os.PathLike[str], max_bytes: int, what: str) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        path = Path(source)
        if not path.is_file():
            raise ImageError(f"{what}: file not found")
        size = path.stat().st_size
        if size > max_bytes:
            raise ImageTooLargeError(
                f"{what}: file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit"
            )
        data = path.read_bytes()
    if len(data) > max_bytes:
        raise ImageTooLargeError(
            f"{what}: file is {len(data) / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit"
        )
    if not data:
        raise NotAnImageError(f"{what}: the file is empty")
    return data


def _open(data: bytes, what: str, max_pixels: int) -> Image.Image:
    _register_heif()
    try:
        with warnings.catch_warnings():
            # Our own pixel limit below is the one that counts; Pillow's global warning is noise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS))
    except Image.DecompressionBombError as exc:
        raise DecompressionBombError(
            f"{what}: refused as a possible decompression bomb ({exc})"
        ) from None
    except UnidentifiedImageError:
        allowed = "JPEG, PNG, WebP, GIF, HEIC, BMP, TIFF"
        raise NotAnImageError(
            f"{what}: not an image in a supported format ({allowed}); "
            f"the file starts with {data[:8]!r}"
        ) from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise CorruptImageError(f"{what}: cannot read the image header ({exc})") from None
    width, height = image.size
    if width <= 0 or height <= 0:
        raise CorruptImageError(f"{what}: the image declares an empty size {width}x{height}")
    if width * height > max_pixels:
        raise DecompressionBombError(
            f"{what}: declares {width}x{height} = {width * height / 1e6:.0f} megapixels, over "
            f"the {max_pixels / 1e6:.0f} MP limit (possible decompression bomb); refused "
            "without decoding"
        )
    return image


def _decode(image: Image.Image, what: str) -> None:
    # LOAD_TRUNCATED_IMAGES is a process-wide Pillow switch; insist on it being off.
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        raise ImageError("Pillow's LOAD_TRUNCATED_IMAGES is on; refusing to decode partial images")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image.load()
    except Image.DecompressionBombError as exc:
        raise DecompressionBombError(f"{what}: refused as a decompression bomb ({exc})") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        message = str(exc)
        if "truncated" in message.lower() or isinstance(exc, EOFError):
            raise TruncatedImageError(
                f"{what}: the image data is truncated (incomplete download or copy?): {message}"
            ) from None
        raise CorruptImageError(f"{what}: the image data cannot be decoded: {message}") from None


def _to_rgb(image: Image.Image, notes: list[str]) -> Image.Image:
    mode = image.mode
    if mode == "RGB":
        return image
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        return _high_depth_to_rgb(image, notes)
    if mode == "CMYK":
        notes.append("CMYK image converted to RGB")
        return image.convert("RGB")
    if mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in image.info):
        # Transparent pixels often hold black RGB; flatten onto white so models see the drawing.
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        notes.append("transparency flattened onto white")
        return background
    return image.convert("RGB")


def _high_depth_to_rgb(image: Image.Image, notes: list[str]) -> Image.Image:
    import numpy as np

    values = np.asarray(image).astype(np.float64)
    if image.mode == "F":
        top = float(np.nanmax(values)) if values.size else 1.0
        scale = 255.0 if top <= 1.0 else 255.0 / max(top, 1e-12)
        notes.append("floating-point image scaled to 8 bits")
    else:
        # 16-bit data: 65535 -> 255, i.e. divide by 257 (a plain convert() would clip at 255).
        top = float(values.max()) if values.size else 0.0
        scale = 1.0 / 257.0 if top <= 65535 else 255.0 / top
        notes.append("16-bit image scaled to 8 bits")
    eight = np.clip(np.rint(values * scale), 0, 255).astype(np.uint8)
    return Image.fromarray(eight).convert("RGB")


def _is_16bit_colour_png(data: bytes, mode: str) -> bool:
    """Tell a 16-bit-per-channel colour PNG, which Pillow silently opens as 8-bit RGB(A)."""
    # IHDR is always the first chunk: bit depth at byte 24, colour type at byte 25
    # (2 = RGB, 6 = RGBA); 16-bit grey keeps an "I;16" mode and gets its own note.
    is_png = data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 25
    return is_png and data[24] == 16 and data[25] in (2, 6) and mode in ("RGB", "RGBA")


def _extension_note(what: str, filename: str | None, detected: str) -> str | None:
    if not filename:
        return None
    ext = Path(filename).suffix.lower()
    expected = _EXTENSION_FORMATS.get(ext)
    detected_family = "JPEG" if detected == "MPO" else detected
    if expected is not None and expected != detected_family:
        return f"{what} is named {ext} but contains {detected}; read as {detected}"
    return None


def open_image(
    source: bytes | str | os.PathLike[str],
    *,
    filename: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> LoadedImage:
    """Decode an image safely into RGB and report its real format, notes and EXIF GPS.

    Args:
        source: raw bytes or a path.
        filename: the name the user gave the file (uploads), to notice a misleading extension.
        max_bytes: files larger than this are refused before decoding.
        max_pixels: images declaring more pixels are refused before decoding (bomb guard).
    """
    what = _describe(source, filename)
    if filename is None and isinstance(source, (str, os.PathLike)):
        filename = str(source)
    data = _read_source(source, max_bytes, what)
    image = _open(data, what, max_pixels)
    detected = str(image.format or "unknown")
    notes: list[str] = []
    name_note = _extension_note(what, filename, detected)
    if name_note:
        notes.append(name_note)
    frames = int(getattr(image, "n_frames", 1) or 1)
    if frames > 1:
        image.seek(0)
        notes.append(f"animated {detected} with {frames} frames: the first frame is used")
    _decode(image, what)
    gps = _gps_from_image(image)
    orientation = _orientation(image)
    try:
        oriented = ImageOps.exif_transpose(image) if orientation not in (None, 1) else image
    except (OSError, ValueError) as exc:
        raise CorruptImageError(f"{what}: cannot apply the EXIF orientation ({exc})") from None
    if oriented is not image:
        notes.append(f"rotated upright per EXIF orientation {orientation}")
    if detected == "HEIF":
        notes.append("HEIC/HEIF photo decoded")
    if _is_16bit_colour_png(data, oriented.mode):
        notes.append("16-bit colour PNG reduced to 8 bits per channel")
    rgb = _to_rgb(oriented, notes)
    rgb.info.clear()  # metadata stays behind: nothing downstream may re-emit it
    return LoadedImage(
        image=rgb,
        source_format=detected,
        width=rgb.width,
        height=rgb.height,
        notes=tuple(notes),
        gps=gps,
    )


def load_image(
    source: bytes | str | os.PathLike[str],
    *,
    filename: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> Image.Image:
    """Decode an image safely and return it as an upright RGB PIL image."""
    return open_image(source, filename=filename, max_bytes=max_bytes, max_pixels=max_pixels).image


def _orientation(image: Image.Image) -> int | None:
    try:
        value = image.getexif().get(_ORIENTATION_TAG)
    except Exception:  # noqa: BLE001 - broken EXIF must not block an otherwise good image
        return None
    return int(value) if isinstance(value, int) else None


def _rational(value: Any) -> float:
    if isinstance(value, tuple) and len(value) == 2:  # (numerator, denominator) pairs
        num, den = value
        return float(num) / float(den) if den else math.nan
    return float(value)


def _dms_to_degrees(dms: Any, ref: Any, negative_ref: str) -> float:
    parts = [_rational(part) for part in dms]
    if len(parts) != 3 or any(math.isnan(p) for p in parts):
        return math.nan
    degrees = parts[0] + parts[1] / 60.0 + parts[2] / 3600.0
    ref_text = ref.decode(errors="ignore") if isinstance(ref, bytes) else str(ref or "")
    return -degrees if ref_text.strip().upper().startswith(negative_ref) else degrees


def _gps_from_image(image: Image.Image) -> LatLon | None:
    try:
        gps = image.getexif().get_ifd(_GPS_IFD)
        if not gps or 2 not in gps or 4 not in gps:
            return None
        lat = _dms_to_degrees(gps[2], gps.get(1), "S")
        lon = _dms_to_degrees(gps[4], gps.get(3), "W")
    except Exception:  # noqa: BLE001 - malformed GPS blocks are common; treat as absent
        return None
    if math.isnan(lat) or math.isnan(lon) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    if lat == 0.0 and lon == 0.0:  # cameras write 0/0 when they had no fix
        return None
    return LatLon(lat=lat, lon=lon)


def read_exif_gps(source: bytes | str | os.PathLike[str]) -> LatLon | None:
    """Return the GPS position stored in an image's EXIF, or None when it has none."""
    data = _read_source(source, DEFAULT_MAX_BYTES, _describe(source, None))
    _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS))
    except Exception:  # noqa: BLE001 - not an image means no GPS, not a crash
        return None
    return _gps_from_image(image)


def encode_for_model(
    image: Image.Image, max_side: int = DEFAULT_MAX_SIDE, quality: int = 90
) -> bytes:
    """Encode an image as a JPEG for a model: longest side <= max_side, no metadata at all."""
    if max_side < 16:
        raise ImageError(f"max_side must be at least 16 pixels, got {max_side}")
    rgb = image if image.mode == "RGB" else _to_rgb(image, [])
    if max(rgb.size) > max_side:
        scale = max_side / max(rgb.size)
        size = (max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale)))
        rgb = rgb.resize(size, Image.Resampling.LANCZOS)
    # A fresh image carries no info dict: no EXIF (GPS!), XMP, ICC or comments can leak through.
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)
    buffer = io.BytesIO()
    clean.save(buffer, format="JPEG", quality=quality, optimize=False)
    return buffer.getvalue()


def image_sha256(data: bytes) -> str:
    """Return the hex SHA-256 of raw image bytes (the identity used in caches and the store)."""
    return hashlib.sha256(data).hexdigest()
