"""The presets x prompt strategies grid against a real local OpenAI-compatible server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.store import Store
from tests.support.datasets import SyntheticSample, ingest, make_samples, sample_for_colour
from tests.support.openai_server import OpenAIServer, RecordedRequest, Reply
from tests.support.presets import write_presets

KEY_ENV = "GEOSCOPE_TEST_KEY"
NEEDS_KEY = """
[models.needs-key]
adapter = "openai_compat"
model = "test-vlm-keyed"
base_url = "http://127.0.0.1:9/v1"
api_key_env = "GEOSCOPE_SWEEP_UNSET_KEY"
"""


Grid = tuple[list[SyntheticSample], Path, list[str]]
"""The synthetic samples, the database and the sweep command line before its axes."""


@pytest.fixture
def grid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, openai_server: OpenAIServer) -> Grid:
    monkeypatch.setenv(KEY_ENV, "sk-sweep-test-0123456789")
    monkeypatch.delenv("GEOSCOPE_SWEEP_UNSET_KEY", raising=False)
    monkeypatch.setenv("GEOSCOPE_CACHE", str(tmp_path / "cache"))
    samples = make_samples(tmp_path / "images", 10)
    db = tmp_path / "db.duckdb"
    ingest(Store(db), "syn", samples)
    models = write_presets(tmp_path / "models.toml", openai_server.base_url, key_env=KEY_ENV,
                           extra=NEEDS_KEY)  # fmt: skip

    def reply(request: RecordedRequest) -> Reply:
        # "local" names the right country; "local-free" always says Japan
        truth = sample_for_colour(samples, request.image_mean_rgb[-1])
        name = truth.country_name if request.model == "test-vlm" else "Japan"
        return Reply.answer(f'{{"country": "{name}"}}')

    openai_server.default = reply
    base = ["--db", str(db), "sweep", "--dataset", "syn", "--models", str(models),
            "--no-progress", "--backoff", "0.01"]  # fmt: skip
    return samples, db, base


def _accuracy_if_always(samples: list[SyntheticSample], iso3: str) -> float:
    return sum(s.iso3 == iso3 for s in samples) / len(samples)


def test_grid_runs_every_cell_prints_the_table_and_resumes_for_free(
    grid: Grid, openai_server: OpenAIServer, capsys: pytest.CaptureFixture[str]
) -> None:
    samples, db, base = grid
    args = [*base, "--model", "local,local-free,needs-key", "--prompt", "basic,must", "--json"]
    assert main(args) == 0
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert "skipped needs-key" in captured.err and "GEOSCOPE_SWEEP_UNSET_KEY" in captured.err
    cells = {(c["model"], c["prompt"]): c for c in out["cells"]}
    assert len(cells) == 6
    japan = _accuracy_if_always(samples, "JPN")
    for prompt in ("basic", "must"):
        assert cells[("local", prompt)]["state"] == "done"
        assert cells[("local", prompt)]["country_accuracy"] == pytest.approx(1.0)
        assert cells[("local-free", prompt)]["country_accuracy"] == pytest.approx(japan)
        assert cells[("needs-key", prompt)]["state"] == "skipped"
        assert cells[("needs-key", prompt)]["country_accuracy"] is None
        assert cells[("local", prompt)]["run"] == f"syn:local:{prompt}:country"
    assert openai_server.calls == 4 * len(samples)
    assert len(Store(db).list_runs()) == 4  # ordinary runs, on every dashboard page
    # the same command again: every cell resumes complete, no model is asked anything
    assert main([*base, "--model", "local,local-free", "--prompt", "basic,must"]) == 0
    table = capsys.readouterr().out
    assert openai_server.calls == 4 * len(samples)
    lines = table.splitlines()
    assert lines[0].startswith("Country accuracy on syn (country form)")
    assert lines[1].split() == ["preset", "\\", "prompt", "basic", "must"]
    assert lines[2].split() == ["local", "100.0%", "100.0%"]
    assert lines[3].split() == ["local-free", f"{japan:.1%}", f"{japan:.1%}"]


def test_unknown_names_are_refused_together_and_dry_run_calls_nothing(
    grid: Grid, openai_server: OpenAIServer, capsys: pytest.CaptureFixture[str]
) -> None:
    samples, db, base = grid
    assert main([*base, "--model", "local,nope", "--prompt", "basic,wild"]) == 1
    err = capsys.readouterr().err
    assert "unknown presets nope" in err and "unknown prompt strategies wild" in err
    assert main([*base, "--model", "available", "--prompt", "basic", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"total: {2 * len(samples)} calls" in out  # local + local-free; needs-key has no key
    assert "needs-key" not in out
    assert openai_server.calls == 0 and Store(db).list_runs().empty
    assert main([*base, "--model", "local", "--metric", "nonsense"]) == 1
    capsys.readouterr()
    other = [a if a != "syn" else "nope" for a in base]
    assert main([*other, "--model", "local"]) == 1
    assert "no dataset named 'nope'; known datasets: syn" in capsys.readouterr().err
    assert main([*base, "--model", "needs-key"]) == 1  # nothing at all could run
    err = capsys.readouterr().err
    assert "no preset of this sweep can run here" in err and "GEOSCOPE_SWEEP_UNSET_KEY" in err
    assert openai_server.calls == 0


def test_dry_run_reports_a_cell_that_cannot_run_and_goes_on(
    grid: Grid, openai_server: OpenAIServer, capsys: pytest.CaptureFixture[str]
) -> None:
    samples, db, base = grid
    # static k-shot needs labelled train examples; this dataset has only a test split
    args = [*base, "--model", "local,local-free", "--prompt", "static_kshot,basic", "--dry-run"]
    assert main([*args, "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    cells = {(c["model"], c["prompt"]): c for c in out["cells"]}
    assert len(cells) == 4
    assert "needs labelled examples" in cells[("local", "static_kshot")]["error"]
    assert cells[("local-free", "basic")]["calls"] == len(samples)  # later cells still estimated
    assert cells[("local", "basic")]["unreadable_images"] == 0
    assert out["calls"] == 2 * len(samples)
    assert main(args) == 1
    text = capsys.readouterr().out
    assert "error: prompt 'static_kshot' needs labelled examples" in text
    assert f"total: {2 * len(samples)} calls" in text
    assert openai_server.calls == 0


def test_failed_calls_exit_1(
    grid: Grid, openai_server: OpenAIServer, capsys: pytest.CaptureFixture[str]
) -> None:
    samples, db, base = grid
    openai_server.script(lambda r: r.model == "test-vlm-free", Reply.http_error(400, "bad"))
    assert main([*base, "--model", "local-free", "--prompt", "basic", "--retries", "0"]) == 1
    assert f"{len(samples)} calls failed" in capsys.readouterr().err


def test_the_budget_holds_back_paid_cells_only(
    grid: Grid, openai_server: OpenAIServer, capsys: pytest.CaptureFixture[str]
) -> None:
    samples, db, base = grid
    # a tiny cap: no paid call fits under it (each reserves its worst case first); the free
    # preset is not held back
    args = [*base, "--model", "local,local-free", "--prompt", "must", "--max-cost", "1e-9",
            "--concurrency", "1", "--json"]  # fmt: skip
    assert main(args) == 0  # a budget stop is not a failure
    captured = capsys.readouterr()
    cells = {c["model"]: c for c in json.loads(captured.out)["cells"]}
    assert cells["local"]["state"] == "incomplete" and "budget" in cells["local"]["message"]
    assert cells["local-free"]["state"] == "done"
    assert "(for this command) reached" in captured.err
    assert len(Store(db).run_frame("syn:local-free:must:country")) == len(samples)
    assert len(Store(db).run_frame("syn:local:must:country")) < len(samples)


def test_a_cell_executed_by_another_process_is_an_error_cell(
    grid: Grid, openai_server: OpenAIServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import os

    from analysis.runner.lock import RunLock

    samples, db, base = grid
    busy = RunLock(tmp_path / "cache", db, "syn:local-free:must:country")
    busy.acquire()  # as another `run` of that cell would
    try:
        assert main([*base, "--model", "local-free", "--prompt", "basic,must"]) == 1
    finally:
        busy.release()
    err = capsys.readouterr().err
    assert (
        f"error: local-free x must: run 'syn:local-free:must:country' is being executed by "
        f"pid {os.getpid()}" in err
    ), err
    assert openai_server.calls == len(samples)  # the other cell ran; the busy one asked nothing
