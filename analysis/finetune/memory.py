"""Rough GPU memory needed to fine-tune a model here, from its size (the table in finetune.md).

What this command keeps in memory, per GPU (DDP replicates everything on each GPU):

- full fine-tuning: float32 master weights (4 B/param), float32 gradients (4) and AdamW's two
  float32 moments (8): 16 B per parameter; under DDP, its gradient buckets add 4 B per parameter;
- LoRA: the frozen base in ``dtype`` (2 B/param in bf16) plus 16 B per LoRA parameter, with LoRA
  on q/k/v/o and the three MLP projections: ``23 * r * hidden`` per layer (MLP width 4 x hidden);
- activations kept for the backward pass: ``34 * seq_len * batch * hidden`` bytes per layer at
  16 bits (Korthikanti et al., 2022, attention by SDPA so no seq_len^2 term), doubled in fp32;
- logits and their gradient in float32: ``8 * batch * seq_len * vocab`` bytes;
- a fixed allowance for the CUDA context and allocator slack.
Hidden size and layer count default to a typical shape for the size (hidden = 128 x layers).
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.errors import ConfigError

GIB = 2**30
CUDA_CONTEXT_GIB = 1.0
ADAM_FULL_BYTES = 16  # fp32 weight + fp32 gradient + two fp32 AdamW moments
DDP_BUCKET_BYTES = 4  # DDP's fp32 gradient buckets, one per trainable parameter
LORA_SHAPE_FACTOR = 23  # q, k, v, o: 2h each; gate, up, down: 5h each (MLP width 4h)
ACTIVATION_BYTES_16BIT = 34  # per token per hidden unit per layer, 16-bit activations
_DTYPE_BYTES = {"bfloat16": 2, "float16": 2, "float32": 4}


@dataclass(frozen=True)
class MemoryEstimate:
    """Bytes per GPU by kind, and their total in GiB."""

    weights: float
    gradients: float
    optimizer: float
    activations: float
    logits: float
    context: float

    @property
    def total_gib(self) -> float:
        """Return the total in GiB (2**30 bytes)."""
        parts = (self.weights, self.gradients, self.optimizer, self.activations, self.logits)
        return sum(parts) / GIB + self.context / GIB


def default_shape(params_b: float) -> tuple[int, int]:
    """Return (hidden, layers) typical of a decoder of ``params_b`` billion parameters.

    From params = 12 * layers * hidden^2 with hidden = 128 * layers (LLaMA-7B: 4096 x 32).
    """
    hidden = round((params_b * 1e9 * 128 / 12) ** (1 / 3))
    return hidden, max(1, round(params_b * 1e9 / (12 * hidden**2)))


def estimate_memory(
    params_b: float,
    lora: bool = False,
    batch: int = 1,
    seq_len: int = 1024,
    dtype: str = "bfloat16",
    *,
    hidden: int | None = None,
    layers: int | None = None,
    vocab: int = 32_000,
    lora_r: int = 16,
    ddp: bool = False,
) -> MemoryEstimate:
    """Estimate the bytes one GPU holds while fine-tuning (see the module docstring).

    Args:
        params_b: parameters of the whole model, in billions.
        lora: LoRA adapters on a frozen base (else full fine-tuning).
        batch: examples per forward pass per GPU (``--batch-size``).
        seq_len: tokens per example (image tokens + prompt + answer).
        dtype: activation dtype ("bfloat16" with autocast on GPUs, "float32" on CPU); with LoRA
            also the frozen base weights' dtype.
        ddp: several GPUs under DDP (adds its gradient buckets).
    """
    if params_b <= 0 or batch < 1 or seq_len < 1 or vocab < 1 or lora_r < 1:
        raise ConfigError("params, batch, sequence length, vocabulary and LoRA rank must be > 0")
    if dtype not in _DTYPE_BYTES:
        raise ConfigError(f"dtype must be one of {', '.join(_DTYPE_BYTES)}, got {dtype!r}")
    width = _DTYPE_BYTES[dtype]
    shape_hidden, shape_layers = default_shape(params_b)
    hidden = hidden or shape_hidden
    layers = layers or shape_layers
    params = params_b * 1e9
    trainable = LORA_SHAPE_FACTOR * lora_r * hidden * layers if lora else params
    base = params * width if lora else 0.0
    bucket = DDP_BUCKET_BYTES * trainable if ddp else 0.0
    return MemoryEstimate(
        weights=base + 4 * trainable,
        gradients=4 * trainable + bucket,
        optimizer=8 * trainable,
        activations=ACTIVATION_BYTES_16BIT * seq_len * batch * hidden * layers * width / 2,
        logits=8 * batch * seq_len * vocab,
        context=CUDA_CONTEXT_GIB * GIB,
    )


def estimate_memory_gb(
    params_b: float,
    lora: bool = False,
    batch: int = 1,
    seq_len: int = 1024,
    dtype: str = "bfloat16",
) -> float:
    """Return the estimated GiB per GPU for a model of typical shape (see ``estimate_memory``)."""
    return estimate_memory(params_b, lora, batch, seq_len, dtype).total_gib


# Real open models (language-model shape from their configs), for the table in finetune.md.
MODELS: tuple[tuple[str, float, int, int, int], ...] = (
    ("Qwen2-VL-2B (2.2B; hidden 1536, 28 layers, vocab 151,936)", 2.2, 1536, 28, 151_936),
    ("LLaVA-1.5-7B (7.1B; hidden 4096, 32 layers, vocab 32,000)", 7.1, 4096, 32, 32_000),
)


def memory_table_markdown(batch: int = 1, seq_len: int = 1024) -> str:
    """Return the finetune.md table: GiB per GPU, full vs LoRA, one GPU vs DDP, bf16."""
    lines = [
        "| model | method | 1 GPU | per GPU under DDP |",
        "| --- | --- | ---: | ---: |",
    ]
    for label, params_b, hidden, layers, vocab in MODELS:
        for lora in (False, True):
            cells = [
                estimate_memory(
                    params_b, lora, batch, seq_len, "bfloat16",
                    hidden=hidden, layers=layers, vocab=vocab, ddp=ddp,
                ).total_gib
                for ddp in (False, True)
            ]  # fmt: skip
            method = "LoRA r=16 (bf16 base)" if lora else "full (fp32 master + AdamW)"
            lines.append(f"| {label} | {method} | {cells[0]:.1f} GiB | {cells[1]:.1f} GiB |")
    return "\n".join(lines) + "\n"
