"""The dry run prices what it would request: Street View at list price (overridable), Mapillary free."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.collect.streetview import image_cost_usd
from tests.collect.util import FAST, run_cli, sv_args
from tests.support.imagery_server import ImageryServer


def test_list_price_follows_the_monthly_volume_tiers() -> None:
    assert image_cost_usd(1000) == pytest.approx(7.00)
    # 100,000 at 7.00 USD per 1000, then 50,000 at 5.60
    assert image_cost_usd(150_000) == pytest.approx(700.0 + 280.0)
    assert image_cost_usd(150_000, price_per_1000_usd=2.0) == pytest.approx(300.0)
    assert image_cost_usd(0) == 0.0


def test_streetview_dry_run_shows_the_estimated_cost_and_its_source(
    imagery: ImageryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dry"
    # 4 targets x 2 headings = 8 billable images
    assert run_cli(sv_args(out, imagery, "--headings", "0,180", "--dry-run")) == 0
    text = capsys.readouterr().out
    assert "estimated cost: at most 0.06 USD for 8 images at Google's list price" in text
    assert "7.00 USD per 1000" in text and "--price-per-1000" in text
    assert "developers.google.com/maps/documentation/streetview" in text
    assert run_cli(sv_args(out, imagery, "--dry-run", "--price-per-1000", "2.5")) == 0
    text = capsys.readouterr().out
    assert "estimated cost: at most 0.04 USD for 16 images at 2.5 USD per 1000" in text
    assert not imagery.requests and not out.exists()


def test_a_negative_price_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["collect", "streetview", "--countries", "FRA", "--out", str(tmp_path / "o"),
            "--dry-run", "--price-per-1000", "-1"]  # fmt: skip
    assert run_cli(argv) == 1
    assert "--price-per-1000 must be a price in USD >= 0" in capsys.readouterr().err


def test_mapillary_dry_run_says_it_costs_nothing(
    imagery: ImageryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["collect", "mapillary", "--countries", "FRA", "--per-country", "3", "--out",
            str(tmp_path / "m"), "--base-url", imagery.base_url, *FAST, "--dry-run"]  # fmt: skip
    assert run_cli(argv) == 0
    text = capsys.readouterr().out
    assert "estimated cost: 0.00 USD" in text and "free" in text
