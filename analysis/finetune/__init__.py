"""Fine-tune open vision-language models on a dataset split (LLMGeo's fine-tuned setting).

Pipeline: store split -> chat JSONL (``analysis.finetune.export.export_finetune``) -> examples
(``data``) -> label-masked batches (``collate``) -> transformers ``Trainer`` (``train``) -> a
folder that the ``hf_local`` adapter loads, with a card (``card``). Importing this package is
cheap: torch / transformers / peft load only when training starts.
"""

from __future__ import annotations

from analysis.finetune.config import FinetuneConfig
from analysis.finetune.data import (
    MissingImagesError,
    TrainExample,
    TrainingData,
    examples_from_store,
    read_jsonl,
)

__all__ = [
    "FinetuneConfig",
    "MissingImagesError",
    "TrainExample",
    "TrainingData",
    "examples_from_store",
    "read_jsonl",
]
