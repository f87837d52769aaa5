"""Training on several datasets and splits: parsing, lineage in the card, the leakage guard."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.errors import ConfigError
from analysis.finetune.config import CARD_NAME
from analysis.finetune.lineage import TrainSource, parse_sources
from tests.finetune.conftest import SplitStore
from tests.support.datasets import gps_jpeg, ingest, make_samples


def test_sources_from_datasets_splits_or_pairs() -> None:
    assert parse_sources(["a"], "train,extra", None) == [
        TrainSource("a", "train"), TrainSource("a", "extra")
    ]  # fmt: skip
    assert parse_sources(["a", "b"], "train", None) == [
        TrainSource("a", "train"), TrainSource("b", "train")
    ]  # fmt: skip
    pairs = parse_sources(None, "ignored", ["a:train,b:extra", "a:train"])
    assert pairs == [TrainSource("a", "train"), TrainSource("b", "extra")]  # no duplicate
    assert parse_sources(None, "train", None) == []  # --from-jsonl
    with pytest.raises(ConfigError, match="not DATASET:SPLIT"):
        parse_sources(None, "train", ["a"])
    with pytest.raises(ConfigError, match="either --data"):
        parse_sources(["a"], "train", ["a:train"])


def _with_extra(split_store: SplitStore, tmp_path: Path) -> None:
    """Add dataset ``more`` (split extra): a byte copy of test[0]'s image, a point by test[1]."""
    more = make_samples(tmp_path / "more", 2)
    test0, test1 = split_store.test
    shutil.copy(test0.path, more[0].path)  # the same photo under another name and place
    more[1].path.write_bytes(gps_jpeg((5, 5, 5), test1.lat + 0.002, test1.lon))  # ~220 m away
    more[1] = replace(more[1], lat=test1.lat + 0.002, lon=test1.lon)
    ingest(split_store.store, "more", more, split="extra")


def _finetune(split_store: SplitStore, base: Path, out: Path, *extra: str) -> int:
    return main([
        "--db", str(split_store.db), "finetune", "--data", "syn:train,more:extra",
        "--base", str(base), "--out", str(out), "--max-steps", "2", "--grad-accum", "1",
        "--max-side", "32", "--name", "multi", "--evaluate", "syn:test", *extra,
    ])  # fmt: skip


@pytest.mark.slow
def test_two_sources_are_traced_and_their_overlap_with_the_test_split_refused(
    tmp_path: Path,
    split_store: SplitStore,
    tiny_llava: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GEOSCOPE_CACHE", str(tmp_path / "cache"))
    _with_extra(split_store, tmp_path)
    out = tmp_path / "ft"
    assert _finetune(split_store, tiny_llava, out) == 1
    error = capsys.readouterr().err
    assert "2 of 2 samples of syn/test overlap" in error and "syn/train+more/extra" in error
    assert "1 lie within 1 km" in error and "1 have an identical image" in error
    assert "--allow-leakage" in error and not out.exists()  # refused before any training

    assert _finetune(split_store, tiny_llava, out, "--allow-leakage") == 0
    printed = capsys.readouterr()
    assert "warning: 2 samples of syn/test overlap" in printed.err
    card = json.loads((out / CARD_NAME).read_text())
    lineage = card["lineage"]
    assert lineage["sources"] == [
        {"source": "syn/train", "n_samples": 4}, {"source": "more/extra", "n_samples": 2}
    ]  # fmt: skip
    ids = [f"syn/train/{s.sample_id}" for s in split_store.train]
    ids += ["more/extra/s0000", "more/extra/s0001"]
    listing = "".join(f"{i}\n" for i in sorted(ids))
    assert lineage["samples_sha256"] == hashlib.sha256(listing.encode()).hexdigest()
    assert card["n_samples"] == 6 and card["split"] == "syn/train+more/extra"
    assert card["leakage"]["override"] is True and card["leakage"]["overlapping_samples"] == 2
    info = split_store.store.run_info(card["evaluation_run"])
    params = json.loads(str(info["params_json"]))
    assert params["split"] == "test"
    assert params["finetune"]["leakage"]["override"] is True  # the run carries the warning
    assert params["finetune"]["lineage"]["n_samples"] == 6


def test_evaluate_must_name_the_dataset_when_training_reads_several(
    tmp_path: Path, split_store: SplitStore, tiny_llava: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([
        "--db", str(split_store.db), "finetune", "--dataset", "syn", "--dataset", "other",
        "--base", str(tiny_llava), "--out", str(tmp_path / "x"), "--evaluate", "test",
    ])  # fmt: skip
    assert code == 1 and "name one as --evaluate DATASET:SPLIT" in capsys.readouterr().err
