"""Re-running into a folder: deleted images come back, split settings and --out are guarded."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest

from analysis.collect.plan import all_countries, plan_targets
from analysis.errors import InputError
from tests.collect.util import FAST, cover_targets, manifest_rows, planned, run_cli, sv_args
from tests.support.imagery_server import ImageryServer


def test_an_image_deleted_by_hand_is_downloaded_again_without_a_new_search(
    imagery: ImageryServer, keys: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cover_targets(imagery, planned())
    out = tmp_path / "d"
    assert run_cli(sv_args(out, imagery)) == 0
    gone = out / "images" / "fra" / "sv_pano-FRA-0000_h0.jpg"
    original = gone.read_bytes()
    gone.unlink()
    searches = len(imagery.calls("sv_meta"))
    capsys.readouterr()
    assert run_cli(sv_args(out, imagery)) == 0
    printed = capsys.readouterr()
    assert "1 new this run" in printed.out
    assert "missing on disk" in printed.err and "sv_pano-FRA-0000_h0.jpg" in printed.err
    assert gone.read_bytes() == original
    again = imagery.calls("sv_image")[16:]
    assert [(c.query["pano"], c.query["heading"]) for c in again] == [("pano-FRA-0000", "0")]
    assert len(imagery.calls("sv_meta")) == searches  # the panorama was already known
    rows = manifest_rows(out)
    assert len(rows) == 16 and "sv_pano-FRA-0000_h0" in {r["sample_id"] for r in rows}
    assert run_cli(sv_args(out, imagery)) == 0  # and the run after that has nothing to do
    assert len(imagery.calls("sv_image")) == 17


def test_a_deleted_mapillary_image_is_fetched_again_from_its_known_id(
    imagery: ImageryServer, keys: None, tmp_path: Path
) -> None:
    for t in planned():
        imagery.add_mapillary(f"{zlib.crc32(t.target_id.encode())}", t.lat + 0.0005, t.lon)
    out = tmp_path / "m"
    args = ["collect", "mapillary", "--countries", "FRA,DEU", "--per-country", "2", "--out",
            str(out), "--base-url", imagery.base_url, *FAST]  # fmt: skip
    assert run_cli(args) == 0
    victim = manifest_rows(out)[0]
    (out / victim["image_path"]).unlink()
    searches = len(imagery.calls("mly_search"))
    assert run_cli(args) == 0
    assert (out / victim["image_path"]).is_file()
    assert len(imagery.calls("mly_search")) == searches
    assert len(imagery.calls("mly_thumb")) == 5
    assert {r["sample_id"] for r in manifest_rows(out)} >= {victim["sample_id"]}


def test_a_changed_split_is_refused_and_the_same_one_resumes(
    imagery: ImageryServer, keys: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cover_targets(imagery, planned())
    out = tmp_path / "s"
    assert run_cli(sv_args(out, imagery, "--test-share", "0.3", "--max-images", "8")) == 0
    before = manifest_rows(out)
    capsys.readouterr()
    for other, asked in ((["--split", "test"], "split: folder has None, asked 'test'"),
                         (["--test-share", "0.5"], "asked 0.5"), ([], "asked None")):  # fmt: skip
        assert run_cli(sv_args(out, imagery, *other)) == 1
        err = capsys.readouterr().err
        assert "test_share: folder has 0.3" in err and asked in err, other
        assert run_cli([*sv_args(out, imagery, *other), "--dry-run"]) == 1
        assert "test_share: folder has 0.3" in capsys.readouterr().err
    assert manifest_rows(out) == before  # nothing rewritten by the refused runs
    assert run_cli(sv_args(out, imagery, "--test-share", "0.3")) == 0
    rows = manifest_rows(out)
    assert len(rows) == 16 and {r["split"] for r in rows} <= {"train", "test"}
    split_of = {r["sample_id"]: r["split"] for r in rows}
    assert all(split_of[r["sample_id"]] == r["split"] for r in before)


def test_a_folder_from_before_splits_were_recorded_uses_its_collection_json(
    imagery: ImageryServer, keys: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cover_targets(imagery, planned())
    out = tmp_path / "old"
    assert run_cli(sv_args(out, imagery, "--split", "test", "--max-images", "4")) == 0
    journal = out / "journal.jsonl"
    lines = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    for record in lines:  # as an older collector wrote it: no split keys in the header
        record.pop("split", None)
        record.pop("test_share", None)
    journal.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    capsys.readouterr()
    assert run_cli(sv_args(out, imagery, "--test-share", "0.2")) == 1
    assert "split: folder has 'test', asked None" in capsys.readouterr().err
    assert run_cli(sv_args(out, imagery, "--split", "test")) == 0
    assert {r["split"] for r in manifest_rows(out)} == {"test"}
    (out / "collection.json").unlink()  # the journal now records the split itself
    assert run_cli(sv_args(out, imagery, "--test-share", "0.2")) == 1


def test_dry_run_refuses_an_out_that_is_not_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("keep me", encoding="utf-8")
    for out in (a_file, a_file / "inside"):
        argv = ["collect", "streetview", "--countries", "FRA", "--per-country", "1",
                "--out", str(out), "--dry-run"]  # fmt: skip
        assert run_cli(argv) == 1
        assert "not a folder" in capsys.readouterr().err
    assert a_file.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("share", ["0", "1.0", "-0.1", "1.5"])
def test_test_share_bounds_are_said_to_be_excluded(
    share: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["collect", "streetview", "--countries", "FRA", "--out", str(tmp_path / "o"),
            "--dry-run", "--test-share", share]  # fmt: skip
    assert run_cli(argv) == 1
    assert "strictly between 0 and 1" in capsys.readouterr().err


def test_an_oversized_plan_is_refused_before_drawing_points(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["collect", "streetview", "--countries", "FRA", "--out", str(tmp_path / "o"),
            "--dry-run", "--per-country", "1000000"]  # fmt: skip
    assert run_cli(argv) == 1
    assert "--per-country must be 1..10,000" in capsys.readouterr().err
    with pytest.raises(InputError, match="over the limit of 500,000"):
        plan_targets(all_countries()[:60], 10_000, seed=0)
    with pytest.raises(InputError, match="--per-country"):
        plan_targets(["FRA"], 10_001)
