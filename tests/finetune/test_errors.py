"""Bad input gets a typed error with a precise message, before any training starts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.errors import ConfigError, InputError, ModelUnavailableError
from analysis.finetune import FinetuneConfig, MissingImagesError, examples_from_store
from analysis.finetune.data import data_from_jsonl
from analysis.finetune.train import load_base
from analysis.store import Store
from tests.finetune.conftest import SplitStore
from tests.support.datasets import ingest, make_samples


def _cli(db: Path, *args: str) -> int:
    return main(["--db", str(db), "finetune", *args])


def test_empty_split_names_the_splits_present(
    split_store: SplitStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(InputError, match=r"no samples in split 'val'.*test \(2\), train \(4\)"):
        examples_from_store(split_store.store, "syn", "val")
    code = _cli(
        split_store.db,
        "--dataset",
        "syn",
        "--split",
        "val",
        "--base",
        "x/y/z",
        "--out",
        str(tmp_path / "o"),
    )
    assert code == 1 and "no samples in split 'val'" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_missing_images_are_counted_and_named(tmp_path: Path) -> None:
    samples = make_samples(tmp_path / "images", 8)
    for sample in samples[1:8]:
        sample.path.unlink()
    store = Store(tmp_path / "db.duckdb")
    ingest(store, "syn", samples, split="train")
    with pytest.raises(MissingImagesError) as caught:
        examples_from_store(store, "syn", "train")
    message = str(caught.value)
    assert message.startswith("7 of 8 samples in 'syn'/'train' have no usable image")
    assert "s0001" in message and "s0005" in message and "(and 2 more)" in message
    assert len(caught.value.problems) == 7
    data = examples_from_store(store, "syn", "train", allow_missing=True)
    assert [e.sample_id for e in data.examples] == ["s0000"] and len(data.skipped) == 7


def test_missing_images_in_a_jsonl(tmp_path: Path) -> None:
    line = {
        "messages": [
            {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "Where?"}]},
            {"role": "assistant", "content": [{"type": "text", "text": "{}"}]},
        ],
        "images": ["gone.jpg"],
        "sample_id": "a",
    }
    path = tmp_path / "train.jsonl"
    path.write_text(json.dumps(line) + "\n")
    with pytest.raises(
        MissingImagesError, match=r"1 training image\(s\) not found.*: a: .*gone.jpg: not found"
    ):
        data_from_jsonl(path)


def test_base_model_that_cannot_be_loaded(tmp_path: Path, tiny_clip: Path) -> None:
    with pytest.raises(ModelUnavailableError, match="base model folder .* not found"):
        load_base(str(tmp_path / "no-such-model"))
    with pytest.raises(ModelUnavailableError, match="not an image-text-to-text model"):
        load_base(str(tiny_clip))


def test_out_dir_not_empty_without_overwrite(
    split_store: SplitStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "busy"
    out.mkdir()
    (out / "keep.txt").write_text("precious")
    code = _cli(split_store.db, "--dataset", "syn", "--base", "x/y/z", "--out", str(out))
    err = capsys.readouterr().err
    assert code == 1 and "is not empty" in err and "--overwrite" in err
    assert (out / "keep.txt").read_text() == "precious"
    # --overwrite replaces only an earlier fine-tuning output, never a folder of other files
    code = _cli(split_store.db, "--dataset", "syn", "--base", "x/y/z", "--out", str(out),
                "--overwrite")  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "was not made by `python -m analysis finetune`" in err
    assert (out / "keep.txt").read_text() == "precious"


def test_overwrite_replaces_an_earlier_output_even_a_half_written_one(tmp_path: Path) -> None:
    from analysis.finetune.config import OUT_MARKER
    from analysis.finetune.train import prepare_out_dir

    out = tmp_path / "ft"
    prepare_out_dir(out, overwrite=False)  # a new folder: made and marked
    assert (out / OUT_MARKER).is_file()
    (out / "model.safetensors").write_bytes(b"partial")  # the job died before its card
    with pytest.raises(ConfigError, match="is not empty"):
        prepare_out_dir(out, overwrite=False)
    prepare_out_dir(out, overwrite=True)
    assert sorted(p.name for p in out.iterdir()) == [OUT_MARKER]


def test_bad_hyperparameters() -> None:
    with pytest.raises(ConfigError, match="learning rate"):
        FinetuneConfig(base="b", out=Path("o"), learning_rate=0)
    with pytest.raises(ConfigError, match="grad accum must be >= 1"):
        FinetuneConfig(base="b", out=Path("o"), grad_accum=0)
