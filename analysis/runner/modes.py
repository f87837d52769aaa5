"""Input-mode plumbing of a run: describers, the per-location selection, and query reshaping.

``ModeInputs`` carries what a mode adds to each question (stored descriptions, the views of
each location) and reshapes the strategy's rendering with ``analysis.prompts.apply_mode``.
``location_selection`` turns a selection of images into one representative per location for
the all-views mode: its prediction is stored under that sample's id, so the evaluation frame
has one row per location and every metric counts locations.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from analysis.errors import ConfigError, InputError
from analysis.models.presets import ModelPreset
from analysis.prompts.messages import PromptMessages
from analysis.prompts.modes import InputMode, apply_mode
from analysis.types import Sample

PLACEHOLDER_DESCRIPTION = "<description to be written by the describer>"


def describer_fingerprint(preset: ModelPreset) -> str:
    """Return the key a captioning preset's descriptions are stored under (its identity)."""
    payload = json.dumps(preset.identity(), sort_keys=True, default=str)
    return "preset:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()


def column_describer(column: str) -> str:
    """Return the key of descriptions read from a manifest column."""
    return f"column:{column}"


@dataclass(frozen=True)
class ModeInputs:
    """What the run's input mode adds to each question."""

    mode: InputMode = InputMode.IMAGE
    descriptions: Mapping[str, str] = field(default_factory=dict)  # sample_id -> text
    views: Mapping[str, tuple[Sample, ...]] = field(default_factory=dict)  # location -> views
    # a dry run renders before any description exists: it stands in for the text's words
    placeholder: str | None = None

    def apply(self, messages: PromptMessages, sample: Sample) -> PromptMessages:
        """Reshape the strategy's rendering of ``sample`` for the mode."""
        if self.mode is InputMode.IMAGE:
            return messages
        description = self.descriptions.get(sample.sample_id, self.placeholder)
        if self.mode.needs_description and description is None:
            raise InputError(
                f"no description of sample {sample.sample_id!r} (its describe call failed: the "
                "next run retries it)"
            )
        views = self.views.get(sample.location_id or sample.sample_id, (sample,))
        return apply_mode(messages, self.mode, description=description, views=views)


def _representative(views: Sequence[Sample]) -> Sample:
    # heading 0 (LLMGeo's first view) when present, else the lowest heading, else the first id
    return min(views, key=lambda s: (s.heading is None, s.heading or 0, s.sample_id))


def location_selection(
    samples: Iterable[Sample],
    *,
    split: str | None = None,
    headings: Iterable[int] | None = None,
) -> tuple[list[Sample], dict[str, tuple[Sample, ...]]]:
    """Group the selected images by location: one representative each, and each one's views.

    Representatives keep the dataset's order, so sampling, ``--limit`` and resume work on
    locations exactly as they do on images.
    """
    wanted = None if headings is None else set(headings)
    groups: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        if split is not None and sample.split != split:
            continue
        if wanted is not None and sample.heading not in wanted:
            continue
        groups[sample.location_id or sample.sample_id].append(sample)
    if not groups:
        raise InputError("the dataset has no samples in this selection for all-views mode")
    if all(len(v) == 1 for v in groups.values()):
        # e.g. LLMGeo's published test manifest: each heading's image is at its own place
        raise InputError(
            f"all-views mode: none of the {len(groups)} locations selected has more than one "
            "view (samples share a location_id when they show one place); it would only repeat "
            "the image mode"
        )
    chosen = {_representative(v).sample_id for v in groups.values()}
    order = [s for v in groups.values() for s in v if s.sample_id in chosen]
    views = {key: tuple(v) for key, v in groups.items()}
    return order, views


def mode_params(config: Any) -> dict[str, Any]:
    """Return the mode's part of a run's parameters (what resume compares)."""
    mode = InputMode(config.mode)
    params: dict[str, Any] = {
        "mode": mode.value,
        "level": "location" if mode.location_level else "image",
    }
    if mode.needs_description:
        params["describer"] = describer_label(config)
    return params


def describer_label(config: Any) -> dict[str, Any]:
    """Return who wrote the run's descriptions: a preset (name, fingerprint) or a column."""
    if config.description_column:
        return {"column": config.description_column, "key": column_describer(
            config.description_column
        )}  # fmt: skip
    preset = describer_preset(config)
    return {"preset": preset.name, "model": preset.model, "key": describer_fingerprint(preset)}


def describer_preset(config: Any) -> ModelPreset:
    """Return the preset that describes the images (the run's own in describe-then-locate)."""
    mode = InputMode(config.mode)
    if mode is InputMode.DESCRIBE_THEN_LOCATE:
        preset: ModelPreset = config.preset
        return preset
    if config.describer is None:
        raise ConfigError(
            f"input mode {mode.value!r} needs descriptions: pass --describer PRESET (a "
            "captioning model preset) or --description-column COLUMN"
        )
    described: ModelPreset = config.describer
    return described
