"""CLI: ``collect streetview|mapillary|photos`` build a dataset folder from imagery or photos."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

_EPILOG_SV = """examples:
  export GOOGLE_MAPS_API_KEY=...   # a key with the Street View Static API enabled
  python -m analysis collect streetview --countries FRA,DEU --per-country 5 \\
      --out data/collections/fra-deu --dry-run
  python -m analysis collect streetview --countries FRA,DEU --per-country 5 \\
      --out data/collections/fra-deu --seed 0 --rpm 60
  python -m analysis collect streetview --countries Europe --total 200 --weight area \\
      --out data/collections/europe --dry-run          # 200 targets shared by area; cost
  python -m analysis collect streetview --countries "Western Africa,KEN" --per-country 10 \\
      --split test --layout llmgeo --out data/collections/africa   # the study's folders
  python -m analysis import-dataset data/collections/fra-deu/manifest.csv --name fra-deu
  python -m analysis import-dataset data/collections/africa/dataset --format llmgeo \\
      --name africa

Re-running the same command resumes: done images are skipped, nothing is downloaded twice.
Metadata lookups are free; each image (one per heading) is a billable Street View request
(--dry-run prints the estimate). Google's terms limit storing Street View images and using
them to train models: see docs/collect.md before you collect or share."""

_EPILOG_MLY = """examples:
  export MAPILLARY_ACCESS_TOKEN='MLY|...'   # a client token from mapillary.com/dashboard
  python -m analysis collect mapillary --countries "France,Germany" --per-country 10 \\
      --out data/collections/mly-fra-deu
  python -m analysis collect mapillary --countries KEN --per-country 20 --radius-m 3000 \\
      --out data/collections/mly-ken --rpm 120
  python -m analysis import-dataset data/collections/mly-ken/manifest.csv --name mly-ken

Mapillary imagery is CC BY-SA 4.0: the manifest keeps each image's creator for attribution.
The API is free (rate-limited per app)."""

_EPILOG_PHOTOS = """examples:
  python -m analysis collect photos --from ~/Pictures/trip --out data/collections/trip \\
      --test-share 0.2
  python -m analysis collect photos --from ~/Pictures --out data/collections/mine --link
  python -m analysis import-dataset data/collections/trip/manifest.csv --name trip

The originals are only read: images are copied (default) or symlinked (--link) into OUT.
Photos taken within --radius-m of each other share one location_id, so a split never puts
one place in both train and test. Photos without GPS in their EXIF are listed and skipped."""


def _csv(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _headings(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in _csv(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"headings must be whole degrees, got {text!r}") from None


def _rings(text: str) -> tuple[float, ...]:
    if text.strip().lower() in ("", "none", "0"):
        return ()
    try:
        return tuple(float(part) for part in _csv(text))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--rings-km must be km like 1,2,5, got {text!r}"
        ) from None


def _splits(p: argparse.ArgumentParser) -> None:
    splits = p.add_mutually_exclusive_group()
    splits.add_argument("--split", help="one split for every image (e.g. test)")
    splits.add_argument("--test-share", type=float,
                        help="split per location: this share of places -> test, the rest -> "
                        "train (e.g. 0.2); all images of a place stay together")  # fmt: skip


def _common(p: argparse.ArgumentParser, key_env: str, base_url: str) -> None:
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--countries", type=_csv, metavar="LIST",
                       help="comma-separated ISO3 codes, names, continents or sub-regions, e.g. "
                       "FRA,DEU or 'France,Peru' or Europe or 'Western Africa,Caribbean'")  # fmt: skip
    where.add_argument("--all-countries", action="store_true",
                       help="every country with a Natural Earth polygon (~240)")  # fmt: skip
    how_many = p.add_mutually_exclusive_group()
    how_many.add_argument("--per-country", type=int,
                          help="targets per country, at most 10000 (default 5)")  # fmt: skip
    how_many.add_argument("--total", type=int,
                          help="targets in all, shared among the countries (see --weight)")  # fmt: skip
    p.add_argument("--weight", choices=("area", "equal"), default="area",
                   help="how --total is shared: by land area (default) or equally")  # fmt: skip
    p.add_argument("--spacing-km", type=float,
                   help="least distance between two targets of a country (default: the snap "
                   "radius --radius-m, so two targets rarely find the same place)")  # fmt: skip
    p.add_argument("--rings-km", type=_rings, default=(1.0, 2.0, 5.0, 10.0, 25.0, 50.0),
                   help="where a target without imagery is tried again: one point per ring "
                   "at these km around it, inside its country (default 1,2,5,10,25,50; "
                   "'none' to give up at once)")  # fmt: skip
    p.add_argument("--out", type=Path, required=True, help="output folder (created; resumable)")
    p.add_argument("--seed", type=int, default=0, help="seed of the target points (default 0)")
    p.add_argument("--rpm", type=float, default=60.0,
                   help="requests per minute, 0 = no limit (default 60)")  # fmt: skip
    p.add_argument("--retries", type=int, default=4, help="retries on 429/5xx/timeouts (4)")
    p.add_argument("--backoff", type=float, default=1.0,
                   help="first retry delay in s, doubled each retry, jittered (default 1)")  # fmt: skip
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per request (30)")
    p.add_argument("--max-images", type=int, help="stop after N new images (resume later)")
    _splits(p)
    p.add_argument("--name", help="dataset name in the printed import command (default: folder)")
    p.add_argument("--dry-run", action="store_true",
                   help="print the plan, the requests it would make and their cost; no network, "
                   "no files")  # fmt: skip
    p.add_argument("--base-url", default=base_url, help=f"API base URL (default {base_url})")
    p.add_argument("--key-env", default=key_env,
                   help=f"environment variable holding the key (default {key_env})")  # fmt: skip
    _verbosity(p)


def _verbosity(p: argparse.ArgumentParser) -> None:
    talk = p.add_mutually_exclusive_group()
    talk.add_argument("--quiet", action="store_true", help="no progress bar or lines")
    talk.add_argument("--verbose", action="store_true",
                      help="one line per target (or photo) besides the progress bar")  # fmt: skip


def register(subparsers: Any) -> None:
    """Add ``collect streetview``, ``collect mapillary`` and ``collect photos``."""
    fmt = argparse.RawDescriptionHelpFormatter
    collect = subparsers.add_parser(
        "collect", help="build a geolocation dataset from Street View, Mapillary or your photos",
        formatter_class=fmt,
        description="Collect street-level images with their true coordinates into a folder "
        "(images + manifest.csv + collection.json) that import-dataset reads.",
        epilog="examples:\n  python -m analysis collect streetview --countries FRA --per-country 3"
        " --out data/collections/fra\n  python -m analysis collect mapillary --countries PER "
        "--per-country 3 --out data/collections/per\n  python -m analysis collect streetview "
        "--help",
    )  # fmt: skip
    sources = collect.add_subparsers(dest="collect_source", metavar="SOURCE")
    collect.set_defaults(handler=lambda _a: (collect.print_help(), 2)[1])

    sv = sources.add_parser(
        "streetview", help="Google Street View Static API (key: $GOOGLE_MAPS_API_KEY)",
        formatter_class=fmt, epilog=_EPILOG_SV,
        description="Snap seeded random points in each country to the nearest Street View "
        "panorama (free metadata), then download one image per heading. The truth of each image "
        "is the panorama's position and the country containing it.",
    )  # fmt: skip
    _common(sv, "GOOGLE_MAPS_API_KEY", "https://maps.googleapis.com")
    sv.add_argument("--headings", type=_headings, default=(0, 90, 180, 270),
                    help="camera headings in degrees (default 0,90,180,270)")  # fmt: skip
    sv.add_argument("--radius-m", type=int, default=1000,
                    help="how far a target may snap to a panorama, metres (default 1000)")  # fmt: skip
    sv.add_argument("--size", type=int, default=640, help="square image side, max 640 (640)")
    sv.add_argument("--fov", type=int, default=90, help="field of view in degrees (90)")
    sv.add_argument("--pitch", type=int, default=0, help="camera pitch in degrees (0)")
    sv.add_argument("--include-indoor", action="store_true",
                    help="also snap to indoor panoramas (default: source=outdoor)")  # fmt: skip
    sv.add_argument("--price-per-1000", type=float, metavar="USD",
                    help="price of 1000 images for the dry run's estimate (default: Google's "
                    "list price, 7.00 USD up to 100,000 a month, 5.60 above; see docs/collect.md)")  # fmt: skip
    sv.add_argument("--layout", choices=("collector", "llmgeo"), default="collector",
                    help="image folders: collector (images/<iso3>/) or llmgeo, the study's "
                    "dataset/<split>/h<heading>/<iso3>/<LON>_<LAT>_h<H>_p<P>_f<F>.jpg (needs "
                    "--split or --test-share; default split test)")  # fmt: skip
    sv.set_defaults(handler=_cmd_streetview)

    mly = sources.add_parser(
        "mapillary", help="Mapillary API v4, CC BY-SA 4.0 (token: $MAPILLARY_ACCESS_TOKEN)",
        formatter_class=fmt, epilog=_EPILOG_MLY,
        description="Search Mapillary images in a small box around seeded random points in each "
        "country (growing the box when empty), take the nearest and download its 1024 px "
        "thumbnail. Truth is the image's computed position.",
    )  # fmt: skip
    _common(mly, "MAPILLARY_ACCESS_TOKEN", "https://graph.mapillary.com")
    mly.add_argument("--radius-m", type=int, default=1000,
                     help="largest half-width of the search box, metres (default 1000)")  # fmt: skip
    mly.add_argument("--start-m", type=int, default=100,
                     help="first half-width of the search box, doubled until found (100)")  # fmt: skip
    mly.add_argument("--limit", type=int, default=50, help="images per search request (50)")
    mly.set_defaults(handler=_cmd_mapillary)

    photos = sources.add_parser(
        "photos", help="a folder of your own geotagged photos (EXIF GPS)",
        formatter_class=fmt, epilog=_EPILOG_PHOTOS,
        description="Turn a folder of photos whose EXIF carries GPS into a collection folder "
        "(images + manifest.csv + collection.json) like the other sources. Truth is each "
        "photo's GPS point and the country containing it.",
    )  # fmt: skip
    photos.add_argument("--from", dest="from_dir", type=Path, required=True, metavar="DIR",
                        help="folder of photos, read recursively (never modified)")  # fmt: skip
    photos.add_argument("--out", type=Path, required=True, help="output folder (resumable)")
    photos.add_argument("--link", action="store_true",
                        help="symlink the originals instead of copying them")  # fmt: skip
    photos.add_argument("--radius-m", type=float, default=100.0,
                        help="photos this close (chained) are one location (default 100)")  # fmt: skip
    _splits(photos)
    photos.add_argument("--name", help="dataset name in the printed import command")
    _verbosity(photos)
    photos.set_defaults(handler=_cmd_photos)


def _cmd_streetview(args: argparse.Namespace) -> int:
    from analysis.collect.streetview import StreetViewOptions, StreetViewSource

    options = StreetViewOptions(
        headings=tuple(args.headings), radius_m=args.radius_m, size_px=args.size,
        fov_deg=args.fov, pitch_deg=args.pitch, outdoor_only=not args.include_indoor,
        base_url=args.base_url, key_env=args.key_env, price_per_1000_usd=args.price_per_1000,
    )  # fmt: skip
    if args.layout == "llmgeo" and args.split is None and args.test_share is None:
        args.split = "test"  # the study's folders start with a split; its benchmark is "test"
    source = StreetViewSource(options) if args.dry_run else StreetViewSource.from_env(options)
    return _run(args, source, args.radius_m / 1000.0)


def _cmd_mapillary(args: argparse.Namespace) -> int:
    from analysis.collect.mapillary import MapillaryOptions, MapillarySource

    options = MapillaryOptions(
        start_m=min(args.start_m, args.radius_m), max_radius_m=args.radius_m, limit=args.limit,
        base_url=args.base_url, key_env=args.key_env,
    )  # fmt: skip
    source = MapillarySource(options) if args.dry_run else MapillarySource.from_env(options)
    return _run(args, source, args.radius_m / 1000.0)


def _progress(args: argparse.Namespace) -> Any:
    from analysis.collect.progress import Progress

    return None if args.quiet else Progress(sys.stderr, verbose=args.verbose)


def _cmd_photos(args: argparse.Namespace) -> int:
    from analysis.collect.photos import PhotoOptions, collect_photos

    options = PhotoOptions(
        from_dir=args.from_dir, out_dir=args.out, link=args.link, radius_m=args.radius_m,
        split=args.split, test_share=args.test_share, dataset_name=args.name,
    )  # fmt: skip
    log = (lambda _line: None) if args.quiet else (lambda line: print(line, file=sys.stderr))
    report = collect_photos(options, log=log, progress=_progress(args))
    counts = report.counts
    print(f"{counts['images']} photos at {counts['locations']} locations in "
          f"{counts['countries']} countries ({report.new_images} new this run, "
          f"{'linked' if args.link else 'copied'} into {args.out}); skipped: "
          f"{len(report.skipped)}")  # fmt: skip
    for line in report.skipped[:20]:
        print(f"  skipped {line}")
    if len(report.skipped) > 20:
        print(f"  ... and {len(report.skipped) - 20} more (all listed in collection.json)")
    print(f"manifest: {report.manifest}")
    print(f"import with: {report.import_command}")
    return 0


def _plan(args: argparse.Namespace, snap_km: float) -> tuple[Any, list[str], dict[str, Any]]:
    from analysis.collect import all_countries
    from analysis.collect.plan import make_plan, resolve_countries
    from analysis.collect.regions import share_total

    countries = all_countries() if args.all_countries else resolve_countries(args.countries)
    spacing_km = snap_km if args.spacing_km is None else args.spacing_km
    per_country: Any = 5 if args.per_country is None else args.per_country
    if args.total is not None:
        per_country = share_total(countries, args.total, args.weight)
    plan = make_plan(countries, per_country, args.seed, spacing_km=spacing_km,
                     rings_km=args.rings_km)  # fmt: skip
    params = {"countries": countries, "per_country": per_country, "total": args.total,
              "weight": args.weight if args.total is not None else None, "seed": args.seed,
              "spacing_km": spacing_km, "rings_km": list(args.rings_km),
              "shortfalls": {c: {"asked": a, "planned": g} for c, (a, g) in plan.shortfalls.items()}}  # fmt: skip
    return plan, countries, params


def _run(args: argparse.Namespace, source: Any, snap_km: float) -> int:
    from analysis.collect import CollectOptions, collect
    from analysis.collect.collector import check_folder
    from analysis.collect.http import RetryPolicy, redact_url
    from analysis.collect.regions import describe_share
    from analysis.errors import InputError

    for flag, value, low in (("--retries", args.retries, 0), ("--rpm", args.rpm, 0),
                             ("--backoff", args.backoff, 0), ("--timeout", args.timeout, 0.1)):  # fmt: skip
        if value < low:
            raise InputError(f"{flag} must be >= {low}, got {value}")
    if args.test_share is not None and not 0 < args.test_share < 1:
        raise InputError(
            f"--test-share must be strictly between 0 and 1 (the share of places sent to "
            f"test; for one split for every image use --split), got {args.test_share}"
        )
    if args.max_images is not None and args.max_images < 1:
        raise InputError(f"--max-images must be >= 1, got {args.max_images}")
    if args.total is not None and args.total < 1:
        raise InputError(f"--total must be >= 1, got {args.total}")
    target_plan, countries, plan = _plan(args, snap_km)
    targets = target_plan.targets
    plan.update(key_env=args.key_env, base_url=redact_url(args.base_url))
    options = CollectOptions(
        out_dir=args.out, plan=plan, rpm=args.rpm,
        retry=RetryPolicy(retries=args.retries, backoff_s=args.backoff, timeout_s=args.timeout),
        max_images=args.max_images, split=args.split, test_share=args.test_share,
        dataset_name=args.name, layout=getattr(args, "layout", "collector"),
    )  # fmt: skip
    notes = target_plan.shortfall_lines(plan["spacing_km"])
    if args.total is not None:
        notes.insert(0, f"--total {args.total} shared by {args.weight}: "
                     + describe_share(plan["per_country"]))  # fmt: skip
    if args.dry_run:
        check_folder(source, options)  # the refusals of a real run, without writing anything
        for note in notes:
            print(f"note: {note}")
        return _dry_run(args, source, targets, countries, redact_url(args.base_url))
    log = (lambda _line: None) if args.quiet else (lambda line: print(line, file=sys.stderr))
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"collecting {source.name}: {len(targets)} targets in {len(countries)} countries "
          f"-> {args.out}", file=sys.stderr)  # fmt: skip
    report = collect(source, targets, options, log=log, progress=_progress(args))
    counts = report.counts
    print(f"{counts['images']} images at {counts['locations']} locations in "
          f"{counts['countries']} countries ({report.new_images} new this run, "
          f"{report.requests_sent} requests); skipped: {counts['skipped']} "
          f"{counts['skip_reasons'] or ''}".rstrip())  # fmt: skip
    if report.stopped_early:
        print("stopped at --max-images: re-run the same command to continue")
    print(f"manifest: {report.manifest}")
    print(f"import with: {report.import_command}")
    return 0


def _dry_run(
    args: argparse.Namespace, source: Any, targets: list[Any], countries: list[str], base: str
) -> int:
    n_points = sum(t.max_points for t in targets)
    rings = ",".join(f"{r:g}" for r in args.rings_km) or "none"
    print(f"dry run: {source.name} at {base}, {len(targets)} targets in {len(countries)} "
          f"countries (seed {args.seed}, fallback rings {rings} km), into {args.out}")  # fmt: skip
    print("target_id,country,lat,lon")
    for target in targets:
        print(f"{target.target_id},{target.iso3},{target.lat:.6f},{target.lon:.6f}")
    for line in source.dry_run_lines(len(targets), n_points):
        print(line)
    print(f"key: read from ${args.key_env} at run time (not needed for a dry run)")
    return 0
