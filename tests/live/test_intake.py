"""Preparing a photo for the live panel: truth from EXIF, metadata stripped, bad input refused."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from PIL import Image

from analysis.errors import ConfigError, ImageError, InputError
from analysis.live.intake import LiveConfig, prepare_image, read_dataset_image
from tests.live.badinputs import BIG_PHOTO, SMALL_PHOTO, TEST_MAX_UPLOAD_MB, bad_inputs
from tests.support.imagebytes import carries_metadata

CONFIG = LiveConfig(max_upload_bytes=int(TEST_MAX_UPLOAD_MB * 1024 * 1024))


def _truth(shared_data: Path) -> dict[str, tuple[float, float]]:
    with (shared_data / "photos" / "ground_truth.csv").open(encoding="utf-8") as handle:
        return {
            row["filename"]: (float(row["lat"]), float(row["lon"]))
            for row in csv.DictReader(handle)
            if row["gps_in_exif"] == "yes"
        }


def test_exif_gps_of_real_photos_matches_the_published_truth(shared_data: Path) -> None:
    truths = _truth(shared_data)
    assert len(truths) == 5
    for filename, (lat, lon) in truths.items():
        data = (shared_data / "photos" / filename).read_bytes()
        image = prepare_image(data, Path(filename).name, LiveConfig())
        assert image.exif_gps is not None, filename
        assert (image.exif_gps.lat, image.exif_gps.lon) == pytest.approx((lat, lon), abs=1e-5)
        # ... and none of it reaches a model.
        assert not carries_metadata(image.model_bytes), filename
        with Image.open(io.BytesIO(image.model_bytes)) as sent:
            assert sent.format == "JPEG" and not sent.getexif()
            assert max(sent.size) <= LiveConfig().max_side


def test_the_hash_keys_the_content_not_the_name(shared_data: Path) -> None:
    data = (shared_data / SMALL_PHOTO).read_bytes()
    first = prepare_image(data, "a.jpg", CONFIG)
    second = prepare_image(data, "b.jpg", CONFIG)
    assert first.model_sha256 == second.model_sha256
    assert first.original_sha256 != first.model_sha256  # EXIF gone, pixels re-encoded


@pytest.mark.parametrize("index", range(8))
def test_each_bad_input_gets_its_own_message(shared_data: Path, index: int) -> None:
    cases = bad_inputs(
        (shared_data / SMALL_PHOTO).read_bytes(), (shared_data / BIG_PHOTO).read_bytes()
    )
    case = cases[index]
    if case.refused:
        with pytest.raises(ImageError) as caught:
            prepare_image(case.data, case.filename, CONFIG)
        message = str(caught.value).lower()
        assert case.expect in message, (case.case, message)
        assert case.filename.lower() in message  # says which file
        # no other case's phrase: the messages are distinct
        others = [c.expect for c in cases if c is not case and c.refused]
        assert not any(other in message for other in others), (case.case, message)
    else:
        image = prepare_image(case.data, case.filename, CONFIG)
        assert any(case.expect in note.lower() for note in image.notes), (case.case, image.notes)
        assert not carries_metadata(image.model_bytes)
        with Image.open(io.BytesIO(image.model_bytes)) as sent:
            assert sent.mode == "RGB" and getattr(sent, "n_frames", 1) == 1


def test_sixteen_bit_pixels_keep_their_brightness(shared_data: Path) -> None:
    cases = {c.case: c for c in bad_inputs(b"", b"")}
    image = prepare_image(cases["16-bit"].data, "scan16.png", CONFIG)
    with Image.open(io.BytesIO(image.model_bytes)) as sent:
        grey = sent.convert("L")
        white, mid = grey.getpixel((4, 12)), grey.getpixel((28, 12))
    # 65535 -> 255 and 257 * 128 -> 128 (divide by 257), within JPEG rounding; clipping
    # instead of scaling would make both halves white.
    assert white > 245 and 118 < mid < 138  # type: ignore[operator]


def test_dataset_images_are_read_with_the_same_cap(shared_data: Path, tmp_path: Path) -> None:
    assert read_dataset_image(SMALL_PHOTO, CONFIG, root=shared_data)[:2] == b"\xff\xd8"
    with pytest.raises(ImageError, match="over the"):
        read_dataset_image(BIG_PHOTO, CONFIG, root=shared_data)
    with pytest.raises(InputError, match="not found"):
        read_dataset_image(tmp_path / "gone.jpg", CONFIG)


def test_limits_come_from_the_environment() -> None:
    config = LiveConfig.from_env(
        {"GEOSCOPE_LIVE_MAX_UPLOAD_MB": "2", "GEOSCOPE_LIVE_TIMEOUT_S": "5"}
    )
    assert config.max_upload_bytes == 2 * 1024 * 1024 and config.timeout_s == 5.0
    with pytest.raises(ConfigError, match="GEOSCOPE_LIVE_TIMEOUT_S"):
        LiveConfig.from_env({"GEOSCOPE_LIVE_TIMEOUT_S": "soon"})


@pytest.mark.parametrize(
    ("fmt", "filename"), [("HEIF", "phone.heic"), ("WEBP", "web.webp"), ("PNG", "shot.png")]
)
def test_phone_and_web_formats_give_their_gps_and_send_none(fmt: str, filename: str) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    exif = Image.Exif()
    # Sydney Opera House: 33 deg 51' 24" S, 151 deg 12' 54" E = (-33.856667, 151.215)
    exif.get_ifd(0x8825).update({1: "S", 2: (33.0, 51.0, 24.0), 3: "E", 4: (151.0, 12.0, 54.0)})
    buffer = io.BytesIO()
    Image.linear_gradient("L").convert("RGB").resize((64, 48)).save(
        buffer, format=fmt, exif=exif.tobytes()
    )
    image = prepare_image(buffer.getvalue(), filename, CONFIG)
    assert image.exif_gps is not None
    assert (image.exif_gps.lat, image.exif_gps.lon) == pytest.approx(
        (-33.856667, 151.215), abs=1e-6
    )
    assert not carries_metadata(image.model_bytes)
    assert image.model_bytes[:2] == b"\xff\xd8"  # every model gets a JPEG
