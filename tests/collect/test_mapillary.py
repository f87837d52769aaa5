"""Mapillary end to end against the fake Graph API: box growth, truth, attribution, token."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from analysis.collect.mapillary import bbox_around
from analysis.store import Store
from tests.collect.util import FAST, all_bytes, manifest_rows, planned, provenance, run_cli
from tests.support.imagery_server import MLY_TOKEN, ImageryServer, Reply


def _args(out: Path, server: ImageryServer, *extra: str) -> list[str]:
    return ["collect", "mapillary", "--countries", "FRA,DEU", "--per-country", "2", "--out",
            str(out), "--base-url", server.base_url, *FAST, *extra]  # fmt: skip


def test_nearest_image_is_found_by_growing_the_box_and_credited(
    imagery: ImageryServer, keys: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    targets = planned()
    for t in targets:  # ~330 m north: outside the 100 and 200 m boxes, inside the 400 m one
        imagery.add_mapillary(f"{zlib.crc32(t.target_id.encode())}", t.lat + 0.003, t.lon,
                              creator=f"user-{t.target_id}")  # fmt: skip
        imagery.add_mapillary(f"9{zlib.crc32(t.target_id.encode())}", t.lat + 0.009, t.lon)
    out = tmp_path / "mly"
    assert run_cli(_args(out, imagery)) == 0
    assert len(imagery.calls("mly_search")) == 4 * 3  # 100 m, 200 m, 400 m per target
    rows = manifest_rows(out)
    assert len(rows) == 4
    by_target = {r["target_id"]: r for r in rows}
    for t in targets:
        row = by_target[t.target_id]
        near = next(i for i in imagery.mly_images if i.creator == f"user-{t.target_id}")
        # truth = computed_geometry of the nearer image, not its raw GPS, not the target
        assert (float(row["lat"]), float(row["lon"])) == (near.lat, near.lon)
        assert row["country"] == t.iso3 and row["heading"] == ""
        assert f"user-{t.target_id}" in row["attribution"] and "CC BY-SA 4.0" in row["licence"]
    info = provenance(out)
    assert "CC BY-SA 4.0" in info["licence"] and info["source"] == "mapillary"
    searches, thumbs = imagery.calls("mly_search"), imagery.calls("mly_thumb")
    assert len(thumbs) == 4
    assert all(c.headers.get("authorization") == f"OAuth {MLY_TOKEN}" for c in searches)
    assert all("access_token" not in c.query for c in searches)
    assert all("authorization" not in c.headers for c in thumbs)  # the CDN never sees it
    printed = capsys.readouterr()
    assert MLY_TOKEN not in printed.out + printed.err
    assert MLY_TOKEN.encode() not in all_bytes(out)
    db = tmp_path / "db.duckdb"
    assert run_cli(["--db", str(db), "import-dataset", str(out / "manifest.csv"), "--name",
                    "mly"]) == 0  # fmt: skip
    assert len(Store(db).dataset_samples("mly")) == 4


def test_no_image_within_the_largest_box_skips_the_target(
    imagery: ImageryServer, keys: None, tmp_path: Path
) -> None:
    out = tmp_path / "none"
    assert run_cli([*_args(out, imagery), "--radius-m", "200", "--rings-km", "none"]) == 0
    assert len(imagery.calls("mly_search")) == 4 * 2
    assert provenance(out)["counts"]["skip_reasons"] == {"no_coverage": 4}


def test_a_refused_token_names_the_variable(
    imagery: ImageryServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("MAPILLARY_ACCESS_TOKEN", "MLY|1|nope")
    assert run_cli(_args(tmp_path / "bad", imagery)) == 1
    err = capsys.readouterr().err
    assert "$MAPILLARY_ACCESS_TOKEN" in err and "HTTP 401" in err and "MLY|1|nope" not in err


def test_search_box_respects_the_area_limit_everywhere() -> None:
    for lat in (0.0, 45.0, 70.0, 85.0):
        min_lon, min_lat, max_lon, max_lat = bbox_around(lat, 10.0, 5000)
        assert (max_lon - min_lon) * (max_lat - min_lat) < 0.01
        assert min_lat < lat < max_lat and min_lon < 10.0 < max_lon


def test_resume_after_a_failed_thumbnail_asks_for_a_fresh_link(
    imagery: ImageryServer, keys: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    t = planned(countries="FRA", per_country=1)[0]
    imagery.add_mapillary("777", t.lat + 0.0005, t.lon)
    imagery.enqueue("mly_thumb", *[Reply.server_error()] * 5)  # every retry fails: run stops
    out = tmp_path / "res"
    args = [*_args(out, imagery), "--countries", "FRA", "--per-country", "1"]
    assert run_cli(args) == 1
    assert "HTTP 500 after 5 tries" in capsys.readouterr().err
    assert manifest_rows(out) == []
    assert run_cli(args) == 0  # located before: only a fresh link from /777, then the image
    assert len(imagery.calls("mly_search")) == 1 and len(imagery.calls("mly_entity")) == 1
    assert [r["sample_id"] for r in manifest_rows(out)] == ["mly_777"]


def test_an_out_path_that_is_a_file_is_refused(
    imagery: ImageryServer, keys: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert run_cli(_args(blocker, imagery)) == 1
    assert "not a folder" in capsys.readouterr().err and not imagery.requests
