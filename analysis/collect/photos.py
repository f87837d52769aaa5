"""Your own geotagged photos as a collector source: same folder, manifest and provenance.

Each photo's EXIF GPS point is its truth. Photos within ``radius_m`` of each other (chained)
are one place and share a ``location_id``, so a train/test split never puts one place on both
sides. Originals are only read: each is copied (through a temporary file, then renamed) or
symbolically linked into the collection, and the journal makes a re-run skip what is done.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.collect.collector import CollectReport, import_command, utc_now
from analysis.collect.layout import collector_path
from analysis.collect.outputs import ManifestSettings
from analysis.collect.progress import Progress
from analysis.collect.source import safe_id
from analysis.collect.writer import CollectionWriter, ImageRecord, LocationRecord
from analysis.errors import InputError

LICENCE = "your own photos: you hold the rights (check any third-party content before sharing)"
Log = Callable[[str], None]


@dataclass(frozen=True)
class PhotoOptions:
    """Where the photos are, where the collection goes, and how places and splits are drawn."""

    from_dir: Path
    out_dir: Path
    link: bool = False  # symlink instead of copy
    radius_m: float = 100.0
    split: str | None = None
    test_share: float | None = None
    dataset_name: str | None = None


@dataclass(frozen=True)
class PhotoReport(CollectReport):
    """A collection report plus every photo left out, with the reason."""

    skipped: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Photo:
    rel: str
    path: Path
    sample_id: str
    lat: float
    lon: float


def _sample_id(rel: str) -> str:
    # the readable stem alone can collide ("a/b.jpg" and "a-b.jpg"): a short hash of the path
    digest = hashlib.sha1(rel.encode("utf-8")).hexdigest()[:8]
    return f"photo_{safe_id(Path(rel).stem, 60)}_{digest}"


def _check(options: PhotoOptions) -> tuple[Path, Path]:
    source = options.from_dir.expanduser()
    if not source.is_dir():
        raise InputError(f"--from {options.from_dir} is not a folder of photos")
    if options.radius_m < 0:
        raise InputError(f"--radius-m must be >= 0, got {options.radius_m:g}")
    if options.test_share is not None and not 0 < options.test_share < 1:
        raise InputError(f"--test-share must be strictly between 0 and 1, got {options.test_share}")
    source, out = source.resolve(), options.out_dir.expanduser().resolve()
    if out == source or source.is_relative_to(out):
        raise InputError(f"--out {options.out_dir} would hold the originals: use another folder")
    return source, out


def _scan(source: Path, out: Path) -> tuple[list[_Photo], list[tuple[str, str]]]:
    from PIL import UnidentifiedImageError

    from analysis.datasets.exif import PHOTO_SUFFIXES, read_gps

    photos: list[_Photo] = []
    skipped: list[tuple[str, str]] = []
    for path in sorted(p for p in source.rglob("*") if p.is_file() or p.is_symlink()):
        if path.suffix.lower() not in PHOTO_SUFFIXES or path.is_relative_to(out):
            continue  # an --out inside --from must not collect its own copies
        rel = path.relative_to(source).as_posix()
        try:
            point = read_gps(path)
        except (UnidentifiedImageError, OSError, ValueError, ZeroDivisionError) as exc:
            skipped.append((rel, f"unreadable: {type(exc).__name__}: {exc}"))
            continue
        if point is None:
            skipped.append((rel, "no_gps: no GPS position in its EXIF"))
            continue
        photos.append(_Photo(rel, path, _sample_id(rel), point[0], point[1]))
    return photos, skipped


def _places(
    photos: list[_Photo], known: dict[str, LocationRecord], radius_m: float
) -> dict[str, str]:
    """Map each new photo's sample id to a place id; journaled photos keep their place."""
    from analysis.collect.spatial import PointGrid

    place = {sid: rec.place_id for sid, rec in known.items()}
    new = [p for p in photos if p.sample_id not in known]
    if radius_m <= 0:
        return {**place, **{p.sample_id: f"place_{p.sample_id}" for p in new}}
    grid = PointGrid(radius_m / 1000.0)
    old = list(known.values())
    for i, rec in enumerate(old):
        grid.add(i, rec.lat, rec.lon)
    parent = list(range(len(new)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    new_grid = PointGrid(radius_m / 1000.0)
    joined: dict[int, str] = {}
    for i, photo in enumerate(new):
        near_old = grid.near(photo.lat, photo.lon)
        if near_old:  # next to a place of an earlier run: join it, never re-split it
            joined[i] = old[min(near_old)].place_id
        for j in new_grid.near(photo.lat, photo.lon):  # chain with close new photos
            parent[root(j)] = root(i)
        new_grid.add(i, photo.lat, photo.lon)
    groups: dict[int, list[int]] = {}
    for i in range(len(new)):
        groups.setdefault(root(i), []).append(i)
    for members in groups.values():
        owner = next((joined[i] for i in members if i in joined), None)
        name = owner or f"place_{min(new[i].sample_id for i in members)}"
        for i in members:
            place[new[i].sample_id] = name
    return place


def collect_photos(
    options: PhotoOptions, log: Log = lambda _line: None, progress: Progress | None = None
) -> PhotoReport:
    """Copy or link the geotagged photos of a folder into a collection folder; resumable."""
    import time

    from PIL import Image

    from analysis.datasets.manifest import sha256_file
    from analysis.geo.countries import country_of

    source, out = _check(options)
    mode = "symlink" if options.link else "copy"
    writer = CollectionWriter(options.out_dir)
    header = {"source": "photos", "from_dir": source.as_posix(), "radius_m": options.radius_m,
              "mode": mode, "split": options.split, "test_share": options.test_share}  # fmt: skip
    writer.open({**header, "created_utc": utc_now()}, tuple(header))
    state = writer.state
    photos, skipped = _scan(source, out)
    settings = ManifestSettings("photos", LICENCE, options.split, options.test_share)
    writer.start_manifest(settings)
    known = {sid: state.locations[img.location_id] for sid, img in state.images.items()}
    place = _places([p for p in photos if p.sample_id not in state.images], known,
                    options.radius_m)  # fmt: skip
    started, new_images = time.monotonic(), 0
    if progress is not None:
        progress.start(len(photos), sum(1 for p in photos if p.sample_id in state.images))
    try:
        for photo in photos:
            if photo.sample_id in state.images:
                continue
            country = country_of(photo.lat, photo.lon)
            if country is None:
                skipped.append((photo.rel, f"outside_country: ({photo.lat:.5f}, "
                                f"{photo.lon:.5f}) is in no country"))  # fmt: skip
            else:
                with Image.open(photo.path) as image:
                    width, height = image.size
                record = LocationRecord(
                    location_id=photo.sample_id, target_id=photo.rel, lat=photo.lat,
                    lon=photo.lon, country=country, source_id=photo.rel, target_lat=photo.lat,
                    target_lon=photo.lon, group_id=place[photo.sample_id],
                )  # fmt: skip
                image_record = ImageRecord(
                    sample_id=photo.sample_id, location_id=photo.sample_id, heading=None,
                    image_path=collector_path(country, photo.sample_id, photo.path.suffix.lower()),
                    sha256=sha256_file(photo.path), width=width, height=height,
                )  # fmt: skip
                writer.add_location(record)
                if options.link:
                    writer.add_link(image_record, photo.path)
                else:
                    writer.add_image(image_record, _read(photo.path))
                new_images += 1
                if progress is not None:
                    progress.detail(f"{photo.rel}: {record.place_id} ({country})")
            if progress is not None:
                progress.advance(len(state.images), len(skipped))
    finally:
        if progress is not None:
            progress.close()
        manifest = _finish(writer, options, settings, source, mode, skipped, started, new_images)
    for rel, reason in skipped:
        log(f"skipped {rel}: {reason}")
    name = options.dataset_name or options.out_dir.name
    return PhotoReport(
        out_dir=options.out_dir, manifest=manifest, counts=writer.counts(),
        new_images=new_images, requests_sent=0, stopped_early=False,
        import_command=import_command(manifest, name),
        skipped=tuple(f"{rel}: {reason}" for rel, reason in skipped),
    )  # fmt: skip


def _read(path: Path) -> bytes:
    with path.open("rb") as fh:  # read only: the original is never opened for writing
        return fh.read()


def _finish(
    writer: CollectionWriter, options: PhotoOptions, settings: ManifestSettings, source: Path,
    mode: str, skipped: list[tuple[str, str]], started: float, new_images: int,
) -> Path:  # fmt: skip
    import time

    manifest = writer.start_manifest(settings)
    name = options.dataset_name or options.out_dir.name
    info: dict[str, Any] = {
        "run_state": "finished",
        "tool": "GeoScope collector (python -m analysis collect photos)",
        "source": "photos",
        "from_dir": source.as_posix(),
        "created_utc": (writer.state.header or {}).get("created_utc"),
        "parameters": {
            "radius_m": options.radius_m,
            "mode": mode,
            "split": options.split,
            "test_share": options.test_share,
        },  # fmt: skip
        "images": f"{'symbolic links to' if mode == 'symlink' else 'copies of'} the originals, "
        "which are never modified",
        "licence": LICENCE,
        "truth": "each photo's EXIF GPS position; country from the Natural Earth 10m admin-0 "
        "polygons; photos within radius_m (chained) share a location_id",
        "skipped_photos": [f"{rel}: {reason}" for rel, reason in skipped],
        "last_run": {"new_images": new_images, "seconds": round(time.monotonic() - started, 3)},
        "import_command": import_command(manifest, name),
    }
    writer.write_provenance(info, hashlib.sha256(manifest.read_bytes()).hexdigest())
    return manifest
