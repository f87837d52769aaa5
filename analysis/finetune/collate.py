"""Vision-language batches for training: chat template, processor tokenization, label masking.

Each example is encoded as *prompt tokens* (the processor on the chat template rendered with
``add_generation_prompt=True``, images expanded into their image tokens) followed by *answer
tokens* (the tokenizer on the rest of the fully rendered conversation, plus the end-of-sequence
token when the template does not already end the turn with it). Encoding the two halves apart,
rather than the whole text at once, keeps the prompt tokens identical to what ``hf_local`` feeds
the model at benchmark time, and puts the boundary between "prompt" and "answer" exactly on a
token edge (a BPE merge across the boundary cannot blur it). Labels are -100 on the prompt and on
padding, so the loss is the answer's alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PIL import Image

from analysis.errors import ConfigError
from analysis.finetune.data import TrainExample

IGNORE_INDEX = -100  # the label value torch's cross-entropy skips


@dataclass(frozen=True)
class EncodedExample:
    """One example as token ids: prompt then answer, plus the processor's extra tensors."""

    prompt_ids: list[int]
    answer_ids: list[int]
    extras: dict[str, Any]  # e.g. pixel_values; per-token tensors are listed in token_keys
    token_keys: tuple[str, ...]  # extra tensors shaped (1, n_prompt_tokens), padded with 0


def split_rendered(processor: Any, example: TrainExample) -> tuple[str, str]:
    """Return (prompt text, answer text) as the processor's chat template renders them."""
    prompt_text = processor.apply_chat_template(
        [dict(turn) for turn in example.prompt], add_generation_prompt=True, tokenize=False
    )
    full_text = processor.apply_chat_template(example.conversation(), tokenize=False)
    if not full_text.startswith(prompt_text):
        raise ConfigError(
            "the model's chat template renders the prompt differently once an answer follows "
            f"(sample {example.sample_id!r}); cannot tell prompt tokens from answer tokens"
        )
    answer_text = full_text[len(prompt_text) :]
    if example.answer not in answer_text:
        raise ConfigError(
            f"the model's chat template drops or rewrites the assistant answer "
            f"(sample {example.sample_id!r})"
        )
    return prompt_text, answer_text


def answer_token_ids(tokenizer: Any, answer_text: str) -> list[int]:
    """Tokenize the answer part and make sure it ends with the end-of-sequence token."""
    ids = list(tokenizer(answer_text, add_special_tokens=False)["input_ids"])
    eos = tokenizer.eos_token_id
    # a template that closes the turn with EOS (<|im_end|>, <end_of_turn>) already taught stop
    if eos is not None and eos not in ids:
        ids.append(int(eos))
    return ids


def encode_example(
    processor: Any, example: TrainExample, images: Sequence[Image.Image]
) -> EncodedExample:
    """Encode one example through the processor (prompt + images) and tokenizer (answer)."""
    prompt_text, answer_text = split_rendered(processor, example)
    inputs = processor(
        text=[prompt_text], images=[list(images)] if images else None, return_tensors="pt"
    )
    prompt_ids = [int(t) for t in inputs["input_ids"][0].tolist()]
    tokenizer = getattr(processor, "tokenizer", processor)
    answer_ids = answer_token_ids(tokenizer, answer_text)
    n_prompt = len(prompt_ids)
    extras: dict[str, Any] = {}
    token_keys = []
    for key, value in inputs.items():
        if key in ("input_ids", "attention_mask"):
            continue
        shape = tuple(getattr(value, "shape", ()))
        if len(shape) == 2 and shape == (1, n_prompt):
            token_keys.append(key)  # e.g. token_type_ids / mm_token_type_ids
        extras[key] = value
    return EncodedExample(prompt_ids, answer_ids, extras, tuple(token_keys))


class VisionChatCollator:
    """Turn (example, images) pairs into a right-padded, label-masked training batch."""

    def __init__(self, processor: Any) -> None:
        self.processor = processor
        tokenizer = getattr(processor, "tokenizer", processor)
        pad = tokenizer.pad_token_id
        if pad is None:
            pad = tokenizer.eos_token_id
        if pad is None:
            raise ConfigError("the tokenizer has neither a pad nor an end-of-sequence token")
        self.pad_token_id = int(pad)

    def __call__(self, features: Sequence[tuple[TrainExample, list[Image.Image]]]) -> Any:
        """Return the batch dict (input_ids, attention_mask, labels, pixel_values, ...)."""
        return self.collate([encode_example(self.processor, ex, imgs) for ex, imgs in features])

    def collate(self, encoded: Sequence[EncodedExample]) -> dict[str, Any]:
        """Pad encoded examples on the right (training needs no left padding) into tensors."""
        import torch

        length = max(len(e.prompt_ids) + len(e.answer_ids) for e in encoded)
        input_ids, attention, labels = [], [], []
        for e in encoded:
            ids = e.prompt_ids + e.answer_ids
            pad = length - len(ids)
            input_ids.append(ids + [self.pad_token_id] * pad)
            attention.append([1] * len(ids) + [0] * pad)
            labels.append([IGNORE_INDEX] * len(e.prompt_ids) + e.answer_ids + [IGNORE_INDEX] * pad)
        batch: dict[str, Any] = {
            "input_ids": torch.tensor(input_ids, dtype=torch.long),
            "attention_mask": torch.tensor(attention, dtype=torch.long),
            "labels": torch.tensor(labels, dtype=torch.long),
        }
        keys = {k for e in encoded for k in e.extras}
        for key in sorted(keys):
            if any(key not in e.extras for e in encoded):
                raise ConfigError(f"processor output {key!r} is missing for some examples")
            values = [e.extras[key] for e in encoded]
            if not all(isinstance(v, torch.Tensor) for v in values):
                continue  # e.g. a list of sizes some processors add: not a model input
            if key in encoded[0].token_keys:
                batch[key] = torch.stack(
                    [_pad_tokens(v[0], length, torch.zeros_like) for v in values]
                )
            else:
                batch[key] = _cat(key, values)
        return batch


def _pad_tokens(row: Any, length: int, zeros: Callable[[Any], Any]) -> Any:
    import torch

    filler = zeros(row[:1]).expand(length - row.shape[0])
    return torch.cat([row, filler])


def _cat(key: str, values: list[Any]) -> Any:
    import torch

    shapes = {tuple(v.shape[1:]) for v in values}
    if len(shapes) > 1:
        raise ConfigError(
            f"processor output {key!r} has different shapes across the batch ({sorted(shapes)}); "
            "use --batch-size 1 for this model"
        )
    return torch.cat(values, dim=0)
