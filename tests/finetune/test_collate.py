"""Label masking: only the assistant answer (and end of sequence) is learned, never the prompt."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from analysis.errors import InputError
from analysis.finetune.collate import IGNORE_INDEX, VisionChatCollator
from analysis.finetune.data import TrainExample, load_training_image, parse_line, read_jsonl

SYSTEM = "Answer in JSON."
QUESTION = "Where was this photo taken?"
N_IMAGE_TOKENS = (32 // 8) ** 2  # tiny LLaVA: 4x4 patches; "default" strategy drops CLS


def _example(sample_id: str, answer: str) -> TrainExample:
    return TrainExample(
        sample_id,
        (
            {"role": "system", "content": [{"type": "text", "text": SYSTEM}]},
            {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": QUESTION}]},
        ),
        ("unused.jpg",),
        answer,
    )


def test_labels_are_the_answer_tokens_only(tiny_llava: Path) -> None:
    from transformers import AutoProcessor

    # transformers is not type-checked (mypy does not follow it): name the type
    processor: Any = AutoProcessor.from_pretrained(tiny_llava, local_files_only=True)
    tokenizer = processor.tokenizer
    answers = ['{"country": "Japan", "lat": 35.68, "lon": 139.69}', '{"country": "France"}']
    features = [
        (_example(f"s{i}", answer), [Image.new("RGB", (40, 30), (200, 20 * i, 10))])
        for i, answer in enumerate(answers)
    ]
    batch = VisionChatCollator(processor)(features)
    input_ids, labels, attention = batch["input_ids"], batch["labels"], batch["attention_mask"]
    assert input_ids.shape == labels.shape == attention.shape
    assert batch["pixel_values"].shape[0] == 2
    # The tiny template renders "role: text" per turn, no separators, and no end-of-turn token,
    # so the answer is followed by the EOS token the collator adds for the model to learn to stop.
    expected_prompt = (
        f"system: {SYSTEM}user: " + "<image>" * N_IMAGE_TOKENS + f"{QUESTION}assistant: "
    )
    for row, answer in enumerate(answers):
        expected_answer = tokenizer(answer, add_special_tokens=False)["input_ids"]
        expected_answer = [*expected_answer, tokenizer.eos_token_id]
        learned = [int(t) for t in labels[row] if t != IGNORE_INDEX]
        assert learned == expected_answer
        n_real = int(attention[row].sum())
        n_prompt = n_real - len(expected_answer)
        assert (labels[row, :n_prompt] == IGNORE_INDEX).all()
        assert labels[row, n_prompt:n_real].tolist() == expected_answer
        assert input_ids[row, n_prompt:n_real].tolist() == expected_answer
        prompt_text = tokenizer.decode(input_ids[row, :n_prompt].tolist())
        assert prompt_text == expected_prompt
        # padding: on the right, not attended, not learned
        assert (labels[row, n_real:] == IGNORE_INDEX).all()
        assert (input_ids[row, n_real:] == tokenizer.pad_token_id).all()
        assert (attention[row, n_real:] == 0).all()
    assert int(attention[1].sum()) < int(attention[0].sum())  # the shorter answer was padded


def test_jsonl_lines_are_validated(tmp_path: Path) -> None:
    good = (
        '{"messages": [{"role": "user", "content": [{"type": "image"}, '
        '{"type": "text", "text": "Where?"}]}, {"role": "assistant", "content": '
        '[{"type": "text", "text": "{\\"country\\": \\"Kenya\\"}"}]}], "images": ["a.jpg"], '
        '"sample_id": "k1"}'
    )
    example = parse_line(good, "x:1")
    assert example.answer == '{"country": "Kenya"}' and example.images == ("a.jpg",)
    with pytest.raises(InputError, match="x:2: 1 image placeholder"):
        parse_line(good.replace('["a.jpg"]', "[]"), "x:2")
    with pytest.raises(InputError, match="last message must be the assistant"):
        parse_line(good.replace('"assistant"', '"user"'), "x:3")
    with pytest.raises(InputError, match="not valid JSON"):
        parse_line("{oops", "x:4")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    with pytest.raises(InputError, match="holds no examples"):
        read_jsonl(empty)


def test_training_images_are_upright_and_resized(tmp_path: Path) -> None:
    # 200x100 landscape pixels stored with EXIF orientation 6 (rotate 90° clockwise to view)
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (200, 100), (10, 200, 30)).save(tmp_path / "r.jpg", exif=exif.tobytes())
    image = load_training_image("r.jpg", 64, tmp_path)
    assert image.size == (32, 64)  # upright portrait, longest side 64
    assert image.mode == "RGB"
