"""Tiny random transformers models built offline in seconds, for tests of the real code paths.

Nothing is downloaded: the tokenizer is a byte-level BPE trained in-process, the weights are
random (seeded). The models produce gibberish, which is the point: tests prove the plumbing
(processor, chat template, generate, decoding, storage), not the quality.

Use the cached helpers (one build per test process) or the pytest fixtures in
``tests.support.fixtures``::

    from tests.support.tiny_models import tiny_llava_dir
    folder = tiny_llava_dir()   # a folder loadable by AutoProcessor / AutoModelForImageTextToText
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path
from typing import Any

_CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ message['role'] }}: "
    "{% if message['content'] is string %}{{ message['content'] }}"
    "{% else %}{% for part in message['content'] %}"
    "{% if part['type'] == 'image' %}<image>{% elif part['type'] == 'text' %}{{ part['text'] }}"
    "{% endif %}{% endfor %}{% endif %}\n"
    "{% endfor %}{% if add_generation_prompt %}assistant: {% endif %}"
)
_TRAINING_TEXT = [
    "Where was this photo taken? Answer with the country and coordinates.",
    "country: France lat: 48.85 lon: 2.35",
    '{"country": "Japan", "lat": 35.68, "lon": 139.69}',
    "The road markings and vegetation suggest Brazil, near -23.5, -46.6.",
    "I cannot determine the location of this image.",
    "user: assistant: system: unknown refused",
]


def _train_tokenizer(special: list[str]) -> Any:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.BPE(unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=300,
        special_tokens=special,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    tokenizer.train_from_iterator(_TRAINING_TEXT * 4, trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        unk_token="<unk>",
        bos_token="<s>",
        eos_token="</s>",
        pad_token="<pad>",
        extra_special_tokens={"image_token": "<image>"},
    )


def build_tiny_llava(folder: Path, seed: int = 0) -> Path:
    """Build and save a tiny random LLaVA (32 px images) with its processor into ``folder``."""
    import torch
    from transformers import (
        CLIPImageProcessorPil,
        CLIPVisionConfig,
        LlamaConfig,
        LlavaConfig,
        LlavaForConditionalGeneration,
        LlavaProcessor,
    )

    tokenizer = _train_tokenizer(["<unk>", "<s>", "</s>", "<pad>", "<image>"])
    tokenizer.padding_side = "left"  # decoder-only batched generation pads on the left
    image_processor = CLIPImageProcessorPil(
        size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32}
    )
    processor = LlavaProcessor(
        image_processor=image_processor,
        tokenizer=tokenizer,
        patch_size=8,
        vision_feature_select_strategy="default",
        num_additional_image_tokens=1,
        chat_template=_CHAT_TEMPLATE,
    )
    config = LlavaConfig(
        vision_config=CLIPVisionConfig(
            hidden_size=32,
            intermediate_size=64,
            num_hidden_layers=2,
            num_attention_heads=2,
            image_size=32,
            patch_size=8,
        ),
        text_config=LlamaConfig(
            vocab_size=len(tokenizer),
            hidden_size=32,
            intermediate_size=64,
            num_hidden_layers=2,
            num_attention_heads=2,
            num_key_value_heads=2,
            max_position_embeddings=512,
            pad_token_id=tokenizer.pad_token_id,
            bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id,
        ),
        image_token_index=tokenizer.convert_tokens_to_ids("<image>"),
        vision_feature_layer=-1,
        vision_feature_select_strategy="default",
    )
    torch.manual_seed(seed)
    model = LlavaForConditionalGeneration(config)
    model.eval()
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    processor.save_pretrained(folder)
    return folder


def build_tiny_clip(folder: Path, seed: int = 0) -> Path:
    """Build and save a tiny random CLIP (image tower used for embeddings) into ``folder``."""
    import torch
    from transformers import CLIPConfig, CLIPImageProcessorPil, CLIPModel

    config = CLIPConfig(
        text_config={
            "vocab_size": 99,
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "max_position_embeddings": 32,
            "bos_token_id": 0,
            "eos_token_id": 1,
            "pad_token_id": 1,
        },
        vision_config={
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "image_size": 32,
            "patch_size": 8,
        },
        projection_dim=16,
    )
    torch.manual_seed(seed)
    model = CLIPModel(config)
    model.eval()
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    CLIPImageProcessorPil(
        size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32}
    ).save_pretrained(folder)
    return folder


@functools.cache
def _build_root() -> Path:
    # One temporary folder per process; the OS cleans /tmp, and tests never write into it.
    return Path(tempfile.mkdtemp(prefix="geoscope-tiny-models-"))


@functools.cache
def tiny_llava_dir() -> Path:
    """Return a folder with the tiny LLaVA, building it once per process (~5 s)."""
    return build_tiny_llava(_build_root() / "tiny-llava")


@functools.cache
def tiny_clip_dir() -> Path:
    """Return a folder with the tiny CLIP, building it once per process (~2 s)."""
    return build_tiny_clip(_build_root() / "tiny-clip")
