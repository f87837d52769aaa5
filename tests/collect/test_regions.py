"""Continents and sub-regions, a total shared by area, and spaced targets."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from analysis.collect.plan import Target, make_plan, plan_targets, resolve_countries
from analysis.collect.regions import area_km2, share_total
from analysis.errors import InputError
from analysis.geo.countries import countries_frame
from analysis.geo.distance import haversine_km
from tests.collect.util import run_cli


def _min_gap_km(targets: list[Target]) -> float:
    return min(
        float(haversine_km(a.lat, a.lon, b.lat, b.lon))
        for a, b in itertools.combinations(targets, 2)
    )


def test_continents_and_subregions_expand_to_their_countries() -> None:
    europe = resolve_countries(["Europe"])
    frame = countries_frame()
    assert set(europe) == set(frame.loc[frame["continent"] == "Europe", "iso3"])
    assert {"FRA", "DEU", "NOR", "XKX"} <= set(europe) and "JPN" not in europe
    west = resolve_countries(["western africa", "JPN", "Nigeria"])  # any case; no repeats
    assert {"NGA", "SEN", "GHA"} <= set(west) and west[-1] == "JPN" and west.count("NGA") == 1
    assert set(resolve_countries(["Americas"])) >= {"USA", "BRA", "CAN", "JAM"}
    with pytest.raises(InputError, match="continent or sub-region"):
        resolve_countries(["Middle Earth"])


def test_the_cli_accepts_a_continent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["collect", "streetview", "--countries", "Europe", "--per-country", "1",
            "--out", str(tmp_path / "eu"), "--dry-run"]  # fmt: skip
    assert run_cli(argv) == 0
    text = capsys.readouterr().out
    assert "FRA-0000,FRA," in text and "POL-0000,POL," in text


def test_areas_are_those_of_the_sphere() -> None:
    # Germany is about 357,000 km2; Luxembourg about 2,590 km2 (official figures)
    assert area_km2("DEU") == pytest.approx(357_000, rel=0.02)
    assert area_km2("LUX") == pytest.approx(2_590, rel=0.05)


def test_a_total_is_shared_by_area_or_equally_and_sums_exactly() -> None:
    by_area = share_total(["FRA", "DEU", "LUX"], 100, "area")
    assert sum(by_area.values()) == 100
    assert by_area["FRA"] > by_area["DEU"] > by_area["LUX"]
    expected_fra = 100 * area_km2("FRA") / sum(area_km2(c) for c in ("FRA", "DEU", "LUX"))
    assert abs(by_area["FRA"] - expected_fra) < 1
    assert share_total(["FRA", "DEU", "LUX"], 10, "equal") == {"FRA": 4, "DEU": 3, "LUX": 3}
    with pytest.raises(InputError, match="--total"):
        share_total(["FRA"], 0, "area")


def test_the_cli_shares_a_total_across_a_region(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["collect", "streetview", "--countries", "FRA,DEU,LUX", "--total", "30",
            "--weight", "area", "--out", str(tmp_path / "t"), "--dry-run"]  # fmt: skip
    assert run_cli(argv) == 0
    text = capsys.readouterr().out
    rows = [line for line in text.splitlines() if line[:4] in ("FRA-", "DEU-", "LUX-")]
    assert len(rows) == 30
    assert "--total 30 shared by area: FRA" in text


def test_targets_of_a_country_keep_the_spacing_and_the_plan_stays_prefix_stable() -> None:
    # 40 unspaced targets in Luxembourg came within 0.32-0.67 km: under the 1 km snap radius
    spaced = plan_targets(["LUX"], 40, seed=0, spacing_km=1.0)
    assert len(spaced) == 40 and _min_gap_km(spaced) >= 1.0
    assert plan_targets(["LUX"], 20, seed=0, spacing_km=1.0) == spaced[:20]
    wide = plan_targets(["LUX"], 30, seed=0, spacing_km=5.0)
    assert _min_gap_km(wide) >= 5.0


def test_a_country_too_small_for_the_spacing_gets_fewer_targets_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = make_plan(["VAT", "FRA"], 5, seed=0, spacing_km=1.0)
    assert plan.shortfalls == {"VAT": (5, 1)}
    assert [t.iso3 for t in plan.targets].count("FRA") == 5
    argv = ["collect", "streetview", "--countries", "VAT,FRA", "--per-country", "5",
            "--out", str(tmp_path / "v"), "--dry-run"]  # fmt: skip
    assert run_cli(argv) == 0
    assert "note: VAT: only 1 of 5 targets fit at least 1 km apart" in capsys.readouterr().out
