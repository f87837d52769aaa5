"""Fine-tuning export: chat-format JSONL with image, question and the true answer."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.errors import ConfigError
from analysis.finetune.export import export_finetune
from analysis.store import Store
from tests.support.datasets import ingest, make_samples
from tests.support.imagebytes import jpeg_metadata_segments


def test_export_train_split_as_chat_jsonl(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    samples = make_samples(tmp_path / "images", 5)
    db = tmp_path / "db.duckdb"
    store = Store(db)
    ingest(store, "syn", samples[:3], split="train")
    ingest(store, "syn", samples[3:], split="test")
    out = tmp_path / "ft" / "train.jsonl"
    assert (
        main(
            [
                "--db",
                str(db),
                "export-finetune",
                "--dataset",
                "syn",
                "--split",
                "train",
                "--out",
                str(out),
                "--form",
                "coords",
            ]
        )
        == 0
    )
    assert "wrote 3 examples" in capsys.readouterr().out
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["sample_id"] for line in lines] == ["s0000", "s0001", "s0002"]
    for line, sample in zip(lines, samples, strict=False):
        roles = [m["role"] for m in line["messages"]]
        assert roles == ["system", "user", "assistant"]
        user = line["messages"][1]["content"]
        assert [part["type"] for part in user] == ["image", "text"]
        assert Path(line["images"][0]) == sample.path
        answer = json.loads(line["messages"][2]["content"][0]["text"])
        assert answer["country"] == sample.country_name
        assert answer["lat"] == pytest.approx(sample.lat, abs=1e-4)


def test_data_url_images_carry_no_exif(tmp_path: Path) -> None:
    samples = make_samples(tmp_path / "images", 2)
    store = Store(tmp_path / "db.duckdb")
    ingest(store, "syn", samples, split="train")
    result = export_finetune(store, "syn", tmp_path / "o.jsonl", image_mode="data-url", max_side=64)
    assert result.written == 2
    for line in (tmp_path / "o.jsonl").read_text().splitlines():
        url = json.loads(line)["images"][0]
        assert url.startswith("data:image/jpeg;base64,")
        assert jpeg_metadata_segments(base64.b64decode(url.split(",", 1)[1])) == []


def test_missing_images_are_skipped_with_reasons_and_kshot_is_refused(tmp_path: Path) -> None:
    samples = make_samples(tmp_path / "images", 3)
    samples[1].path.unlink()
    store = Store(tmp_path / "db.duckdb")
    ingest(store, "syn", samples, split="train")
    result = export_finetune(store, "syn", tmp_path / "o.jsonl")
    assert result.written == 2 and len(result.skipped) == 1 and "s0001" in result.skipped[0]
    with pytest.raises(ConfigError, match="zero-shot"):
        export_finetune(store, "syn", tmp_path / "o.jsonl", prompt="static_kshot")
