"""Where a dataset's images are: the folders its relative image paths are tried under.

Runs (``analysis.runner``) and fine-tuning exports (``analysis.finetune.export``) both read a
sample's image from its stored path; this is the one place that says where to look.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from analysis.errors import NotFoundError


def image_bases(store: Any, dataset: str, images_root: Path | None = None) -> tuple[Path, ...]:
    """Return the folders relative image paths are tried under, in order.

    ``images_root`` (a user's ``--images-root``) first, then the folder the dataset was
    imported from (when its source is a folder), then the current folder.
    """
    bases: list[Path] = []
    if images_root is not None:
        bases.append(Path(images_root))
    try:
        source = store.dataset_info(dataset).get("source")
    except NotFoundError:  # no such dataset row: no source folder (a locked store still fails)
        source = None
    if source and Path(str(source)).is_dir():
        bases.append(Path(str(source)))
    bases.append(Path.cwd())
    return tuple(bases)


def locate_image(stored: str, bases: Sequence[Path]) -> Path:
    """Return the file a stored image path names: absolute as stored, else under a base.

    A relative path resolves under the first base that holds it; when none does, under the
    first base (so the error that follows names a plausible place).
    """
    candidate = Path(os.path.expanduser(stored))
    if candidate.is_absolute():
        return candidate
    for base in bases:
        if (base / candidate).is_file():
            return (base / candidate).resolve()
    return (bases[0] / candidate).resolve() if bases else candidate.resolve()
