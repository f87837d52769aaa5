"""Street View end to end against the fake API: truth, borders, dedupe, faults, secrets, import."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from analysis.collect import CollectOptions, CollectReport, collect
from analysis.collect.http import RetryPolicy
from analysis.collect.plan import Target
from analysis.collect.streetview import StreetViewOptions, StreetViewSource
from analysis.geo.countries import country_of
from analysis.store import Store
from tests.collect.util import (
    all_bytes,
    cover_targets,
    manifest_rows,
    planned,
    provenance,
    run_cli,
    sv_args,
)
from tests.support.imagery_server import SV_KEY, ImageryServer, Reply

FAST_RETRY = RetryPolicy(retries=3, backoff_s=0.01, timeout_s=5)


def _source(server: ImageryServer, **kw: Any) -> StreetViewSource:
    options = StreetViewOptions(base_url=server.base_url, **kw)
    return StreetViewSource(options, SV_KEY)


def _collect(server: ImageryServer, targets: list[Target], out: Path, **kw: Any) -> CollectReport:
    options = CollectOptions(out_dir=out, plan={"seed": 0, "tries": 1}, rpm=0, retry=FAST_RETRY)
    return collect(_source(server, **kw), targets, options)


def test_full_run_writes_a_manifest_that_imports_grouped_by_location(
    imagery: ImageryServer, keys: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    targets = planned()
    cover_targets(imagery, targets)
    out = tmp_path / "fra-deu"
    assert run_cli(sv_args(out, imagery)) == 0
    printed = capsys.readouterr()
    assert f"import-dataset {out.as_posix()}/manifest.csv --name fra-deu" in printed.out
    rows = manifest_rows(out)
    assert len(rows) == 4 * 4 and len({r["sample_id"] for r in rows}) == 16
    for row in rows:  # truth = the pano's coordinates, not the target's
        pano = next(p for p in imagery.panos if f"sv_{p.pano_id}" == row["location_id"])
        assert (float(row["lat"]), float(row["lon"])) == (pano.lat, pano.lon)
        assert (out / row["image_path"]).is_file()
    db = tmp_path / "store.duckdb"
    manifest = str(out / "manifest.csv")
    assert run_cli(["--db", str(db), "import-dataset", manifest, "--name", "fra-deu"]) == 0
    samples = Store(db).dataset_samples("fra-deu")
    assert len(samples) == 16
    per_location = samples.groupby("location_id")["heading"].apply(lambda h: sorted(h.tolist()))
    assert len(per_location) == 4
    assert all(h == [0, 90, 180, 270] for h in per_location)
    assert Counter(samples.drop_duplicates("location_id")["true_country"]) == {"FRA": 2, "DEU": 2}
    info = provenance(out)
    assert info["source"] == "streetview" and info["seed"] == 0
    assert info["counts"]["images"] == 16 and info["counts"]["countries"] == 2
    assert "Google" in info["licence"] and info["created_utc"].endswith("Z")


def test_the_key_reaches_the_server_and_nothing_else(
    imagery: ImageryServer, keys: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cover_targets(imagery, planned())
    imagery.enqueue("sv_image", Reply.server_error(), Reply.not_image())
    out = tmp_path / "c"
    assert run_cli(sv_args(out, imagery)) == 0
    calls = imagery.calls("sv_meta") + imagery.calls("sv_image")
    assert calls and all(c.query["key"] == SV_KEY for c in calls)
    printed = capsys.readouterr()
    assert SV_KEY not in printed.out + printed.err
    written = all_bytes(out)
    assert SV_KEY.encode() not in written and b"sv-test-key" not in written
    assert provenance(out)["parameters"]["key_env"] == "GOOGLE_MAPS_API_KEY"


def test_a_pano_across_the_border_takes_the_country_of_its_own_coordinates(
    imagery: ImageryServer, tmp_path: Path
) -> None:
    strasbourg, kehl = (48.5736, 7.7521), (48.5700, 7.8150)
    assert country_of(*strasbourg) == "FRA" and country_of(*kehl) == "DEU"  # precondition
    imagery.add_pano("kehl", *kehl)
    report = _collect(imagery, [Target("FRA-0000", "FRA", (strasbourg,))], tmp_path / "b",
                      radius_m=6000)  # fmt: skip
    rows = manifest_rows(tmp_path / "b")
    assert report.counts["images"] == 4
    assert {r["country"] for r in rows} == {"DEU"}
    assert {r["target_id"] for r in rows} == {"FRA-0000"}
    assert {(float(r["lat"]), float(r["lon"])) for r in rows} == {kehl}


def test_two_targets_on_one_pano_keep_one_and_a_third_point_is_tried(
    imagery: ImageryServer, tmp_path: Path
) -> None:
    imagery.add_pano("shared", 48.8566, 2.3522)
    imagery.add_pano("lyon", 45.7640, 4.8357)
    targets = [
        Target("FRA-0000", "FRA", ((48.8570, 2.3525),)),
        Target("FRA-0001", "FRA", ((48.8560, 2.3519),)),  # snaps to the same pano: dropped
        Target("FRA-0002", "FRA", ((48.8561, 2.3520), (45.7641, 4.8358))),  # 2nd point: Lyon
    ]
    report = _collect(imagery, targets, tmp_path / "d", radius_m=500)
    rows = manifest_rows(tmp_path / "d")
    assert Counter(r["location_id"] for r in rows) == {"sv_shared": 4, "sv_lyon": 4}
    assert report.counts["target_outcomes"] == {"duplicate": 1, "ok": 2}
    assert report.counts["skip_reasons"] == {"duplicate": 1}


def test_no_coverage_and_sea_panos_are_skipped_with_a_reason(
    imagery: ImageryServer, tmp_path: Path
) -> None:
    imagery.add_pano("at-sea", 42.5, 5.0)  # the Gulf of Lion, ~80 km from any coast
    assert country_of(42.5, 5.0) is None
    targets = [
        Target("FRA-0000", "FRA", ((43.2965, 5.3698),)),  # Marseille: snaps out to sea
        Target("FRA-0001", "FRA", ((47.0, 0.0), (46.0, 1.0))),  # nothing anywhere near
    ]
    report = _collect(imagery, targets, tmp_path / "s", radius_m=100_000)
    assert report.counts["images"] == 0
    assert report.counts["skip_reasons"] == {"no_coverage": 1, "outside_country": 1}
    assert len(imagery.calls("sv_meta")) == 3 and not imagery.calls("sv_image")
    assert manifest_rows(tmp_path / "s") == []


def test_rate_limits_and_server_errors_are_retried_and_bad_bodies_skipped(
    imagery: ImageryServer, tmp_path: Path
) -> None:
    imagery.add_pano("p", 48.0, 2.0)
    imagery.enqueue("sv_meta", Reply.rate_limited(0.01), Reply.metadata_status("UNKNOWN_ERROR"))
    imagery.enqueue("sv_image", Reply.server_error(503), Reply.not_image())
    report = _collect(imagery, [Target("FRA-0000", "FRA", ((48.0, 2.0),))], tmp_path / "r")
    assert len(imagery.calls("sv_meta")) == 3  # 429, UNKNOWN_ERROR, OK
    assert len(imagery.calls("sv_image")) == 5  # h0: 503, then a page that is no JPEG; 3 more
    rows = manifest_rows(tmp_path / "r")
    assert sorted(int(r["heading"]) for r in rows) == [90, 180, 270]
    assert report.counts["skip_reasons"] == {"not_an_image": 1}
    info = provenance(tmp_path / "r")
    assert info["counts"]["skip_reasons"] == {"not_an_image": 1}


def test_a_slow_answer_times_out_and_is_retried(imagery: ImageryServer, tmp_path: Path) -> None:
    imagery.add_pano("p", 48.0, 2.0)
    imagery.enqueue("sv_meta", Reply(delay_s=2.0, body=b"{}"))
    options = CollectOptions(
        out_dir=tmp_path / "t", plan={"seed": 0, "tries": 1}, rpm=0,
        retry=RetryPolicy(retries=2, backoff_s=0.01, timeout_s=0.3),
    )  # fmt: skip
    report = collect(_source(imagery, headings=(0,)), [Target("F", "FRA", ((48.0, 2.0),))], options)
    assert report.counts["images"] == 1 and len(imagery.calls("sv_meta")) == 2


def test_a_refused_key_stops_with_the_variable_name_never_the_value(
    imagery: ImageryServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    cover_targets(imagery, planned())
    wrong = "wrong-key-123456"
    monkeypatch.setenv("MY_SV_KEY", wrong)
    out = tmp_path / "k"
    assert run_cli(sv_args(out, imagery, "--key-env", "MY_SV_KEY")) == 1
    err = capsys.readouterr().err
    assert "$MY_SV_KEY" in err and "REQUEST_DENIED" in err and wrong not in err
    assert wrong.encode() not in all_bytes(out)
    assert imagery.calls("sv_meta")[0].query["key"] == wrong


def test_a_403_on_an_image_is_a_credentials_error(
    imagery: ImageryServer, keys: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cover_targets(imagery, planned())
    imagery.enqueue("sv_image", Reply(status=403, body=b"denied " + SV_KEY.encode()))
    assert run_cli(sv_args(tmp_path / "f", imagery)) == 1
    err = capsys.readouterr().err
    assert "GOOGLE_MAPS_API_KEY" in err and "HTTP 403" in err and SV_KEY not in err
    assert "key=***" in err


def test_a_missing_key_names_the_variable(
    imagery: ImageryServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.delenv("GOOGLE_MAPS_API_KEY", raising=False)
    assert run_cli(sv_args(tmp_path / "m", imagery)) == 1
    assert "GOOGLE_MAPS_API_KEY" in capsys.readouterr().err
    assert not imagery.requests and not (tmp_path / "m").exists()


def test_dry_run_prints_the_plan_and_billable_requests_without_network(
    imagery: ImageryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.delenv("GOOGLE_MAPS_API_KEY", raising=False)
    out = tmp_path / "dry"
    assert run_cli(sv_args(out, imagery, "--headings", "0,180", "--dry-run")) == 0
    text = capsys.readouterr().out
    for target in planned():
        assert f"{target.target_id},{target.iso3},{target.lat:.6f},{target.lon:.6f}" in text
    assert "billable image requests: at most 8 (4 targets x 2 headings" in text
    assert not imagery.requests and not out.exists()


def test_a_folder_made_with_other_settings_is_not_mixed(
    imagery: ImageryServer, keys: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cover_targets(imagery, planned())
    out = tmp_path / "x"
    assert run_cli(sv_args(out, imagery, "--max-images", "1")) == 0
    assert run_cli(sv_args(out, imagery, "--headings", "0,180")) == 1
    assert "headings" in capsys.readouterr().err
    assert len(manifest_rows(out)) == 1


def test_split_by_location_is_deterministic_and_near_the_share() -> None:
    from analysis.collect.writer import split_of

    ids = [f"sv_pano{i}" for i in range(4000)]
    drawn = [split_of(i, None, 0.2) for i in ids]
    assert drawn == [split_of(i, None, 0.2) for i in ids]  # same place, same split, every run
    share = drawn.count("test") / len(ids)
    assert abs(share - 0.2) < 0.02  # binomial sd is 0.0063: 3 sd
    assert set(drawn) == {"train", "test"}
    assert split_of("sv_x", "test", None) == "test" and split_of("sv_x", None, None) == ""


def test_test_share_splits_whole_locations_and_imports(
    imagery: ImageryServer, keys: None, tmp_path: Path
) -> None:
    targets = planned(per_country=4)
    cover_targets(imagery, targets)
    out = tmp_path / "split"
    assert run_cli([*sv_args(out, imagery, "--test-share", "0.5"), "--per-country", "4"]) == 0
    rows = manifest_rows(out)
    by_location: dict[str, set[str]] = {}
    for row in rows:
        by_location.setdefault(row["location_id"], set()).add(row["split"])
    assert len(by_location) == 8
    assert all(len(splits) == 1 for splits in by_location.values())  # headings stay together
    assert {s for splits in by_location.values() for s in splits} == {"train", "test"}
    assert provenance(out)["parameters"]["test_share"] == 0.5
    db = tmp_path / "store.duckdb"
    manifest = str(out / "manifest.csv")
    assert run_cli(["--db", str(db), "import-dataset", manifest, "--name", "split"]) == 0
    samples = Store(db).dataset_samples("split")
    assert samples.groupby("location_id")["split"].nunique().max() == 1
    assert set(samples["split"]) == {"train", "test"}
    assert run_cli([*sv_args(tmp_path / "x", imagery, "--test-share", "1.5")]) == 1
