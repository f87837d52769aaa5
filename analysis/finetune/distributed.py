"""Several processes under ``torchrun``: who writes, and the few things they must agree on.

Every process trains its share of each batch (DDP, through the Trainer); only the main process
(rank 0) prepares the output folder, prints, saves weights, card and preset, and evaluates.
Ranks come from the environment torchrun sets (RANK, WORLD_SIZE, LOCAL_RANK).
"""

from __future__ import annotations

import os
from typing import Any, TypeVar

T = TypeVar("T")


def rank() -> int:
    """Return this process's global rank (0 without torchrun)."""
    return int(os.environ.get("RANK", "0") or 0)


def world_size() -> int:
    """Return how many processes train together (1 without torchrun)."""
    return int(os.environ.get("WORLD_SIZE", "1") or 1)


def is_main() -> bool:
    """Return True in the process that writes files and prints (rank 0)."""
    return rank() == 0


def init_group(device: str) -> None:
    """Start the process group before the Trainer does, so ranks can agree on the folder.

    accelerate reuses a group that exists: gloo on CPU, NCCL on GPUs (each rank on its
    LOCAL_RANK device).
    """
    if world_size() < 2:
        return
    import torch  # heavy: only for multi-process jobs

    if torch.distributed.is_initialized():
        return
    if device.startswith("cuda"):
        torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0") or 0))
        torch.distributed.init_process_group(backend="nccl")
    else:
        torch.distributed.init_process_group(backend="gloo")


def barrier() -> None:
    """Wait until every process gets here (no-op in a single process)."""
    if world_size() < 2:
        return
    import torch  # heavy: only for multi-process jobs

    if torch.distributed.is_initialized():
        torch.distributed.barrier()


def share(value: T) -> T:
    """Return rank 0's ``value`` in every process (picklable values; no-op alone)."""
    if world_size() < 2:
        return value
    import torch  # heavy: only for multi-process jobs

    if not torch.distributed.is_initialized():
        return value
    box: list[Any] = [value]
    torch.distributed.broadcast_object_list(box, src=0)
    return box[0]  # type: ignore[no-any-return]
