"""A target without coverage is tried again nearby, in widening rings inside its country."""

from __future__ import annotations

import math
from pathlib import Path

from analysis.collect import CollectOptions, collect
from analysis.collect.http import RetryPolicy
from analysis.collect.plan import DEFAULT_RINGS_KM, Target
from analysis.collect.rings import destination
from analysis.collect.streetview import StreetViewOptions, StreetViewSource
from analysis.geo.countries import country_of
from analysis.geo.distance import haversine_km
from tests.collect.util import manifest_rows, planned, provenance, run_cli, sv_args
from tests.support.imagery_server import SV_KEY, ImageryServer


def test_every_fallback_point_is_near_its_target_and_inside_its_country() -> None:
    for target in planned("FRA,DEU,NOR,CHL", per_country=5):
        points = list(target.candidates())
        assert points[0] == target.points[0]
        distances = [float(haversine_km(target.lat, target.lon, *p)) for p in points[1:]]
        assert (
            distances == sorted(distances) and max(distances) < 50.01
        )  # points are rounded to 6 decimals
        assert all(country_of(*p, tolerance_km=0) == target.iso3 for p in points)
        # a ring is skipped only when no bearing lands inside the country (coasts, borders)
        assert {round(d) for d in distances} <= set(DEFAULT_RINGS_KM)


def test_the_destination_formula_gives_the_asked_distance_across_the_antimeridian() -> None:
    lat, lon = destination(-17.0, 179.9, 90.0, 50.0)
    assert lon < -179.0  # wrapped to the other side
    assert math.isclose(float(haversine_km(-17.0, 179.9, lat, lon)), 50.0, rel_tol=1e-4)


def _ring_of_panos(server: ImageryServer, name: str, lat: float, lon: float, km: float) -> None:
    for k in range(12):
        server.add_pano(f"{name}-{k}", *destination(lat, lon, k * 30.0, km))


def test_the_cli_finds_imagery_a_few_km_away_instead_of_moving_the_target_far(
    imagery: ImageryServer, keys: None, tmp_path: Path
) -> None:
    targets = planned()
    for t in targets:  # nothing at the target; a circle of panoramas 4.5 km around it
        _ring_of_panos(imagery, t.target_id, t.lat, t.lon, 4.5)
    out = tmp_path / "near"
    assert run_cli(sv_args(out, imagery, "--radius-m", "2000")) == 0
    rows = manifest_rows(out)
    assert len(rows) == 16
    for row in rows:  # found on the 5 km ring, not hundreds of km away
        moved = haversine_km(float(row["target_lat"]), float(row["target_lon"]),
                             float(row["lat"]), float(row["lon"]))  # fmt: skip
        assert 4.0 < float(moved) < 6.0
    assert len(imagery.calls("sv_meta")) == 4 * 4  # target, 1 km, 2 km, then found at 5 km
    assert provenance(out)["parameters"]["rings_km"] == list(DEFAULT_RINGS_KM)


def test_no_coverage_on_any_ring_is_reported_as_such(
    imagery: ImageryServer, tmp_path: Path
) -> None:
    source = StreetViewSource(StreetViewOptions(base_url=imagery.base_url), SV_KEY)
    options = CollectOptions(out_dir=tmp_path / "none", plan={"seed": 0}, rpm=0,
                             retry=RetryPolicy(retries=0, timeout_s=5))  # fmt: skip
    target = Target("FRA-0000", "FRA", ((46.5, 2.5),), DEFAULT_RINGS_KM)  # central France
    report = collect(source, [target], options)
    assert report.counts["skip_reasons"] == {"no_coverage": 1}
    asked = [tuple(map(float, c.query["location"].split(","))) for c in imagery.calls("sv_meta")]
    assert len(asked) == 7 and asked[0] == (46.5, 2.5)
    journal = (tmp_path / "none" / "journal.jsonl").read_text(encoding="utf-8")
    assert "rings of 1, 2, 5, 10, 25, 50 km around it inside FRA" in journal
