"""``finetune-table``: a fine-tuned run beside its base model's run, read from a real store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.store import RunMeta, Store
from analysis.types import Prediction, PredictionStatus
from tests.finetune.conftest import SplitStore


def _run(
    store: Store, name: str, model: str, right: set[str], ids: list[str], **params: object
) -> None:
    store.create_run(
        RunMeta(name=name, dataset="syn", model=model, adapter="hf_local",
                prompt_strategy="basic", params={"split": "test", "form": "country", **params})
    )  # fmt: skip
    answers = [
        Prediction(sid, "x", PredictionStatus.OK, pred_country="FRA" if sid in right else "ATA")
        for sid in ids
    ]
    store.add_predictions(name, answers)


def test_table_pairs_the_runs_and_prints_gain_and_mcnemar(
    split_store: SplitStore, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = [s.sample_id for s in split_store.test]  # two test samples: AUS and CAN
    store = split_store.store
    _run(store, "base", "org/base", set(), ids)
    card = {"base_model": "org/base", "method": "full", "dataset": "syn", "split": "train"}
    _run(store, "tuned", "/models/tuned", set(), ids, finetune=card)
    assert main(["--db", str(split_store.db), "finetune-table", "--json", "--resamples", "50"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["finetuned_run"], row["base_run"], row["evaluated_on"]) == (
        "tuned",
        "base",
        "syn/test",
    )
    assert row["n"] == 2 and row["gain"] == 0.0 and row["mcnemar_p"] == 1.0
    assert main(["--db", str(split_store.db), "finetune-table"]) == 0
    printed = capsys.readouterr().out
    assert "org/base" in printed and "tuned" in printed and "+0.0 pts" in printed


def test_an_empty_store_says_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "db.duckdb"), "finetune-table"]) == 0
    assert "no run of a fine-tuned model" in capsys.readouterr().out
