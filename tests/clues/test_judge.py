"""Judge mode: reply validation, agreement, the judgements table, and end to end on a real server."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.clues.judge import (
    agreement,
    answer_sha256,
    judge_request,
    judge_system,
    judged_categories,
    parse_judge_reply,
)
from analysis.config import PROJECT_ROOT
from analysis.dashboard.clue_judges import judged_run
from analysis.models.calls import CallCore
from analysis.models.presets import load_presets
from analysis.store import SCHEMA_VERSION, DatasetMeta, RunMeta, Store
from analysis.store.clues import (
    Judgement,
    judged_answers,
    judgements_frame,
    judges_of_runs,
    save_judgements,
)
from analysis.types import Prediction, PredictionStatus
from tests.support.frames import float_at, row_values
from tests.support.openai_server import OpenAIServer, Reply
from tests.support.presets import write_presets

JUDGE_REPLY = json.dumps(
    [
        {
            "category": "driving_side",
            "evidence": "drive on the left",
            "claim": "drives on the left",
        },
        {"category": "Vegetation", "evidence": "eucalyptus", "claim": None},
        {"category": "weather_magic", "evidence": "a rainbow", "claim": None},
    ]
)
PROMPT_TOKENS, COMPLETION_TOKENS = 120, 40
CALL_COST_USD = (PROMPT_TOKENS * 2.5 + COMPLETION_TOKENS * 10.0) / 1_000_000  # preset "local"


# -- the model-free half -----------------------------------------------------------------------
def test_reply_validation_keeps_known_categories_and_counts_the_rest() -> None:
    verdict = parse_judge_reply(JUDGE_REPLY)
    assert [c.category for c in verdict.clues] == ["driving_side", "vegetation"]
    assert verdict.n_dropped == 1 and verdict.error is None
    assert verdict.clues[0].claim == "drives on the left" and verdict.clues[1].claim is None
    fenced = f"Here you go:\n```json\n{JUDGE_REPLY}\n```"
    assert parse_judge_reply(fenced) == verdict
    wrapped = parse_judge_reply(json.dumps({"clues": json.loads(JUDGE_REPLY)}))
    assert wrapped == verdict
    mixed = parse_judge_reply('[{"category": "Road-Markings", "evidence": "x"}, 7, "text"]')
    assert [c.category for c in mixed.clues] == ["road_markings"] and mixed.n_dropped == 2
    assert parse_judge_reply("[]").clues == () and parse_judge_reply("[]").error is None
    assert parse_judge_reply("I see no clues.").error == "no JSON list in the reply"
    assert parse_judge_reply(None).error == "empty reply"
    long = parse_judge_reply(json.dumps([{"category": "text", "evidence": "w " * 500}]))
    assert len(long.clues[0].evidence) <= 300
    assert judged_categories(verdict.to_json()) == {"driving_side", "vegetation"}
    assert judged_categories("not json") == set()


def test_judge_prompt_carries_the_taxonomy_and_the_answer_only() -> None:
    system = judge_system()
    assert "driving_side" in system and "JSON list" in system
    request = judge_request("Cars keep left.")
    assert "Cars keep left." in request


def test_agreement_counts_both_rule_only_and_judge_only() -> None:
    rule = {"a": {"text", "vegetation"}, "b": {"text"}, "c": set()}
    judge = {"a": {"text"}, "b": {"text", "sun"}, "c": set()}
    table = agreement(rule, judge).set_index("category")
    assert row_values(table.loc["text", ["both", "rule_only", "judge_only", "neither"]]) == [
        2,
        0,
        0,
        1,
    ]
    assert table.loc["vegetation", "rule_only"] == 1 and table.loc["sun", "judge_only"] == 1
    assert table.loc["vegetation", "agreement"] == 0.0 and table.loc["text", "agreement"] == 1.0
    assert math.isnan(float_at(table, "landmark", "agreement"))


# -- the table ---------------------------------------------------------------------------------
def test_migration_and_judgements_are_kept_once_per_answer(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.duckdb")
    store.migrate()
    assert store.schema_version() == SCHEMA_VERSION >= 4
    row = Judgement("s1", "sha-a", "[]", n_dropped=2, cost_usd=0.001)
    assert save_judgements(store, "r", "j", [row]) == 1
    save_judgements(store, "r", "j", [Judgement("s1", "sha-b", "[]")])
    assert judged_answers(store, "r", "j") == {"s1": "sha-b"}
    assert len(judgements_frame(store, "r", "j")) == 1
    store.migrate()  # idempotent: nothing left to apply
    assert len(judgements_frame(store, "r", "j")) == 1


# -- end to end against the local OpenAI-compatible server -------------------------------------
ANSWERS = [
    f"Sample {i}: cars drive on the left, eucalyptus trees and a red dirt road.\n"
    '{"country": "Australia"}'
    for i in range(12)
]


def _store(tmp_path: Path, run: str = "r") -> Path:
    db = tmp_path / "db.duckdb"
    store = Store(db)
    ids = [f"s{i:02d}" for i in range(len(ANSWERS))]
    samples = pd.DataFrame(
        {"sample_id": [*ids, "s99"], "true_lat": -25.0, "true_lon": 134.0, "true_country": "AUS"}
    )
    if not store.has_dataset("d"):
        store.ingest_samples(DatasetMeta(name="d", kind="csv"), samples)
    store.create_run(RunMeta(name=run, dataset="d", model="m", prompt_strategy="basic"))
    preds = [
        Prediction(sid, text, PredictionStatus.OK, "AUS", -25.0, 134.0)
        for sid, text in zip(ids, ANSWERS, strict=True)
    ]
    store.add_predictions(run, [*preds, Prediction("s99", None, PredictionStatus.API_ERROR)])
    return db


@pytest.fixture()
def judge_env(
    tmp_path: Path, openai_server: OpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path]:
    openai_server.default = Reply.usage(JUDGE_REPLY, PROMPT_TOKENS, COMPLETION_TOKENS)
    monkeypatch.setenv("GEOSCOPE_TEST_KEY", "sk-judge-test-0123456789")
    monkeypatch.setenv("GEOSCOPE_CACHE", str(tmp_path / "cache"))
    return _store(tmp_path), write_presets(tmp_path / "models.toml", openai_server.base_url)


def _judge(db: Path, models: Path, *extra: str, run: str = "r") -> int:
    args = ["--db", str(db), "clues", "--run", run, "--judge", "local", "--models", str(models)]
    return main([*args, *extra])


def test_judges_every_answer_once_records_cost_and_compares(
    judge_env: tuple[Path, Path], openai_server: OpenAIServer, capsys: pytest.CaptureFixture[str]
) -> None:
    db, models = judge_env
    assert _judge(db, models, "--dry-run") == 0
    assert openai_server.calls == 0 and "12 of 12 answers" in capsys.readouterr().out

    assert _judge(db, models) == 0
    out = capsys.readouterr().out
    assert openai_server.calls == len(ANSWERS)  # the answer without text is not sent
    request = openai_server.requests[0]
    assert request.image_count == 0 and "cars drive on the left" in request.text
    stored = judgements_frame(Store(db), "r", "local")
    assert len(stored) == len(ANSWERS) and stored["sample_id"].is_unique
    assert stored["cost_usd"].tolist() == pytest.approx([CALL_COST_USD] * len(ANSWERS))
    assert (stored["n_dropped"] == 1).all() and not stored["cached"].any()
    assert f"spent ${CALL_COST_USD * len(ANSWERS):.4f}" in out
    assert "dropped 12 judge item(s) of unknown categories" in out
    side = next(line for line in out.splitlines() if line.startswith("driving_side"))
    assert side.split()[1:] == ["12", "0", "0", "1.00"]  # rules and judge agree
    terrain = next(line for line in out.splitlines() if line.startswith("terrain_climate"))
    assert terrain.split()[1:4] == ["0", "12", "0"]  # "red dirt": only the rules

    # a rerun pays for nothing and changes nothing
    assert _judge(db, models, "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert openai_server.calls == len(ANSWERS)
    assert (report["n_already"], report["n_judged"], report["spent_usd"]) == (12, 0, 0.0)
    assert {r["category"] for r in report["agreement"]} >= {"driving_side", "text"}


def test_cap_is_respected_and_the_rest_judged_later(
    judge_env: tuple[Path, Path], openai_server: OpenAIServer, capsys: pytest.CaptureFixture[str]
) -> None:
    db, models = judge_env
    preset = load_presets(models)["local"]
    reserve = CallCore.for_preset(preset).max_cost_usd(
        len(judge_system()) + len(judge_request(ANSWERS[0])), 0
    )
    cap = reserve + 2 * CALL_COST_USD + 1e-9  # room for three calls at concurrency 1
    assert _judge(db, models, "--max-cost", f"{cap:.10f}", "--concurrency", "1") == 1
    captured = capsys.readouterr()
    assert "--max-cost" in captured.err
    stored = judgements_frame(Store(db), "r", "local")
    assert len(stored) == openai_server.calls == 3
    assert stored["cost_usd"].sum() <= cap
    assert _judge(db, models) == 0  # no cap: the rest, without asking the first three again
    assert openai_server.calls == len(ANSWERS)
    assert len(judgements_frame(Store(db), "r", "local")) == len(ANSWERS)


def test_the_clues_page_reads_what_the_judge_stored(
    judge_env: tuple[Path, Path], openai_server: OpenAIServer
) -> None:
    """Judged through the real command, then read as the Clues page reads it (judge mode)."""
    db, models = judge_env
    store = Store(db)
    assert judges_of_runs(store, ["r"]).empty
    preset = load_presets(models)["local"]
    reserve = CallCore.for_preset(preset).max_cost_usd(
        len(judge_system()) + len(judge_request(ANSWERS[0])), 0
    )
    cap = reserve + 2 * CALL_COST_USD + 1e-9  # three answers judged, then the cap stops it
    _judge(db, models, "--max-cost", f"{cap:.10f}", "--concurrency", "1")
    first = judges_of_runs(store, ["r", "not-a-run"])
    assert first[["run", "judge", "n_judged"]].values.tolist() == [["r", "local", 3]]

    judged = judged_run(store.run_frame("r", with_raw=True), "r", "local",
                        judgements_frame(store, "r", "local"), n_resamples=20)  # fmt: skip
    assert judged is not None and (judged.n_judged, judged.n_answers) == (3, 13)
    summary = judged.judge_reading.summary.set_index("category")
    assert summary.loc["driving_side", "citation_rate"] == 1.0
    # the judge's claim "drives on the left", read by the rules, is true of Australia
    assert list(summary[["n_checkable", "n_contradicted"]].loc["driving_side"]) == [3, 0]
    agree = judged.agreement.set_index("category")
    assert list(agree[["both", "rule_only", "judge_only"]].loc["driving_side"]) == [3, 0, 0]

    _judge(db, models)  # the rest: the page's cache key (the fingerprint) must change
    second = judges_of_runs(store, ["r"])
    assert second["n_judged"].tolist() == [len(ANSWERS)]
    assert second["fingerprint"].tolist() != first["fingerprint"].tolist()


def test_a_changed_answer_is_judged_again(
    judge_env: tuple[Path, Path], openai_server: OpenAIServer
) -> None:
    db, models = judge_env
    assert _judge(db, models) == 0
    store = Store(db)
    store.add_predictions("r", [Prediction("s00", "Signs in Thai.", PredictionStatus.OK, "THA")])
    assert judged_answers(store, "r", "local")["s00"] == answer_sha256(ANSWERS[0])
    assert _judge(db, models) == 0
    assert openai_server.calls == len(ANSWERS) + 1
    assert judged_answers(store, "r", "local")["s00"] == answer_sha256("Signs in Thai.")


@pytest.mark.slow
def test_kill_9_then_rerun_does_not_pay_twice(tmp_path: Path, openai_server: OpenAIServer) -> None:
    openai_server.default = Reply.usage(JUDGE_REPLY, PROMPT_TOKENS, COMPLETION_TOKENS)
    openai_server.latency_s = 0.3
    db = _store(tmp_path)
    models = write_presets(tmp_path / "models.toml", openai_server.base_url)
    env = {
        **os.environ,
        "GEOSCOPE_CACHE": str(tmp_path / "cache"),
        "GEOSCOPE_TEST_KEY": "sk-judge-test-0123456789",
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    command = [
        sys.executable, "-m", "analysis", "--db", str(db), "clues", "--run", "r", "--judge",
        "local", "--models", str(models), "--concurrency", "2",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while openai_server.calls < 5 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, "finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    killed_at = openai_server.calls
    assert 5 <= killed_at < len(ANSWERS)

    done = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    stored = judgements_frame(Store(db), "r", "local")
    assert len(stored) == len(ANSWERS) and stored["sample_id"].is_unique
    # only the calls in flight when the process died can have been asked twice
    assert len(ANSWERS) <= openai_server.calls <= len(ANSWERS) + 2
    assert "sk-judge-test" not in done.stdout.decode() + done.stderr.decode()
