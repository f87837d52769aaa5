"""Problems found before any training starts: bad images, bad files, bad splits, leftovers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.errors import ConfigError, InputError
from analysis.finetune import MissingImagesError, examples_from_store
from analysis.finetune.config import CARD_NAME, OUT_MARKER
from analysis.finetune.data import data_from_jsonl, read_jsonl
from analysis.finetune.train import check_out_dir, prepare_out_dir
from tests.finetune.conftest import SplitStore


def _cli(db: Path, *args: str) -> int:
    return main(["--db", str(db), "finetune", *args])


def _line(image: str, sample_id: str) -> str:
    record = {
        "messages": [
            {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "Where?"}]},
            {"role": "assistant", "content": [{"type": "text", "text": "{}"}]},
        ],
        "images": [image],
        "sample_id": sample_id,
    }
    return json.dumps(record) + "\n"


# --- corrupt training images are found up front -------------------------------------------


def test_garbage_and_truncated_images_are_refused_before_training(split_store: SplitStore) -> None:
    split_store.train[1].path.write_bytes(b"this is not a JPEG at all" * 20)
    good = split_store.train[2].path.read_bytes()
    split_store.train[2].path.write_bytes(good[: len(good) // 2])  # an interrupted copy
    with pytest.raises(MissingImagesError) as caught:
        examples_from_store(split_store.store, "syn", "train")
    message = str(caught.value)
    assert message.startswith("2 of 4 samples in 'syn'/'train' have no usable image")
    assert "s0001" in message and "not an image" in message and "s0002" in message
    assert len(caught.value.problems) == 2
    data = examples_from_store(split_store.store, "syn", "train", allow_missing=True)
    assert [e.sample_id for e in data.examples] == ["s0000", "s0003"]
    assert [reason.split(":")[0] for reason in data.skipped] == ["s0001", "s0002"]


def test_cli_refuses_a_corrupt_image_without_training(
    split_store: SplitStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    split_store.train[3].path.write_bytes(b"\x00garbage" * 50)
    out = tmp_path / "o"
    code = _cli(split_store.db, "--dataset", "syn", "--base", "x/y/z", "--out", str(out),
                "--max-steps", "1")  # fmt: skip
    captured = capsys.readouterr()
    assert code == 1 and "1 of 4 samples" in captured.err and "s0003" in captured.err
    assert "step 1" not in captured.out and not out.exists()


def test_corrupt_image_in_a_jsonl_is_reported_and_skippable(tmp_path: Path) -> None:
    (tmp_path / "bad.jpg").write_bytes(b"GIF89a-but-not-really")
    from PIL import Image

    Image.new("RGB", (20, 10), (1, 2, 3)).save(tmp_path / "ok.png")
    path = tmp_path / "train.jsonl"
    path.write_text(_line("ok.png", "a") + _line("bad.jpg", "b") + _line("gone.jpg", "c"))
    with pytest.raises(MissingImagesError, match=r"^2 training image\(s\) not found or unread"):
        data_from_jsonl(path)
    data = data_from_jsonl(path, allow_missing=True)
    assert [e.sample_id for e in data.examples] == ["a"]
    assert [reason.split(":")[0] for reason in data.skipped] == ["b", "c"]


@pytest.mark.slow
def test_skipped_corrupt_image_is_listed_in_the_card(
    split_store: SplitStore, tmp_path: Path, tiny_llava: Path
) -> None:
    split_store.train[0].path.write_bytes(b"garbage" * 30)
    out = tmp_path / "ft"
    code = _cli(split_store.db, "--dataset", "syn", "--base", str(tiny_llava), "--out", str(out),
                "--max-steps", "1", "--grad-accum", "1", "--max-side", "32",
                "--allow-missing")  # fmt: skip
    assert code == 0
    card = json.loads((out / CARD_NAME).read_text())
    assert card["n_samples"] == 3
    assert [reason.split(":")[0] for reason in card["skipped_samples"]] == ["s0000"]


# --- --evaluate split and --prompt are checked before training -----------------------------


def test_evaluate_split_must_exist_before_training(
    split_store: SplitStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "o"
    code = _cli(split_store.db, "--dataset", "syn", "--base", "x/y/z", "--out", str(out),
                "--evaluate", "nosuch")  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "no samples in split 'nosuch'" in err
    assert "test (2), train (4)" in err and not out.exists()


def test_prompt_with_examples_names_the_option_and_the_zero_shot_prompts(
    split_store: SplitStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "o"
    code = _cli(split_store.db, "--dataset", "syn", "--base", "x/y/z", "--out", str(out),
                "--prompt", "static_kshot")  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "--prompt static_kshot" in err
    assert "basic, must, tips" in err and "export with" not in err
    assert not out.exists()


# --- broken training files ----------------------------------------------------------------


def test_non_utf8_jsonl_names_the_line_and_byte_offset(tmp_path: Path) -> None:
    (tmp_path / "ok.png").write_bytes(b"")  # never opened: reading fails first
    first = _line("ok.png", "a").encode()
    bad = b'{"sample_id": "caf\xe9"}\n'  # Latin-1 e-acute
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(first + bad)
    offset = len(first) + bad.index(b"\xe9")
    with pytest.raises(InputError, match=rf"latin1.jsonl:2: not UTF-8 .*byte offset {offset}\b"):
        read_jsonl(path)


def test_jsonl_that_is_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_jsonl(tmp_path)
    code = main(["finetune", "--from-jsonl", str(tmp_path), "--base", "x/y/z", "--out",
                 str(tmp_path / "o")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "is a directory" in err and "not found" not in err


# --- a failed job leaves nothing that blocks the corrected command -------------------------


def test_leftovers_of_a_failed_job_are_reused_without_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "ft"
    out.mkdir()
    (out / OUT_MARKER).write_text("ours")
    (out / ".trainer").mkdir()
    (out / ".trainer" / "x").write_text("leftover")
    note = check_out_dir(out, overwrite=False)
    assert note is not None and "reusing" in note
    prepare_out_dir(out, overwrite=False)
    assert sorted(p.name for p in out.iterdir()) == [OUT_MARKER]
    (out / CARD_NAME).write_text("{}")  # a finished job: only --overwrite replaces it
    with pytest.raises(ConfigError, match="is not empty"):
        check_out_dir(out, overwrite=False)
    stranger = tmp_path / "theirs"
    stranger.mkdir()
    (stranger / ".trainer").mkdir()  # not ours without the marker
    with pytest.raises(ConfigError, match="is not empty"):
        check_out_dir(stranger, overwrite=False)


def test_failed_job_removes_a_new_folder_and_keeps_a_reusable_one(
    split_store: SplitStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing_base = str(tmp_path / "no-such-model")
    out = tmp_path / "new"
    code = _cli(split_store.db, "--dataset", "syn", "--base", missing_base, "--out", str(out))
    assert code == 1 and "not found" in capsys.readouterr().err
    assert not out.exists()  # the folder this job made is gone

    reused = tmp_path / "reused"
    reused.mkdir()
    (reused / OUT_MARKER).write_text("ours")
    (reused / ".trainer").mkdir()
    code = _cli(split_store.db, "--dataset", "syn", "--base", missing_base, "--out", str(reused))
    captured = capsys.readouterr()
    assert code == 1 and "base model folder" in captured.err and "not empty" not in captured.err
    assert "reusing" in captured.out
    assert sorted(p.name for p in reused.iterdir()) == [OUT_MARKER]  # still reusable


def test_cuda_without_cuda_creates_nothing(
    split_store: SplitStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("CUDA is available here")
    out = tmp_path / "o"
    code = _cli(split_store.db, "--dataset", "syn", "--base", "x/y/z", "--out", str(out),
                "--device", "cuda")  # fmt: skip
    assert code == 1 and "CUDA is not available" in capsys.readouterr().err
    assert not out.exists()
