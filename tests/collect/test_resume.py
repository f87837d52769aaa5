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

from analysis.config import PROJECT_ROOT
from tests.collect.util import cover_targets, manifest_rows, planned, provenance, run_cli, sv_args
from tests.support.imagery_server import SV_KEY, ImageryServer


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
    imagery.release_holds()
    assert run_cli(sv_args(out, imagery)) == 0
    _assert_complete(out)
    assert len(imagery.calls("sv_image")) == 16 + 1  # only the one in flight was asked twice
