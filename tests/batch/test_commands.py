"""sweep --batch, batch status / collect, the dry run's two prices, clear refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.store import Store
from analysis.store.batches import run_batches
from tests.support.batch_server import BatchServer
from tests.support.frames import text_at


def test_sweep_batch_submits_each_cell_then_batch_collect_ingests(
    photo_setup: tuple[Path, Path, int],
    batch_server: BatchServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, models, n = photo_setup
    sweep = ["--db", str(db), "sweep", "--dataset", "photos", "--model", "local-batch",
             "--prompt", "basic,must", "--models", str(models), "--no-progress", "--batch"]  # fmt: skip
    assert main(sweep) == 0
    out = capsys.readouterr().out
    assert out.count("submitted openai batch") == 2
    assert batch_server.batch_calls["POST /v1/batches"] == 2

    assert main(["--db", str(db), "batch", "status", "--json", "--no-poll"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["run"] for r in rows} == {"photos:local-batch:basic:country",
                                        "photos:local-batch:must:country"}  # fmt: skip
    assert all(r["status"] == "submitted" for r in rows)
    assert main(["--db", str(db), "batch", "status", "--json"]) == 0  # asks the provider
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["status"] for r in rows] == ["in_progress", "in_progress"]
    assert sum(batch_server.answered.values()) == 0  # status downloads nothing

    for run in ("photos:local-batch:basic:country", "photos:local-batch:must:country"):
        assert main(["--db", str(db), "batch", "collect", run, "--batch-poll", "0.01"]) == 0
        assert len(Store(db).run_frame(run)) == n
        assert [r.status for r in run_batches(Store(db), run)] == ["collected"]
    assert "stored 55 predictions" in capsys.readouterr().out
    assert batch_server.calls == 0 and sum(batch_server.answered.values()) == 2 * n
    # collect submits nothing, even with nothing left
    assert main(["--db", str(db), "batch", "collect", "photos:local-batch:must:country"]) == 0
    assert batch_server.batch_calls["POST /v1/batches"] == 2


def test_dry_run_shows_the_price_and_the_batch_price(
    photo_setup: tuple[Path, Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    db, models, _ = photo_setup
    args = ["--db", str(db), "run", "--dataset", "photos", "--model", "local-batch", "--models",
            str(models), "--dry-run"]  # fmt: skip
    assert main(args) == 0
    out = capsys.readouterr().out
    full = float(out.split("cost at most: $")[1].split()[0])
    batch = float(out.split("with --batch at most: $")[1].split()[0])
    assert full > 0 and batch == pytest.approx(full / 2, rel=1e-3)
    assert "$1.25/$5 per Mtok" in out


def test_sweep_dry_run_shows_both_prices_per_cell(
    photo_setup: tuple[Path, Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    db, models, _ = photo_setup
    args = ["--db", str(db), "sweep", "--dataset", "photos", "--model", "local-batch",
            "--prompt", "basic,must", "--models", str(models), "--dry-run", "--json"]  # fmt: skip
    assert main(args) == 0
    report = json.loads(capsys.readouterr().out)
    assert len(report["cells"]) == 2
    for cell in report["cells"]:  # the preset's batch_discount = 0.5
        assert cell["cost_usd"] > 0
        assert cell["batch_cost_usd"] == pytest.approx(cell["cost_usd"] / 2, rel=1e-3)
    assert report["batch_cost_usd"] == pytest.approx(report["cost_usd"] / 2, rel=1e-3)
    assert main(args[:-1]) == 0  # the table: a column and a total with --batch
    out = capsys.readouterr().out
    assert "with --batch" in out.splitlines()[0] and "with --batch)" in out.splitlines()[-1]


def test_refusals_are_clear(
    photo_setup: tuple[Path, Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    db, models, _ = photo_setup
    base = ["--db", str(db), "run", "--dataset", "photos", "--models", str(models)]
    assert main([*base, "--model", "local-batch", "--batch", "--no-cache"]) == 1
    assert "--batch needs the response cache" in capsys.readouterr().err
    assert main(["--db", str(db), "batch", "collect", "nothing-here"]) == 1
    assert "has no batches" in capsys.readouterr().err
    assert main([*base, "--model", "local", "--batch"]) == 1  # no batch_api, not OpenAI's host
    assert "has no batch endpoint" in capsys.readouterr().err
    bad = models.parent / "bad.toml"
    bad.write_text(models.read_text().replace("batch_discount = 0.5", "batch_discount = 2"))
    assert main([*base[:-1], str(bad), "--model", "local-batch", "--batch"]) == 1
    assert "batch_discount is the share of the price paid" in capsys.readouterr().err


def test_batch_endpoint_and_price_of_the_shipped_presets() -> None:
    from analysis.config import PROJECT_ROOT
    from analysis.models import adapter_capabilities
    from analysis.models.presets import load_presets

    presets = load_presets(PROJECT_ROOT / "models.toml")
    apis = {name: adapter_capabilities(p).batch_api for name, p in presets.items()}
    assert apis["gpt-4o"] == "openai" and apis["claude-sonnet-4"] == "anthropic"
    assert apis["gemini-2.0-flash"] is None and apis["vllm-qwen2.5-vl-7b"] is None
    assert presets["gpt-4o"].batch_prices() == (1.25, 5.0)
    # no discount known: batch requests are not assumed cheaper
    assert presets["gemini-2.0-flash"].batch_prices() == (0.1, 0.4)


def test_a_deleted_runs_batches_do_not_haunt_a_new_run_of_its_name(
    photo_setup: tuple[Path, Path, int], batch_server: BatchServer
) -> None:
    db, models, n = photo_setup
    base = ["--db", str(db), "run", "--dataset", "photos", "--models", str(models), "--model",
            "local-batch", "--run", "r", "--no-progress", "--batch", "--batch-poll", "0.01"]  # fmt: skip
    assert main(base) == 0
    assert main(["--db", str(db), "delete-run", "r"]) == 0
    assert main([*base[:-4], "--prompt", "must", "--batch", "--batch-poll", "0.01"]) == 0
    frame = Store(db).run_frame("r")
    assert len(frame) == n and (frame["status"] != "api_error").all()
    assert len(run_batches(Store(db), "r")) == 1


def test_an_unreadable_image_is_stored_as_the_sync_path_stores_it(
    photo_setup: tuple[Path, Path, int], shared_data: Path, batch_server: BatchServer
) -> None:
    from analysis.store import DatasetMeta
    from tests.batch.conftest import photos_frame

    db, models, _ = photo_setup
    frame = photos_frame(shared_data).head(2).copy()
    frame.loc[1, "image_path"] = str(shared_data / "photos" / "no-such-photo.jpg")
    Store(db).ingest_samples(DatasetMeta(name="two", kind="photos"), frame)
    args = ["--db", str(db), "run", "--dataset", "two", "--models", str(models), "--model",
            "local-batch", "--no-progress", "--batch", "--batch-poll", "0.01"]  # fmt: skip
    assert main(args) == 0
    stored = Store(db).run_frame("two:local-batch:basic:country", with_raw=True)
    stored = stored.set_index("sample_id")
    missing = text_at(frame, 1, "sample_id")
    assert stored.loc[missing, "status"] == "api_error"
    assert "cannot read image" in text_at(stored, missing, "error")
    assert stored.loc[text_at(frame, 0, "sample_id"), "status"] == "ok"
    assert sum(batch_server.answered.values()) == 1


def test_max_cost_limits_what_is_submitted_at_the_batch_price(
    photo_setup: tuple[Path, Path, int],
    batch_server: BatchServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from analysis.models.cost import max_call_cost_usd
    from analysis.models.presets import get_preset
    from analysis.prompts import get_prompt

    db, models, n = photo_setup
    preset = get_preset("local-batch", models).at_batch_prices()
    # the basic prompt's worst case per request (one photo), at the batch price
    per_request = max_call_cost_usd(preset, len(get_prompt("basic").template_text("country")), 1)
    cap = per_request * 5.5
    args = ["--db", str(db), "run", "--dataset", "photos", "--models", str(models), "--model",
            "local-batch", "--no-progress", "--batch", "--max-cost", f"{cap:.6f}"]  # fmt: skip
    assert main(args) == 0
    rows = run_batches(Store(db), "photos:local-batch:basic:country")
    assert 1 <= rows[0].n_requests <= 5
    assert (
        f"{n - rows[0].n_requests} requests left out: --max-cost reached" in capsys.readouterr().out
    )
