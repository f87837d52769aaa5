"""Resume: a stopped or killed run continues where it was; no image twice, none lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from analysis.collect import CollectOptions, collect
from analysis.collect.http import RetryPolicy
from analysis.collect.plan import Target
from analysis.collect.streetview import StreetViewOptions, StreetViewSource
from analysis.config import PROJECT_ROOT
from analysis.store import Store
from tests.collect.util import cover_targets, manifest_rows, planned, provenance, run_cli, sv_args
from tests.support.imagery_server import SV_KEY, ImageryServer, Reply


def _assert_complete(out: Path) -> None:
    rows = manifest_rows(out)
    assert len(rows) == 16
    assert Counter(r["sample_id"] for r in rows).most_common(1)[0][1] == 1
    assert all((out / r["image_path"]).is_file() for r in rows)
    assert not list(out.rglob("*.part"))


def test_stop_after_k_images_then_resume_downloads_each_image_once(
    imagery: ImageryServer, keys: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cover_targets(imagery, planned())
    out = tmp_path / "r"
    assert run_cli(sv_args(out, imagery, "--max-images", "5")) == 0
    assert "re-run the same command" in capsys.readouterr().out
    assert len(manifest_rows(out)) == 5 and len(imagery.calls("sv_image")) == 5
    assert run_cli(sv_args(out, imagery, "--max-images", "6")) == 0
    assert run_cli(sv_args(out, imagery)) == 0
    _assert_complete(out)
    images = imagery.calls("sv_image")
    assert len(images) == 16
    assert len({(c.query["pano"], c.query["heading"]) for c in images}) == 16
    assert run_cli(sv_args(out, imagery)) == 0  # all done: no request at all
    assert len(imagery.calls("sv_image")) == 16
    assert provenance(out)["last_run"]["requests_sent"] == 0


def test_growing_per_country_keeps_done_work(
    imagery: ImageryServer, keys: None, tmp_path: Path
) -> None:
    cover_targets(imagery, planned(per_country=3))
    out = tmp_path / "g"
    assert run_cli(sv_args(out, imagery)) == 0
    assert run_cli([*sv_args(out, imagery), "--per-country", "3"]) == 0
    assert len(manifest_rows(out)) == 24 and len(imagery.calls("sv_image")) == 24


def test_a_torn_journal_line_from_a_kill_is_dropped(
    imagery: ImageryServer, keys: None, tmp_path: Path
) -> None:
    cover_targets(imagery, planned())
    out = tmp_path / "t"
    assert run_cli(sv_args(out, imagery, "--max-images", "3")) == 0
    with (out / "journal.jsonl").open("a", encoding="utf-8") as fh:
        fh.write('{"kind": "image", "sample_id": "sv_half')  # a write cut by the kill
    assert run_cli(sv_args(out, imagery)) == 0
    _assert_complete(out)
    for line in (out / "journal.jsonl").read_text(encoding="utf-8").splitlines():
        json.loads(line)  # every line whole again


def test_a_killed_process_loses_at_most_the_image_in_flight(
    imagery: ImageryServer, keys: None, tmp_path: Path
) -> None:
    cover_targets(imagery, planned())
    imagery.hold("sv_image", after=6)  # the 7th image request hangs: kill the client then
    out = tmp_path / "k"
    env = {**os.environ, "GOOGLE_MAPS_API_KEY": SV_KEY, "GEOSCOPE_TEST_EXIT_GUARD": "0"}
    cmd = [sys.executable, "-m", "analysis", *sv_args(out, imagery)]
    proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while len(imagery.calls("sv_image")) < 7:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, "the collector never reached the 7th image"
            time.sleep(0.05)
        time.sleep(0.2)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        if proc.stderr:
            proc.stderr.close()
    journal_images = sum(
        1 for line in (out / "journal.jsonl").read_text(encoding="utf-8").splitlines()
        if json.loads(line)["kind"] == "image"
    )  # fmt: skip
    assert journal_images == 6  # every finished image survived the kill
    # and so did a manifest of them, written as they landed: it imports as it is
    killed_rows = manifest_rows(out)
    assert len(killed_rows) == 6 and all((out / r["image_path"]).is_file() for r in killed_rows)
    db = tmp_path / "killed.duckdb"
    manifest = str(out / "manifest.csv")
    assert run_cli(["--db", str(db), "import-dataset", manifest, "--name", "killed"]) == 0
    assert len(Store(db).dataset_samples("killed")) == 6
    assert provenance(out)["run_state"] == "running"  # says a run never finished
    imagery.release_holds()
    assert run_cli(sv_args(out, imagery)) == 0
    _assert_complete(out)
    assert len(imagery.calls("sv_image")) == 16 + 1  # only the one in flight was asked twice


def test_an_image_skipped_for_a_truncated_body_is_fetched_again_on_resume(
    imagery: ImageryServer, keys: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cover_targets(imagery, planned())
    imagery.enqueue("sv_image", Reply.truncated_image())  # the first image arrives cut in half
    out = tmp_path / "cut"
    assert run_cli(sv_args(out, imagery)) == 0
    assert len(manifest_rows(out)) == 15
    assert provenance(out)["counts"]["skip_reasons"] == {"not_an_image": 1}
    capsys.readouterr()
    assert run_cli(sv_args(out, imagery)) == 0
    assert "trying again 1 image(s)" in capsys.readouterr().err
    _assert_complete(out)
    assert len(imagery.calls("sv_image")) == 17  # 16 + the one retried, nothing else
    assert len(imagery.calls("sv_meta")) == 4  # its panorama was known: no new search
    assert provenance(out)["counts"]["skipped"] == 0
    assert run_cli(sv_args(out, imagery)) == 0  # complete now: no request at all
    assert len(imagery.calls("sv_image")) == 17


def test_a_skipped_image_is_retried_a_bounded_number_of_times_and_a_404_never(
    imagery: ImageryServer, tmp_path: Path
) -> None:
    imagery.add_pano("p", 48.0, 2.0)
    source = StreetViewSource(StreetViewOptions(base_url=imagery.base_url, headings=(0, 90)),
                              SV_KEY)  # fmt: skip
    options = CollectOptions(out_dir=tmp_path / "b", plan={"seed": 0}, rpm=0,
                             retry=RetryPolicy(retries=0, timeout_s=5))  # fmt: skip
    target = [Target("FRA-0000", "FRA", ((48.0, 2.0),))]
    imagery.enqueue("sv_image", Reply.truncated_image(), Reply(status=404))
    collect(source, target, options)  # h0 arrives cut short; h90 is "no imagery here"
    for _ in range(4):
        imagery.enqueue("sv_image", Reply.truncated_image())  # h0 keeps failing
        collect(source, target, options)
    asked = [c.query["heading"] for c in imagery.calls("sv_image")]
    assert asked.count("0") == 3  # MAX_IMAGE_ATTEMPTS runs, then it is left out for good
    assert asked.count("90") == 1  # a 404 says there is nothing to fetch: never asked again
