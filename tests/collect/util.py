"""Helpers shared by the collector tests."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from analysis.cli import main
from analysis.collect.plan import Target, plan_targets, resolve_countries
from tests.support.imagery_server import ImageryServer

FAST = ["--rpm", "0", "--backoff", "0.01", "--timeout", "5"]


def sv_args(out: Path, server: ImageryServer, *extra: str) -> list[str]:
    """Return CLI args of a Street View collection against the fake server."""
    return ["collect", "streetview", "--countries", "FRA,DEU", "--per-country", "2",
            "--out", str(out), "--base-url", server.base_url, *FAST, *extra]  # fmt: skip


def planned(countries: str = "FRA,DEU", per_country: int = 2, seed: int = 0) -> list[Target]:
    """Return the targets the CLI plans for these arguments (default spacing and rings)."""
    return plan_targets(resolve_countries(countries.split(",")), per_country, seed)


def cover_targets(server: ImageryServer, targets: list[Target], offset_deg: float = 0.001) -> None:
    """Put one panorama about 100 m from each target's first point."""
    for t in targets:
        server.add_pano(f"pano-{t.target_id}", t.lat + offset_deg, t.lon)


def run_cli(args: list[str]) -> int:
    """Run the CLI in-process."""
    return main(args)


def manifest_rows(out: Path) -> list[dict[str, str]]:
    """Read the manifest of a collection folder."""
    with (out / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def provenance(out: Path) -> dict[str, Any]:
    """Read collection.json."""
    data: dict[str, Any] = json.loads((out / "collection.json").read_text(encoding="utf-8"))
    return data


def all_bytes(folder: Path) -> bytes:
    """Return every file's bytes under ``folder`` concatenated (for secret scans)."""
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())
