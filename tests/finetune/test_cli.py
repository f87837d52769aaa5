"""The finetune command end to end: store split -> trained folder -> hf_local preset -> run."""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import time
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.config import Settings
from analysis.finetune.config import CARD_NAME
from analysis.models import create_adapter
from analysis.models.common import single_turn
from analysis.models.presets import load_presets
from analysis.runner import RunConfig, run_benchmark
from tests.finetune.conftest import SplitStore

SECRET = "sk-geoscope-finetune-secret-0123456789"


def _finetune(split_store: SplitStore, base: Path, out: Path, *extra: str) -> int:
    return main(
        [
            "--db",
            str(split_store.db),
            "finetune",
            "--dataset",
            "syn",
            "--split",
            "train",
            "--base",
            str(base),
            "--out",
            str(out),
            "--max-steps",
            "3",
            "--grad-accum",
            "2",
            "--lr",
            "1e-3",
            "--max-side",
            "48",
            "--prompt",
            "basic",
            "--form",
            "coords",
            *extra,
        ]
    )


@pytest.mark.slow
def test_finetuned_folder_is_benchmarked_through_hf_local(
    tmp_path: Path,
    split_store: SplitStore,
    tiny_llava: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GEOSCOPE_TEST_KEY", SECRET)  # a key in the environment must not leak
    out = tmp_path / "ft-tiny"
    assert _finetune(split_store, tiny_llava, out, "--name", "tiny-ft") == 0
    printed = capsys.readouterr().out
    assert "training" in printed and "on 4 examples" in printed
    # a progress line with total and ETA; piped (not a terminal): first and last step only
    assert re.findall(r"^step (\d+)/3 \[[#-]+\] ", printed, re.M) == ["1", "3"]
    assert re.search(r"^step 3/3 .*loss \d\.\d{4} .*elapsed  ETA 0:00:00$", printed, re.M)

    card_text = (out / CARD_NAME).read_text()
    assert SECRET not in card_text and "GEOSCOPE_TEST_KEY" not in card_text
    card = json.loads(card_text)
    assert card["base_model"] == str(tiny_llava)
    assert (card["dataset"], card["split"], card["n_samples"]) == ("syn", "train", 4)
    assert card["prompt"]["strategy"] == "basic" and card["prompt"]["form"] == "coords"
    assert re.fullmatch(r"[0-9a-f]{64}", card["prompt"]["hash"])
    assert card["prompt"]["n_distinct"] == 1 and card["prompt"]["text"]  # zero-shot: one text
    hyper = card["hyperparameters"]
    assert (hyper["learning_rate"], hyper["max_steps"], hyper["grad_accum"]) == (1e-3, 3, 2)
    assert hyper["max_side"] == 48 and hyper["seed"] == 0
    assert [entry["step"] for entry in card["loss_history"]] == [1, 2, 3]
    assert all(entry["loss"] > 0 for entry in card["loss_history"])
    assert card["train_seconds"] > 0 and card["steps"] == 3 and card["method"] == "full"
    assert card["preset_toml"] in printed and card["follow_up"] in printed
    assert card["versions"]["peft"] and card["versions"]["accelerate"]
    lineage = card["lineage"]
    assert lineage["sources"] == [{"source": "syn/train", "n_samples": 4}]
    assert card["training_samples_sha256"] == lineage["samples_sha256"]
    expected = "".join(f"syn/train/{s.sample_id}\n" for s in split_store.train)
    assert lineage["samples_sha256"] == hashlib.sha256(expected.encode()).hexdigest()
    assert (out / lineage["samples_file"]).is_file() and card["resumed_from_step"] is None
    preset_file = out / "geoscope_models.toml"
    assert f"--dataset syn --model tiny-ft --models {preset_file.resolve()}" in card["follow_up"]
    assert load_presets(preset_file)["tiny-ft"].adapter == "hf_local"  # usable as --models as is

    # The printed snippet, pasted into models.toml as is, gives a working hf_local preset.
    models = tmp_path / "models.toml"
    models.write_text(card["preset_toml"])
    preset = load_presets(models)["tiny-ft"]
    assert preset.adapter == "hf_local" and Path(preset.model) == out.resolve()
    assert preset.max_side == 48
    adapter = create_adapter(preset)

    async def ask() -> str:
        await adapter.start()
        try:
            image = split_store.test[0].path.read_bytes()
            from analysis.images import image_sha256
            from analysis.models.base import ImageInput

            response = await adapter.complete(
                single_turn("Where was this photo taken?"),
                [ImageInput(image, image_sha256(image), "t.jpg")],
            )
            return response.text
        finally:
            await adapter.aclose()

    assert isinstance(asyncio.run(ask()), str)

    settings = Settings(db_path=split_store.db, cache_dir=tmp_path / "cache", models_file=models)
    config = RunConfig(
        dataset="syn", preset=preset, prompt="basic", form="coords", split="test", timeout_s=120
    )
    summary = run_benchmark(config, split_store.store, settings, progress=False)
    frame = split_store.store.run_frame(summary.run, with_raw=True)
    assert sorted(frame["sample_id"]) == [s.sample_id for s in split_store.test]
    assert "api_error" not in set(frame["status"])
    assert (frame["output_tokens"] > 0).all()


@pytest.mark.slow
def test_evaluate_benchmarks_the_trained_model_on_the_unseen_split(
    tmp_path: Path,
    split_store: SplitStore,
    tiny_llava: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GEOSCOPE_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "ft-eval"
    assert _finetune(split_store, tiny_llava, out, "--name", "tiny-eval", "--evaluate", "test") == 0
    printed = capsys.readouterr().out
    card = json.loads((out / CARD_NAME).read_text())
    # dataset:preset:prompt:form@<training time>, unique to this training
    stamp = card["created_at"].replace("-", "").replace(":", "").replace("+0000", "Z")
    name = f"syn:tiny-eval:basic:coords@{stamp}"
    assert re.fullmatch(r"syn:tiny-eval:basic:coords@\d{8}T\d{6}Z", name)
    assert card["evaluation_run"] == name and card["evaluation_split"] == "test"
    assert f"benchmarking tiny-eval on split 'test' of syn as run {name!r}" in printed
    assert split_store.store.has_run(name)
    frame = split_store.store.run_frame(name)
    assert sorted(frame["sample_id"]) == [s.sample_id for s in split_store.test]
    assert "api_error" not in set(frame["status"])
    info = split_store.store.run_info(name)
    assert info["prompt_strategy"] == "basic"
    provenance = json.loads(str(info["params_json"]))["finetune"]  # fine-tuned vs training-free
    assert provenance["base_model"] == str(tiny_llava)
    assert (provenance["dataset"], provenance["split"], provenance["method"]) == (
        "syn", "train", "full"
    )  # fmt: skip

    # Retraining into the same folder scores the NEW weights: a new run, not the old one resumed.
    time.sleep(1.0)  # the run name carries the training time to the second
    code = _finetune(
        split_store, tiny_llava, out, "--name", "tiny-eval", "--evaluate", "test", "--overwrite"
    )
    assert code == 0
    printed = capsys.readouterr().out
    second = json.loads((out / CARD_NAME).read_text())["evaluation_run"]
    assert second != name and f"as run {second!r}" in printed
    assert "2 answered now" in printed and "0 were done before" in printed
    assert sorted(split_store.store.run_frame(second)["sample_id"]) == sorted(frame["sample_id"])
    from analysis.dashboard.leaderboard import model_label

    assert model_label(info["model"]) == "ft-eval"  # the folder's name, not its whole path


def test_evaluate_refuses_the_training_split_and_a_jsonl_source(
    tmp_path: Path, split_store: SplitStore, tiny_llava: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _finetune(split_store, tiny_llava, tmp_path / "a", "--evaluate", "train") == 1
    assert "split it never saw" in capsys.readouterr().err
    assert not (tmp_path / "a").exists()  # refused before any work
    jsonl = tmp_path / "x.jsonl"
    jsonl.write_text("")
    code = main(["finetune", "--from-jsonl", str(jsonl), "--base", str(tiny_llava), "--out",
                 str(tmp_path / "b"), "--evaluate", "test"])  # fmt: skip
    assert code == 1 and "--evaluate needs --dataset" in capsys.readouterr().err
