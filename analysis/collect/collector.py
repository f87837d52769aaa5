"""Drive a collection: targets -> places -> verified images -> journal -> manifest."""

from __future__ import annotations

import hashlib
import shlex
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis.collect.http import HttpClient, HttpResponse, RateLimiter, RetryPolicy
from analysis.collect.layout import check_layout, collector_path, llmgeo_path
from analysis.collect.outputs import ManifestSettings, split_of
from analysis.collect.plan import Target
from analysis.collect.progress import Progress
from analysis.collect.source import CollectSource, Download, NoPlace, safe_id
from analysis.collect.writer import CollectionWriter, ImageRecord, LocationRecord
from analysis.errors import ImageError

Log = Callable[[str], None]
PROVENANCE_EVERY_S = 30.0  # collection.json counts are refreshed this often during a run


@dataclass(frozen=True)
class CollectOptions:
    """Where and how: output folder, plan parameters (for provenance), pacing, limits."""

    out_dir: Path
    plan: Mapping[str, Any] = field(default_factory=dict)  # countries, per_country, seed, rings
    rpm: float = 60.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_images: int | None = None  # stop cleanly after this many new images (resume later)
    split: str | None = None
    test_share: float | None = None  # train/test per location instead of one split for all
    dataset_name: str | None = None
    layout: str = "collector"  # or "llmgeo": the study's split/h<heading>/<iso3>/ folders


@dataclass(frozen=True)
class CollectReport:
    """What a run did and where the result is."""

    out_dir: Path
    manifest: Path
    counts: Mapping[str, Any]
    new_images: int
    requests_sent: int
    stopped_early: bool
    import_command: str


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def import_command(manifest: Path, name: str) -> str:
    """Return the CLI line that imports a collection's manifest as a dataset."""
    return (
        f"python -m analysis import-dataset {shlex.quote(manifest.as_posix())} "
        f"--name {shlex.quote(name)}"
    )


class _Run:
    def __init__(
        self, source: CollectSource, options: CollectOptions, http: HttpClient, log: Log,
        progress: Progress | None = None,
    ) -> None:  # fmt: skip
        self.source, self.options, self.http, self.log = source, options, http, log
        self.progress = progress
        self.writer = CollectionWriter(options.out_dir)
        self.new_images = 0

    def detail(self, line: str) -> None:
        # one line per target: behind --verbose when a progress bar shows the pace instead
        if self.progress is not None:
            self.progress.detail(self.http.redact(line))
        else:
            self.log(line)

    def header(self) -> dict[str, Any]:
        return {
            "source": self.source.name,
            "seed": self.options.plan.get("seed"),
            **self.source.identity(),
            "split": self.options.split,
            "test_share": self.options.test_share,
            "layout": self.options.layout,
            "created_utc": utc_now(),
        }

    def identity_keys(self) -> tuple[str, ...]:
        # split settings too: re-splitting a folder would move fine-tuning images into test;
        # the layout: one folder holds one layout
        return ("source", "seed", *self.source.identity(), "split", "test_share", "layout")

    def limit_reached(self) -> bool:
        cap = self.options.max_images
        return cap is not None and self.new_images >= cap

    def do_target(self, target: Target) -> None:
        state = self.writer.state
        location_id = state.location_of_target.get(target.target_id)
        if location_id is not None:  # located by an earlier run that stopped mid-images
            location = state.locations[location_id]
            downloads = self.source.downloads_for(location, self.http)
        else:
            found = self.locate(target)
            if isinstance(found, NoPlace):
                self.writer.finish_target(target.target_id, found.reason.split(":")[0],
                                          found.reason)  # fmt: skip
                self.detail(f"{target.target_id}: skipped ({found.reason})")
                return
            location, downloads = found
            self.writer.add_location(location)
            moved = "" if location.country == target.iso3 else f" (target in {target.iso3})"
            self.detail(f"{target.target_id}: {location.location_id} at "
                        f"({location.lat:.5f}, {location.lon:.5f}) {location.country}{moved}")  # fmt: skip
        for download in downloads:
            if self.limit_reached():
                return
            self.fetch(location, download)
        got = sum(1 for i in state.images.values() if i.location_id == location.location_id)
        outcome = "ok" if got else "no_images"
        self.writer.finish_target(target.target_id, outcome,
                                  "" if got else "no_images: every download failed")  # fmt: skip

    def locate(self, target: Target) -> tuple[LocationRecord, tuple[Download, ...]] | NoPlace:
        from analysis.geo.countries import country_of

        state = self.writer.state
        taken = frozenset(loc.source_id for loc in state.locations.values())
        last = NoPlace("no_coverage: no point tried")
        tried = 0
        for lat, lon in target.candidates():
            tried += 1
            found = self.source.locate(lat, lon, self.http, taken)
            if isinstance(found, NoPlace):
                last = found
                continue
            location_id = f"{self.source.prefix}_{safe_id(found.source_id)}"
            if location_id in state.locations:
                other = state.locations[location_id].target_id
                last = NoPlace(f"duplicate: {found.source_id} already collected for {other}")
                continue
            # truth is where the imagery is, not the target: a pano may snap across a border
            country = country_of(found.lat, found.lon)
            if country is None:
                last = NoPlace(
                    f"outside_country: ({found.lat:.5f}, {found.lon:.5f}) is in no country"
                )
                continue
            record = LocationRecord(
                location_id=location_id, target_id=target.target_id, lat=found.lat,
                lon=found.lon, country=country, source_id=found.source_id,
                captured=found.captured, attribution=found.attribution,
                target_lat=target.lat, target_lon=target.lon,  # the planned point, not a ring
            )  # fmt: skip
            return record, found.downloads
        if target.rings_km and last.reason.startswith("no_coverage"):
            rings = ", ".join(f"{r:g}" for r in target.rings_km)
            return NoPlace(f"{last.reason}; tried {tried} points: the target and rings of "
                           f"{rings} km around it inside {target.iso3}")  # fmt: skip
        return last

    def fetch(self, location: LocationRecord, download: Download) -> None:
        state = self.writer.state
        sample_id = location.location_id + (f"_{download.suffix}" if download.suffix else "")
        if sample_id in state.images or self.writer.gave_up(sample_id):
            return
        response = self.http.get(download.url, download.params, download.headers)
        problem = self.problem(response)
        if problem is None:
            problem, size = _verify(response.body)
        path = self.image_path(location, download, sample_id)
        if problem is None and self.path_taken(path):
            problem = f"duplicate: {path} already holds another image (same coordinates)"
        if problem is not None:
            self.writer.skip(sample_id, problem, location.location_id)
            self.detail(f"  {sample_id}: skipped ({problem})")
            return
        from analysis.images import image_sha256

        record = ImageRecord(
            sample_id=sample_id, location_id=location.location_id, heading=download.heading,
            image_path=path, sha256=image_sha256(response.body), width=size[0], height=size[1],
        )  # fmt: skip
        self.writer.add_image(record, response.body)
        self.new_images += 1

    def image_path(self, location: LocationRecord, download: Download, sample_id: str) -> str:
        if self.options.layout != "llmgeo" or download.heading is None:
            return collector_path(location.country, sample_id)
        identity = self.source.identity()
        split = split_of(location.place_id, self.options.split, self.options.test_share)
        return llmgeo_path(split, download.heading, location.country, location.lat,
                           location.lon, int(identity.get("pitch_deg", 0)),
                           int(identity.get("fov_deg", 90)))  # fmt: skip

    def path_taken(self, path: str) -> bool:
        # two panoramas at the very same coordinates get the same LLMGeo file name; a file
        # that no journaled image owns is a leftover of a killed run and may be replaced
        if not (self.options.out_dir / path).exists():
            return False
        return any(image.image_path == path for image in self.writer.state.images.values())

    def problem(self, response: HttpResponse) -> str | None:
        if response.status in (401, 403):
            raise self.source.credentials_error(f"HTTP {response.status} on {response.url}")
        if response.status == 404:
            return "no_imagery: HTTP 404 (the service has no image for this request)"
        if response.status != 200:
            return f"http_error: HTTP {response.status}"
        return None


def _verify(body: bytes) -> tuple[str | None, tuple[int, int]]:
    from analysis.images import open_image

    try:
        loaded = open_image(body, filename="download.jpg")
    except ImageError as exc:
        return f"not_an_image: {len(body)} bytes that Pillow cannot decode ({exc})", (0, 0)
    if loaded.source_format not in ("JPEG", "PNG", "WEBP"):
        return f"not_an_image: unexpected format {loaded.source_format}", (0, 0)
    return None, (loaded.width, loaded.height)


def collect(
    source: CollectSource,
    targets: Sequence[Target],
    options: CollectOptions,
    log: Log = lambda _line: None,
    http: HttpClient | None = None,
    progress: Progress | None = None,
) -> CollectReport:
    """Collect imagery for ``targets`` into ``options.out_dir``; resumable, idempotent.

    ``log`` gets the lines that matter (resume, repairs); with ``progress`` the per-target lines
    go to it (shown when verbose) and it counts targets, images and skips with an ETA.
    """
    check_layout(options.layout, source.identity(), options.split, options.test_share)
    http = http or HttpClient(
        policy=options.retry, limiter=RateLimiter(options.rpm), secrets=source.secrets()
    )
    run = _Run(source, options, http, lambda line: log(http.redact(line)), progress)
    state = run.writer.state
    run.writer.open(run.header(), run.identity_keys())
    if run.writer.repaired_tail:
        log("journal: a torn last line from a killed run was dropped")
    _log_missing(run, targets)
    done_before = len(state.images)
    if done_before:
        log(f"resuming: {done_before} images and {len(state.targets_done)} "
            f"targets already done")  # fmt: skip
    if run.writer.retry_images:
        log(f"trying again {len(run.writer.retry_images)} image(s) skipped by an earlier run: "
            + ", ".join(run.writer.retry_images[:5])
            + (" ..." if len(run.writer.retry_images) > 5 else ""))  # fmt: skip
    started = time.monotonic()
    # from here a valid manifest and provenance exist, whatever happens to this process
    run.writer.start_manifest(_settings(run))
    run.writer.write_provenance(_provenance(run, started, "running"), None)
    last_provenance = started
    stopped_early = False
    if progress is not None:
        progress.start(len(targets), sum(1 for t in targets if t.target_id in state.targets_done))
    try:
        for target in targets:
            if target.target_id in state.targets_done:
                continue
            if run.limit_reached():
                stopped_early = True
                break
            run.do_target(target)
            if progress is not None:
                progress.advance(len(state.images), len(state.skipped))
            if time.monotonic() - last_provenance >= PROVENANCE_EVERY_S:
                run.writer.write_provenance(_provenance(run, started, "running"), None)
                last_provenance = time.monotonic()
        else:
            stopped_early = run.limit_reached() and any(
                t.target_id not in state.targets_done for t in targets
            )
    finally:
        if progress is not None:
            progress.close()
        manifest = _write_outputs(run, started)
    name = options.dataset_name or options.out_dir.name
    return CollectReport(
        out_dir=options.out_dir, manifest=manifest, counts=run.writer.counts(),
        new_images=run.new_images, requests_sent=http.requests_sent,
        stopped_early=stopped_early, import_command=import_command(manifest, name),
    )  # fmt: skip


def check_folder(source: CollectSource, options: CollectOptions) -> None:
    """Refuse ``options.out_dir`` as ``collect`` would, touching nothing (for dry runs)."""
    run = _Run(source, options, HttpClient(), lambda _line: None)
    run.writer.check(run.header(), run.identity_keys())


def _log_missing(run: _Run, targets: Sequence[Target]) -> None:
    missing = run.writer.missing_images
    if not missing:
        return
    state = run.writer.state
    planned = {t.target_id for t in targets}
    again = [i for i in missing if state.locations[i.location_id].target_id in planned]
    if again:
        names = ", ".join(i.image_path for i in again[:5]) + (" ..." if len(again) > 5 else "")
        run.log(f"{len(again)} image(s) in the journal are missing on disk, downloading them "
                f"again (place known, no new search): {names}")  # fmt: skip
    if len(again) < len(missing):
        run.log(f"{len(missing) - len(again)} missing image(s) belong to targets outside this "
                "run's plan (other --countries/--per-country): not downloaded again")  # fmt: skip


def _settings(run: _Run) -> ManifestSettings:
    return ManifestSettings(run.source.name, run.source.licence, run.options.split,
                            run.options.test_share)  # fmt: skip


def _write_outputs(run: _Run, started: float) -> Path:
    manifest = run.writer.start_manifest(_settings(run))  # rebuilt in order from the journal
    digest = hashlib.sha256(manifest.read_bytes()).hexdigest()
    run.writer.write_provenance(_provenance(run, started, "finished"), digest)
    return manifest


def _provenance(run: _Run, started: float, state: str) -> dict[str, Any]:
    header = run.writer.state.header or {}
    name = run.options.dataset_name or run.options.out_dir.name
    manifest = run.options.out_dir / "manifest.csv"
    provenance = {
        # "running" while a run goes; left so by a killed run (the manifest is still valid)
        "run_state": state,
        "tool": "GeoScope collector (python -m analysis collect)",
        "source": run.source.name,
        "created_utc": header.get("created_utc"),
        "updated_utc": utc_now(),
        "seed": header.get("seed"),
        "parameters": {
            **dict(run.options.plan),
            **run.source.identity(),
            "rpm": run.options.rpm,
            "split": run.options.split,
            "test_share": run.options.test_share,
            "layout": run.options.layout,
        },
        "licence": run.source.licence,
        "truth": "coordinates returned by the service for each image (not the target point); "
        "country from the Natural Earth 10m admin-0 polygons",
        "last_run": {
            "new_images": run.new_images,
            "requests_sent": run.http.requests_sent,
            "seconds": round(time.monotonic() - started, 3),
        },
        "import_command": import_command(manifest, name),
    }
    clean: dict[str, Any] = _scrub(provenance, run.http)
    return clean


def _scrub(value: Any, http: HttpClient) -> Any:
    if isinstance(value, str):
        return http.redact(value)
    if isinstance(value, dict):
        return {k: _scrub(v, http) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub(v, http) for v in value]
    return value
