"""Export a dataset split as chat-format JSONL for fine-tuning (image + question + answer).

One line per sample, the "messages + images" layout that TRL's ``SFTTrainer`` (vision
datasets), LLaMA-Factory and most VLM fine-tuning scripts read::

    {"messages": [
        {"role": "system", "content": [{"type": "text", "text": "..."}]},
        {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "Where ..."}]},
        {"role": "assistant", "content": [{"type": "text", "text": "{\"country\": \"France\"}"}]}],
     "images": ["/abs/path/img.jpg"], "sample_id": "..."}

``{"type": "image"}`` placeholders map, in order, to the entries of ``images`` (file paths, or
``data:image/jpeg;base64,...`` URLs with ``image_mode="data-url"``; those are re-encoded with no
EXIF). The assistant answer is the same JSON line the benchmark prompt asks for.
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.datasets.locate import image_bases, locate_image
from analysis.errors import ConfigError, ImageError, InputError
from analysis.store.samples import samples_from_frame


@dataclass(frozen=True)
class ExportResult:
    """How many lines were written and which samples were skipped, with reasons."""

    written: int
    skipped: tuple[str, ...]
    path: Path


def _image_entry(path: Path, mode: str, max_side: int) -> str:
    if mode == "path":
        if not path.is_file():
            raise ImageError(f"image {path} not found")
        return str(path)
    from analysis.images import encode_for_model, load_image

    jpeg = encode_for_model(load_image(path), max_side=max_side)
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")


def export_finetune(
    store: Any,
    dataset: str,
    out: Path,
    *,
    split: str | None = "train",
    prompt: str = "must",
    form: str = "country",
    images_root: Path | None = None,
    image_mode: str = "path",
    max_side: int = 1024,
) -> ExportResult:
    """Write the chat-format JSONL for ``dataset`` (one split) to ``out``; return counts."""
    from analysis.prompts import AnswerForm, get_prompt
    from analysis.prompts.strategy import example_answer

    if image_mode not in ("path", "data-url"):
        raise ConfigError(f"image mode must be 'path' or 'data-url', got {image_mode!r}")
    strategy = get_prompt(prompt)
    try:
        answer_form = AnswerForm(form)
    except ValueError:
        raise ConfigError(f"form must be 'country' or 'coords', got {form!r}") from None
    if strategy.needs_examples:
        raise ConfigError(
            f"prompt {prompt!r} uses examples; export with a zero-shot prompt (must, tips, basic)"
        )
    samples = samples_from_frame(store.dataset_samples(dataset))
    if split is not None:
        samples = [s for s in samples if s.split == split]
    if not samples:
        raise InputError(f"dataset {dataset!r} has no samples in split {split!r}")
    bases = image_bases(store, dataset, images_root)
    skipped: list[str] = []
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    written = 0
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            for sample in samples:
                if not sample.image_path:
                    skipped.append(f"{sample.sample_id}: no image path")
                    continue
                try:
                    path = locate_image(sample.image_path, bases)
                    image = _image_entry(path, image_mode, max_side)
                    answer = example_answer(sample, answer_form)
                except (ImageError, InputError) as exc:
                    skipped.append(f"{sample.sample_id}: {exc}")
                    continue
                messages = strategy.render(sample, (), answer_form)
                line = {
                    "messages": [
                        {"role": "system", "content": [{"type": "text", "text": messages.system}]},
                        {
                            "role": "user",
                            "content": [
                                {"type": "image"},
                                {"type": "text", "text": messages.turns[-1].text},
                            ],
                        },
                        {"role": "assistant", "content": [{"type": "text", "text": answer}]},
                    ],
                    "images": [image],
                    "sample_id": sample.sample_id,
                }
                stream.write(json.dumps(line, ensure_ascii=False) + "\n")
                written += 1
        os.replace(temp, out)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return ExportResult(written, tuple(skipped), out)
