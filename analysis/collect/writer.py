"""Output folder: images, an fsynced append-only journal, and manifest.csv + collection.json.

The journal (``journal.jsonl``) is the source of truth: one JSON object per line, each line
flushed and fsynced before the next request, and each image file written to a temporary name,
fsynced, then renamed *before* its journal line. A run killed at any instant therefore loses
at most the image in flight. The manifest is rebuilt atomically from the journal when a run
starts, gets one fsynced row per image as it lands, and is rebuilt in order at the end: even a
``kill -9`` leaves a valid manifest of every image fetched (see ``analysis.collect.outputs``).
An image that was skipped (truncated body, server error) is tried again by the next run, up to
``MAX_IMAGE_ATTEMPTS`` times; a 404 ("no imagery here") is final.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from analysis.collect import outputs
from analysis.collect.outputs import (
    MANIFEST_COLUMNS,
    MANIFEST_NAME,
    PROVENANCE_NAME,
    ManifestSettings,
    split_of,
)
from analysis.errors import InputError

JOURNAL_NAME = "journal.jsonl"
IMAGES_DIR = "images"
PARTIAL_DIRS = ("images", "dataset")  # where images are written (collector / LLMGeo layout)
MAX_IMAGE_ATTEMPTS = 3  # a skipped image is tried this many times in all, over several runs
_FINAL_SKIPS = frozenset({"no_imagery"})  # the service said there is nothing: asking is waste


def check_out_dir(out_dir: Path) -> None:
    """Refuse an ``--out`` that is, or lies inside, something other than a folder."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"--out {out_dir} exists and is not a folder")
    for parent in out_dir.parents:
        if parent.exists():
            if not parent.is_dir():
                raise InputError(f"--out {out_dir} lies inside {parent}, which is not a folder")
            break


@dataclass(frozen=True)
class LocationRecord:
    """A place the service returned for a target: the truth of its images."""

    location_id: str
    target_id: str
    lat: float
    lon: float
    country: str
    source_id: str  # pano id / Mapillary image id
    captured: str = ""
    attribution: str = ""
    target_lat: float = 0.0
    target_lon: float = 0.0
    group_id: str = ""  # several records, one place (own photos a few metres apart)

    @property
    def place_id(self) -> str:
        """Return the id shared by every image of this place (the manifest's location_id)."""
        return self.group_id or self.location_id


@dataclass(frozen=True)
class ImageRecord:
    """One downloaded, verified image."""

    sample_id: str
    location_id: str
    heading: int | None
    image_path: str  # relative to the output folder, POSIX
    sha256: str
    width: int
    height: int


@dataclass
class JournalState:
    """What the journal says is done."""

    header: dict[str, Any] | None = None
    locations: dict[str, LocationRecord] = field(default_factory=dict)
    location_of_target: dict[str, str] = field(default_factory=dict)
    images: dict[str, ImageRecord] = field(default_factory=dict)
    targets_done: dict[str, str] = field(default_factory=dict)  # target_id -> outcome
    skipped: dict[str, str] = field(default_factory=dict)  # target or sample id -> reason
    attempts: Counter[str] = field(default_factory=Counter)  # sample id -> failed downloads
    skip_location: dict[str, str] = field(default_factory=dict)  # sample id -> location id


class CollectionWriter:
    """Append to one collection folder; resumes from its journal."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.journal_path = out_dir / JOURNAL_NAME
        self.state = JournalState()
        self.repaired_tail = False
        # images the journal lists but whose files were deleted: fetched again this run
        self.missing_images: list[ImageRecord] = []
        self.retry_images: list[str] = []  # skipped sample ids this run tries again
        self.settings: ManifestSettings | None = None  # set by start_manifest

    # -- opening and resuming ----------------------------------------------------------------
    def open(self, header: Mapping[str, Any], identity_keys: tuple[str, ...]) -> None:
        """Create or resume the folder; refuse one made with other identity parameters."""
        check_out_dir(self.out_dir)
        try:
            (self.out_dir / IMAGES_DIR).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(
                f"cannot create output folder {self.out_dir}: {exc.strerror}"
            ) from None
        if not os.access(self.out_dir, os.W_OK):
            raise InputError(f"output folder {self.out_dir} is not writable")
        self._clean_partials()
        if self.journal_path.exists():
            self._load()
        previous = self.state.header
        if previous is None:
            self._append({"kind": "header", **header})
            self.state.header = dict(header)
            return
        filled = self._compare(previous, header, identity_keys)
        if filled != previous:  # journal the filled-in keys so later runs compare against them
            self._append({"kind": "header", **filled})
            self.state.header = filled

    def check(self, header: Mapping[str, Any], identity_keys: tuple[str, ...]) -> None:
        """Refuse as ``open`` would, without creating or repairing anything (for dry runs)."""
        check_out_dir(self.out_dir)
        if not self.journal_path.is_file():
            return
        previous: dict[str, Any] | None = None
        for line in self.journal_path.read_text("utf-8", errors="replace").splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # a torn or damaged line: the real run reports it
            if isinstance(record, dict) and record.pop("kind", None) == "header":
                previous = record
        if previous is not None:
            self._compare(previous, header, identity_keys)

    def _compare(
        self, previous: dict[str, Any], header: Mapping[str, Any], keys: tuple[str, ...]
    ) -> dict[str, Any]:
        """Raise if the folder's identity differs from ``header``; return it with gaps filled."""
        missing = [key for key in keys if key not in previous]
        if missing:
            # a folder from before a key joined the identity: take the value its last run
            # wrote to collection.json, or else accept the asked one
            known = self._provenance_parameters()
            previous = {**previous, **{k: known.get(k, header.get(k)) for k in missing}}
        changed = [
            f"{key}: folder has {previous.get(key)!r}, asked {header.get(key)!r}"
            for key in keys
            if previous.get(key) != header.get(key)
        ]
        if changed:
            raise InputError(
                f"{self.out_dir} holds a collection made with other settings ("
                + "; ".join(changed)
                + "): use another --out folder, or the same settings to resume"
            )
        return previous

    def _provenance_parameters(self) -> dict[str, Any]:
        try:
            info = json.loads((self.out_dir / PROVENANCE_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        params = info.get("parameters") if isinstance(info, dict) else None
        return dict(params) if isinstance(params, dict) else {}

    def _clean_partials(self) -> None:
        for folder in PARTIAL_DIRS:
            for partial in (self.out_dir / folder).rglob("*.part"):
                partial.unlink(missing_ok=True)  # an image that was in flight when a run died

    def _load(self) -> None:
        raw = self.journal_path.read_bytes()
        good_end = raw.rfind(b"\n") + 1
        if good_end < len(raw):
            # a run killed mid-line: cut the torn line so new lines do not glue onto it
            with self.journal_path.open("r+b") as fh:
                fh.truncate(good_end)
                os.fsync(fh.fileno())
            self.repaired_tail = True
        for number, line in enumerate(raw[:good_end].decode("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                raise InputError(
                    f"{self.journal_path}:{number} is not JSON; the journal was edited or "
                    "damaged (move the folder aside to start over)"
                ) from None
            self._apply(record)
        self._drop_missing_images()
        self._reopen_skipped_images()

    def _apply(self, record: dict[str, Any]) -> None:
        kind = record.pop("kind", None)
        state = self.state
        if kind == "header":
            state.header = record
        elif kind == "location":
            loc = LocationRecord(**record)
            state.locations[loc.location_id] = loc
            state.location_of_target[loc.target_id] = loc.location_id
        elif kind == "image":
            image = ImageRecord(**record)
            state.images[image.sample_id] = image
            state.skipped.pop(image.sample_id, None)
        elif kind == "target":
            state.targets_done[record["target_id"]] = record["outcome"]
            if record.get("reason"):
                state.skipped[record["target_id"]] = record["reason"]
        elif kind == "skip":
            state.skipped[record["id"]] = record["reason"]
            state.attempts[record["id"]] += 1
            if record.get("location_id"):
                state.skip_location[record["id"]] = record["location_id"]

    def _drop_missing_images(self) -> None:
        state = self.state
        for sample_id, image in list(state.images.items()):
            if (self.out_dir / image.image_path).is_file():
                continue
            # deleted by hand: forget it and re-open its target, whose place is known, so
            # the run downloads it again instead of silently leaving it out of the manifest
            del state.images[sample_id]
            self.missing_images.append(image)
            location = state.locations.get(image.location_id)
            if location is not None:
                state.targets_done.pop(location.target_id, None)
                state.skipped.pop(location.target_id, None)

    def _location_of_sample(self, sample_id: str) -> LocationRecord | None:
        state = self.state
        # journals before skips named their location: a sample id is the location id,
        # or the location id plus "_<suffix>" (a heading)
        location_id = state.skip_location.get(sample_id) or (
            sample_id if sample_id in state.locations else sample_id.rsplit("_", 1)[0]
        )
        return state.locations.get(location_id)

    def gave_up(self, sample_id: str) -> bool:
        """Return whether a skipped image is not to be asked for again (final, or tried out)."""
        reason = self.state.skipped.get(sample_id)
        if reason is None:
            return False
        final = reason.split(":")[0] in _FINAL_SKIPS
        return final or self.state.attempts[sample_id] >= MAX_IMAGE_ATTEMPTS

    def _reopen_skipped_images(self) -> None:
        state = self.state
        for sample_id in list(state.skipped):
            location = self._location_of_sample(sample_id)
            if location is None or sample_id in state.images:
                continue  # a target's own skip (no coverage...), or since downloaded
            if self.gave_up(sample_id):
                continue
            # its target was marked done after the failure: re-open it so the known place's
            # downloads are walked again (done images are not asked twice)
            if state.targets_done.pop(location.target_id, None) is not None:
                state.skipped.pop(location.target_id, None)
            self.retry_images.append(sample_id)

    # -- appending ---------------------------------------------------------------------------
    def _append(self, record: Mapping[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
        with self.journal_path.open("a", encoding="utf-8") as fh:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())

    def add_location(self, location: LocationRecord) -> None:
        """Record the place a target snapped to."""
        self._append({"kind": "location", **asdict(location)})
        self.state.locations[location.location_id] = location
        self.state.location_of_target[location.target_id] = location.location_id

    def add_image(self, record: ImageRecord, data: bytes) -> None:
        """Write an image atomically, then journal it."""
        path = self.out_dir / record.image_path
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        try:
            with partial.open("wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(partial, path)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise InputError(f"cannot write {path}: {exc.strerror}") from None
        self._append({"kind": "image", **asdict(record)})
        self.state.images[record.sample_id] = record
        self.state.skipped.pop(record.sample_id, None)
        if self.settings is not None:
            outputs.append_row(self.out_dir, self.state, self.settings, record)

    def add_link(self, record: ImageRecord, target: Path) -> None:
        """Put a symbolic link to ``target`` at the record's path atomically, then journal it."""
        path = self.out_dir / record.image_path
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        try:
            partial.unlink(missing_ok=True)
            partial.symlink_to(target)
            os.replace(partial, path)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise InputError(f"cannot link {path} -> {target}: {exc.strerror}") from None
        self._append({"kind": "image", **asdict(record)})
        self.state.images[record.sample_id] = record
        self.state.skipped.pop(record.sample_id, None)
        if self.settings is not None:
            outputs.append_row(self.out_dir, self.state, self.settings, record)

    def skip(self, item_id: str, reason: str, location_id: str = "") -> None:
        """Record that one image was left out, and why (the next run tries it again)."""
        entry = {"kind": "skip", "id": item_id, "reason": reason}
        self._append({**entry, "location_id": location_id} if location_id else entry)
        self.state.skipped[item_id] = reason
        self.state.attempts[item_id] += 1
        if location_id:
            self.state.skip_location[item_id] = location_id

    def finish_target(self, target_id: str, outcome: str, reason: str = "") -> None:
        """Record that a target needs no more work."""
        self._append({"kind": "target", "target_id": target_id, "outcome": outcome,
                      "reason": reason})  # fmt: skip
        self.state.targets_done[target_id] = outcome
        if reason:
            self.state.skipped[target_id] = reason

    # -- outputs ---------------------------------------------------------------------------
    def start_manifest(self, settings: ManifestSettings) -> Path:
        """Rewrite manifest.csv from the journal now; later images are appended as they land."""
        self.settings = settings
        return outputs.rewrite_manifest(self.out_dir, self.state, settings)

    def manifest_rows(
        self, source: str, licence: str, split: str | None, test_share: float | None = None
    ) -> list[dict[str, Any]]:
        """Return one manifest row per image, ordered by location then heading."""
        settings = ManifestSettings(source, licence, split, test_share)
        return outputs.manifest_rows(self.state, settings)

    def write_outputs(
        self,
        source: str,
        licence: str,
        split: str | None,
        provenance: Mapping[str, Any],
        test_share: float | None = None,
    ) -> Path:
        """Rebuild manifest.csv and collection.json from the journal; return the manifest."""
        settings = ManifestSettings(source, licence, split, test_share)
        manifest = outputs.rewrite_manifest(self.out_dir, self.state, settings)
        sha = hashlib.sha256(manifest.read_bytes()).hexdigest()
        self.write_provenance(provenance, sha)
        return manifest

    def write_provenance(self, provenance: Mapping[str, Any], manifest_sha: str | None) -> None:
        """Replace collection.json atomically (``manifest_sha`` None while a run is going)."""
        info = {**provenance, "counts": self.counts(), "manifest_sha256": manifest_sha}
        outputs.replace_json(self.out_dir / PROVENANCE_NAME, info)

    def counts(self) -> dict[str, Any]:
        """Return how many targets, locations, images and skips the folder holds."""
        return outputs.counts(self.state)


__all__ = ["MANIFEST_COLUMNS", "MANIFEST_NAME", "PROVENANCE_NAME", "split_of"]
