"""Progress: a bar with counts and ETA on a terminal, sparse plain lines in logs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from analysis.collect.progress import Progress
from tests.collect.util import cover_targets, planned, run_cli, sv_args
from tests.support.imagery_server import ImageryServer


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_one_redrawn_bar_with_counts_and_eta() -> None:
    screen = _Terminal()
    progress = Progress(screen, verbose=True)
    progress.start(total=10, done=2)
    for done in range(3):
        progress.advance(images=4 * (done + 1), skipped=done)
    progress.detail("FRA-0003: sv_abc at (48.1, 2.2) FRA")
    progress.close()
    text = screen.getvalue()
    assert "\r" in text  # redrawn in place, not one line per target
    assert "5/10 targets" in text and "ETA" in text and "12 images, 2 skipped" in text
    assert "FRA-0003: sv_abc" in text  # a verbose line printed above the bar


def test_a_log_gets_plain_lines_without_carriage_returns() -> None:
    log = io.StringIO()
    progress = Progress(log, interval_s=3600)  # nothing between start and the end
    progress.start(total=4, done=1)
    for n in range(3):
        progress.advance(images=4 * (n + 2), skipped=0)
    progress.close()
    lines = log.getvalue().splitlines()
    assert "\r" not in log.getvalue()
    assert len(lines) == 1
    assert lines[0].startswith("progress: 4/4 targets (100%), 16 images, 0 skipped, elapsed ")
    assert "ETA 0:00" in lines[0]


def test_the_cli_shows_progress_not_a_line_per_target(
    imagery: ImageryServer, keys: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cover_targets(imagery, planned())
    assert run_cli(sv_args(tmp_path / "p", imagery)) == 0
    err = capsys.readouterr().err
    assert "progress: 4/4 targets (100%), 16 images, 0 skipped" in err
    assert "FRA-0000:" not in err and "\r" not in err  # captured output is not a terminal
    assert run_cli([*sv_args(tmp_path / "v", imagery), "--verbose"]) == 0
    err = capsys.readouterr().err
    assert "FRA-0000: sv_pano-FRA-0000 at" in err and "progress: 4/4 targets" in err
    assert run_cli([*sv_args(tmp_path / "q", imagery), "--quiet"]) == 0
    assert "progress:" not in capsys.readouterr().err
