"""Safe image loading: real photos, every bad-input case with its own error, metadata-free output."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from analysis.errors import ImageError
from analysis.images import (
    DecompressionBombError,
    ImageTooLargeError,
    NotAnImageError,
    TruncatedImageError,
    encode_for_model,
    image_sha256,
    load_image,
    open_image,
    read_exif_gps,
)
from tests.support.imagebytes import carries_metadata, jpeg_metadata_segments, png_bomb, png_rgb16


def _ground_truth(shared_data: Path) -> dict[str, tuple[float, float]]:
    with open(shared_data / "photos" / "ground_truth.csv", newline="") as handle:
        return {
            row["filename"]: (float(row["lat"]), float(row["lon"]))
            for row in csv.DictReader(handle)
        }


def _rgb(image: Image.Image, xy: tuple[int, int]) -> tuple[int, ...]:
    """One pixel of an RGB image (Pillow types getpixel for every mode at once)."""
    pixel = image.getpixel(xy)
    assert isinstance(pixel, tuple), pixel
    return tuple(int(v) for v in pixel)


def _encode(image: Image.Image, fmt: str, **kwargs: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def test_real_street_photos_load_as_rgb(shared_data: Path) -> None:
    photos = sorted((shared_data / "photos" / "osv5m").glob("*.jpg"))[:10]
    assert photos
    for path in photos:
        loaded = open_image(path)
        assert loaded.image.mode == "RGB"
        assert loaded.source_format == "JPEG"
        assert loaded.gps is None  # README: OSV-5M images carry no EXIF GPS


def test_exif_gps_matches_ground_truth(shared_data: Path) -> None:
    truth = _ground_truth(shared_data)
    exif_photos = sorted((shared_data / "photos" / "exif_gps").glob("*.jpg"))
    assert len(exif_photos) == 5
    for path in exif_photos:
        gps = read_exif_gps(path.read_bytes())
        assert gps is not None, path.name
        lat, lon = truth[f"exif_gps/{path.name}"]
        assert gps.lat == pytest.approx(lat, abs=1e-5), path.name
        assert gps.lon == pytest.approx(lon, abs=1e-5), path.name
        assert open_image(path).gps == gps


def test_model_bytes_carry_no_metadata_and_are_resized(shared_data: Path) -> None:
    for path in sorted((shared_data / "photos" / "exif_gps").glob("*.jpg")):
        original = path.read_bytes()
        assert "APP1:Exif" in jpeg_metadata_segments(original)  # the input really has EXIF
        encoded = encode_for_model(load_image(original), max_side=512)
        assert jpeg_metadata_segments(encoded) == []
        assert not carries_metadata(encoded)
        assert read_exif_gps(encoded) is None
        with Image.open(io.BytesIO(encoded)) as decoded:
            assert decoded.format == "JPEG"
            assert max(decoded.size) <= 512


def test_small_image_is_not_upscaled() -> None:
    encoded = encode_for_model(Image.new("RGB", (64, 40), (10, 20, 30)), max_side=1024)
    with Image.open(io.BytesIO(encoded)) as decoded:
        assert decoded.size == (64, 40)


def test_icc_profile_and_xmp_are_dropped() -> None:
    image = Image.new("RGB", (32, 32), (1, 2, 3))
    fake_icc = b"\x00" * 128
    data = _encode(image, "JPEG", icc_profile=fake_icc, xmp=b"<x:xmpmeta>GPS 1,2</x:xmpmeta>")
    segments = jpeg_metadata_segments(data)
    assert "APP2:ICC" in segments and "APP1:XMP" in segments
    assert jpeg_metadata_segments(encode_for_model(load_image(data))) == []


def test_not_an_image_has_its_own_error() -> None:
    with pytest.raises(NotAnImageError, match="not an image"):
        load_image(b"name,lat,lon\nparis,48.8,2.3\n", filename="notes.jpg")
    with pytest.raises(NotAnImageError, match="empty"):
        load_image(b"")


def test_truncated_jpeg_has_its_own_error(shared_data: Path) -> None:
    data = (shared_data / "photos" / "exif_gps" / "DSCN0010.jpg").read_bytes()
    with pytest.raises(TruncatedImageError, match="truncated"):
        load_image(data[: len(data) // 2])


def test_decompression_bomb_is_refused_before_decoding() -> None:
    with pytest.raises(DecompressionBombError, match="decompression bomb"):
        load_image(png_bomb(40_000, 40_000))
    # A lower explicit limit applies to an ordinary image too.
    with pytest.raises(DecompressionBombError, match="megapixels"):
        load_image(_encode(Image.new("RGB", (200, 200)), "PNG"), max_pixels=10_000)


def test_file_over_the_size_limit(tmp_path: Path, shared_data: Path) -> None:
    source = shared_data / "photos" / "exif_gps" / "DSCN0010.jpg"
    with pytest.raises(ImageTooLargeError, match="over the"):
        load_image(source, max_bytes=10_000)
    with pytest.raises(ImageTooLargeError, match="over the"):
        load_image(source.read_bytes(), max_bytes=10_000)


def test_errors_are_distinct_image_errors() -> None:
    kinds = {NotAnImageError, TruncatedImageError, DecompressionBombError, ImageTooLargeError}
    assert len(kinds) == 4
    assert all(issubclass(kind, ImageError) for kind in kinds)


def test_png_named_jpg_is_accepted_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "holiday.jpg"
    path.write_bytes(_encode(Image.new("RGB", (20, 10), (0, 128, 0)), "PNG"))
    loaded = open_image(path)
    assert loaded.source_format == "PNG"
    assert any(".jpg" in note and "PNG" in note for note in loaded.notes)
    assert loaded.image.getpixel((3, 3)) == (0, 128, 0)


def test_cmyk_is_converted_to_rgb() -> None:
    cmyk = Image.new("CMYK", (16, 16), (0, 255, 255, 0))  # full magenta + yellow = red
    loaded = open_image(_encode(cmyk, "JPEG", quality=95))
    assert loaded.image.mode == "RGB"
    r, g, b = _rgb(loaded.image, (8, 8))
    assert r > 230 and g < 25 and b < 25
    assert any("CMYK" in note for note in loaded.notes)


def test_16bit_grey_is_scaled_not_clipped() -> None:
    values = np.array([[0, 257 * 64], [257 * 128, 65535]], dtype=np.uint16)
    data = _encode(Image.fromarray(values), "PNG")
    loaded = open_image(data)
    assert loaded.image.mode == "RGB"
    assert [_rgb(loaded.image, p)[0] for p in [(0, 0), (1, 0), (0, 1), (1, 1)]] == [
        0,
        64,
        128,
        255,
    ]
    assert any("16-bit" in note for note in loaded.notes)


def test_16bit_rgb_png_keeps_colours() -> None:
    data = png_rgb16([[(65535, 0, 257 * 100), (0, 65535, 0)]])
    image = load_image(data)
    assert image.getpixel((0, 0)) == (255, 0, 100)
    assert image.getpixel((1, 0)) == (0, 255, 0)
    # Pillow reads such a file as 8-bit RGB without a word: the user still gets told
    assert "16-bit colour PNG reduced to 8 bits per channel" in open_image(data).notes
    eight_bit = io.BytesIO()
    Image.new("RGB", (2, 1), (255, 0, 100)).save(eight_bit, "PNG")
    assert not any("16-bit" in note for note in open_image(eight_bit.getvalue()).notes)


def test_animated_gif_uses_first_frame() -> None:
    frames = [Image.new("RGB", (12, 12), colour) for colour in [(255, 0, 0), (0, 0, 255)]]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    loaded = open_image(buffer.getvalue(), filename="anim.gif")
    r, g, b = _rgb(loaded.image, (5, 5))
    assert r > 200 and b < 50
    assert any("animated" in note and "2 frames" in note for note in loaded.notes)


def test_heic_is_decoded() -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    data = _encode(Image.new("RGB", (48, 32), (200, 30, 30)), "HEIF", quality=95)
    loaded = open_image(data, filename="IMG_0001.HEIC")
    assert loaded.source_format == "HEIF"
    assert loaded.image.size == (48, 32)
    r, g, b = _rgb(loaded.image, (20, 20))
    assert r > 170 and g < 70 and b < 70
    assert not any("named" in note for note in loaded.notes)


def test_exif_orientation_is_honoured() -> None:
    stored = Image.new("RGB", (40, 20), (255, 255, 255))
    stored.paste((255, 0, 0), (0, 0, 10, 10))  # red block at the stored top-left
    exif = Image.Exif()
    exif[0x0112] = 6  # display = stored rotated 90 degrees clockwise
    loaded = open_image(_encode(stored, "JPEG", quality=95, exif=exif.tobytes()))
    assert loaded.image.size == (20, 40)
    # After a clockwise quarter turn the stored top-left corner is at the top-right.
    r, g, _ = _rgb(loaded.image, (15, 4))
    assert r > 200 and g < 60
    assert _rgb(loaded.image, (4, 35))[1] > 200
    assert any("orientation 6" in note for note in loaded.notes)


def test_transparency_is_flattened_onto_white() -> None:
    image = Image.new("RGBA", (8, 8), (0, 0, 0, 0))
    loaded = load_image(_encode(image, "PNG"))
    assert loaded.getpixel((2, 2)) == (255, 255, 255)


def test_unsupported_format_is_refused() -> None:
    ico = _encode(Image.new("RGB", (16, 16)), "ICO")
    with pytest.raises(NotAnImageError, match="supported format"):
        load_image(ico)


def test_image_sha256_identifies_bytes() -> None:
    import hashlib

    data = b"\xff\xd8 some bytes"
    assert image_sha256(data) == hashlib.sha256(data).hexdigest()
    assert image_sha256(data) != image_sha256(data + b"x")
