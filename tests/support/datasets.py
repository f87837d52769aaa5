"""Synthetic image datasets for runner tests: small JPEGs *with* EXIF GPS, ingested in a store.

Each sample's image has its own flat colour, so a scripted server can tell samples apart by the
mean colour of the image it receives (``sample_for_colour``), and each carries GPS EXIF so a
test can prove the runner strips it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image

if TYPE_CHECKING:
    from analysis.store import Store

# (ISO3, English name, lat, lon): capitals, a few per continent.
PLACES: tuple[tuple[str, str, float, float], ...] = (
    ("FRA", "France", 48.8566, 2.3522),
    ("JPN", "Japan", 35.6762, 139.6503),
    ("BRA", "Brazil", -15.7939, -47.8828),
    ("KEN", "Kenya", -1.2921, 36.8219),
    ("AUS", "Australia", -35.2809, 149.1300),
    ("CAN", "Canada", 45.4215, -75.6972),
    ("IND", "India", 28.6139, 77.2090),
    ("DEU", "Germany", 52.5200, 13.4050),
)


@dataclass(frozen=True)
class SyntheticSample:
    """One synthetic sample: id, truth, image file and its flat colour."""

    sample_id: str
    iso3: str
    country_name: str
    lat: float
    lon: float
    path: Path
    colour: tuple[int, int, int]


def colour_for(index: int) -> tuple[int, int, int]:
    """Return a flat colour unique to ``index`` (< 125) and far from its neighbours."""
    return (40 + 40 * (index % 5), 40 + 40 * ((index // 5) % 5), 40 + 40 * ((index // 25) % 5))


def gps_jpeg(
    colour: tuple[int, int, int], lat: float, lon: float, size: tuple[int, int] = (96, 64)
) -> bytes:
    """Return a flat-colour JPEG whose EXIF carries GPS coordinates (lat, lon)."""
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)

    def dms(value: float) -> tuple[float, float, float]:
        value = abs(value)
        degrees = int(value)
        minutes = int((value - degrees) * 60)
        return (float(degrees), float(minutes), round((value - degrees - minutes / 60) * 3600, 4))

    gps[1], gps[2] = ("N" if lat >= 0 else "S"), dms(lat)
    gps[3], gps[4] = ("E" if lon >= 0 else "W"), dms(lon)
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=95, exif=exif.tobytes())
    return buffer.getvalue()


def make_samples(folder: Path, n: int, split: str | None = "test") -> list[SyntheticSample]:
    """Write ``n`` GPS-tagged JPEGs into ``folder`` and describe them."""
    folder.mkdir(parents=True, exist_ok=True)
    samples = []
    for index in range(n):
        iso3, name, lat, lon = PLACES[index % len(PLACES)]
        colour = colour_for(index)
        path = folder / f"img_{index:04d}.jpg"
        path.write_bytes(gps_jpeg(colour, lat, lon))
        samples.append(SyntheticSample(f"s{index:04d}", iso3, name, lat, lon, path, colour))
    return samples


def ingest(
    store: Store,
    dataset: str,
    samples: Sequence[SyntheticSample],
    split: str = "test",
    relative_to: Path | None = None,
) -> None:
    """Ingest synthetic samples into ``store`` as dataset ``dataset``."""
    import pandas as pd

    from analysis.store import DatasetMeta

    frame = pd.DataFrame(
        {
            "sample_id": [s.sample_id for s in samples],
            "true_lat": [s.lat for s in samples],
            "true_lon": [s.lon for s in samples],
            "true_country": [s.iso3 for s in samples],
            "split": [split] * len(samples),
            "image_path": [
                str(s.path.relative_to(relative_to) if relative_to else s.path) for s in samples
            ],
        }
    )
    store.ingest_samples(DatasetMeta(name=dataset, kind="synthetic"), frame)


def sample_for_colour(
    samples: Sequence[SyntheticSample], rgb: tuple[float, float, float]
) -> SyntheticSample:
    """Return the sample whose flat colour is nearest to the received mean colour."""
    return min(samples, key=lambda s: sum((a - b) ** 2 for a, b in zip(s.colour, rgb, strict=True)))
