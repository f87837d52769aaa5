"""Turn a RunConfig into what execution needs: samples, plan, prompt strategy, examples, run row."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.datasets.locate import image_bases
from analysis.errors import ConfigError, InputError
from analysis.finetune.config import CARD_NAME
from analysis.finetune.leakage import guard_run
from analysis.models import adapter_capabilities
from analysis.models.presets import ModelPreset
from analysis.prompts import ExampleMode, StaticExamples, get_prompt, llmgeo_neighbours
from analysis.prompts.modes import (
    InputMode,
    describe_prompt_hash,
    mode_template_hash,
    mode_template_text,
)
from analysis.runner.config import RunConfig
from analysis.runner.modes import ModeInputs, location_selection, mode_params
from analysis.runner.plan import Plan, make_plan
from analysis.store import RunMeta
from analysis.store.samples import samples_from_frame
from analysis.types import Sample


@dataclass(frozen=True)
class Prepared:
    """A run ready to execute (or to estimate, for --dry-run)."""

    config: RunConfig
    run: str
    strategy: Any  # analysis.prompts.PromptStrategy, with k/seed applied
    examples: Any  # an ExampleProvider, or None when the strategy takes no examples
    plan: Plan
    image_bases: tuple[Path, ...]
    run_meta: Any  # analysis.store.RunMeta
    resumed: bool
    inputs: ModeInputs = field(default_factory=ModeInputs)  # the input mode's additions


def run_params(config: RunConfig, strategy: Any) -> dict[str, Any]:
    """Return the run's parameters as stored in the runs table (never a secret)."""
    preset: ModelPreset = config.preset
    params: dict[str, Any] = {
        "preset": preset.name,
        "base_url": preset.base_url,
        "key_variable": preset.api_key_env,  # the NAME of the env var (not a secret)
        "max_side": preset.max_side,
        "generation": dict(preset.params),
        "form": config.form,
        "price_in_per_mtok": preset.price_in_per_mtok,
        "price_out_per_mtok": preset.price_out_per_mtok,
        "timeout_s": config.timeout_s,
        "retries": config.retry.retries,
        "seed": config.seed,
        "split": config.split,
        "headings": None if config.headings is None else list(config.headings),
        "model_revision": preset.local_revision(),
        "sample": config.sample,
        "limit": config.limit,
    }
    if strategy.needs_examples:
        params.update(
            k=strategy.k, examples=str(strategy.examples), examples_split=config.examples_split
        )
    finetuned = finetune_provenance(preset)
    if finetuned is not None:
        params["finetune"] = finetuned
    params.update(mode_params(config))
    if InputMode(config.mode).needs_description:
        params["describe_hash"] = describe_prompt_hash()
    return params


# created_at: when the weights were trained (the card's own key); lineage: sources + sample hash
_CARD_FIELDS = (
    "base_model", "dataset", "split", "method", "steps", "n_samples", "created_at", "lineage",
)  # fmt: skip


def _model_folder(preset: ModelPreset) -> Path | None:
    if not adapter_capabilities(preset).local_weights:
        return None
    folder = Path(os.path.expanduser(preset.model))
    if not folder.is_absolute() and preset.source_file is not None:
        folder = preset.source_file.parent / folder
    return folder


def _guard_leakage(
    config: RunConfig, params: dict[str, Any], plan: Plan, bases: tuple[Path, ...]
) -> None:
    """Refuse a fine-tuned model's run on samples it trained on, unless --allow-leakage."""
    folder = _model_folder(config.preset)
    if "finetune" not in params or folder is None:
        return
    where = f"{config.dataset}/{config.split}" if config.split else f"{config.dataset} (all)"
    params["finetune"]["leakage"] = guard_run(
        folder,
        plan.selected,
        config.dataset,
        bases,
        allow=bool(getattr(config, "allow_leakage", False)),
        evaluated=where,
    )


def finetune_provenance(preset: ModelPreset) -> dict[str, Any] | None:
    """Return what a local model folder's fine-tuning card says (None: not fine-tuned here).

    ``python -m analysis finetune`` leaves ``geoscope_finetune.json`` beside the weights; a run
    of that folder records the base model and training split, so "fine-tuned vs training-free"
    stays answerable from the database alone.
    """
    folder = _model_folder(preset)
    if folder is None:
        return None
    card = folder / CARD_NAME
    try:
        data = json.loads(card.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    return {key: data[key] for key in _CARD_FIELDS if key in data}


def _example_provider(config: RunConfig, strategy: Any, store: Any, samples: list[Sample]) -> Any:
    if not strategy.needs_examples:
        return None
    if strategy.examples is ExampleMode.STATIC:
        if config.examples_dataset:
            pool = samples_from_frame(store.dataset_samples(config.examples_dataset))
        else:
            pool = samples
        if config.examples_split:
            pool = [s for s in pool if s.split == config.examples_split]
        if not pool:
            raise ConfigError(
                f"prompt {strategy.name!r} needs labelled examples: no samples in split "
                f"{config.examples_split!r} of dataset {config.examples_dataset or config.dataset!r} "
                "(use --examples-split / --examples-dataset)"
            )
        return StaticExamples(pool, k=strategy.k, seed=config.seed)
    if config.neighbours_csv is None:
        raise ConfigError(
            f"prompt {strategy.name!r} needs each query's neighbours: pass --neighbours FILE.csv "
            "(LLMGeo's clip_knn5 format)"
        )
    return llmgeo_neighbours(config.neighbours_csv, image_root=config.images_root)


def _selection_clashes(info: dict[str, Any], config: RunConfig) -> list[str]:
    """Name what makes resuming this stored run wrong: other weights, split or headings.

    A run is one model on one selection; resuming it with another would mix two experiments in
    one row of the leaderboard. (A larger ``--limit`` or ``--sample`` still extends a run.)
    """
    try:
        stored = json.loads(str(info.get("params_json") or "{}"))
    except ValueError:
        return []
    if not isinstance(stored, dict):
        return []
    now = {
        "model_revision": config.preset.local_revision(),
        "split": config.split,
        "headings": None if config.headings is None else list(config.headings),
    }
    labels = {
        "model_revision": "weights in the model folder (it changed since)",
        "split": "--split",
        "headings": "--heading",
    }
    clashes = [
        f"{labels[key]}: stored {stored.get(key)!r}, now {value!r}"
        for key, value in now.items()
        if key in stored and stored.get(key) != value
    ]
    # a run without a recorded mode is an image run (written before input modes existed)
    mode = {"mode": "image", "level": "image", **stored}
    for key, value in mode_params(config).items():
        if mode.get(key) != value:
            clashes.append(f"--{key}: stored {mode.get(key)!r}, now {value!r}")
    return clashes


def prepare_run(config: RunConfig, store: Any, extra_done: set[str] | None = None) -> Prepared:
    """Load samples, choose examples, plan what is left to do, and build the run row.

    ``extra_done`` adds sample ids known to be done elsewhere (a journal not yet ingested, for
    ``--dry-run``, which must not write). Only reads: one read session serves them all.
    """
    with store.session():
        return _prepare(config, store, extra_done)


def _prepare(config: RunConfig, store: Any, extra_done: set[str] | None) -> Prepared:
    strategy = get_prompt(config.prompt).with_options(k=config.k, seed=config.seed)
    if config.form not in [str(f) for f in strategy.forms]:
        raise ConfigError(f"prompt {config.prompt!r} has no {config.form!r} form")
    mode = InputMode(config.mode)
    if mode is not InputMode.IMAGE and strategy.needs_examples:
        raise ConfigError(
            f"input mode {mode.value!r} needs a prompt strategy without examples "
            f"({config.prompt!r} shows labelled example images)"
        )
    if mode.needs_description:
        mode_params(config)  # refuses a missing --describer / --description-column now
    samples = samples_from_frame(store.dataset_samples(config.dataset))
    if not samples:
        raise InputError(f"dataset {config.dataset!r} has no samples")
    views: dict[str, tuple[Sample, ...]] = {}
    split, headings = config.split, config.headings
    if mode.location_level:
        samples, views = location_selection(samples, split=split, headings=headings)
        split = headings = None  # applied while grouping: the plan sees locations
    examples = _example_provider(config, strategy, store, samples)
    exclude = {s.sample_id for s in getattr(examples, "examples", ())}
    run = config.name
    resumed = bool(store.has_run(run))
    done: set[str] = set()
    if resumed:
        info = store.run_info(run)
        expected = {
            "dataset": config.dataset,
            "model": config.preset.model,
            "adapter": config.preset.adapter,
            "prompt_hash": _prompt_hash(strategy, config),
        }
        clashes = [
            f"{k}: stored {info.get(k)!r}, now {v!r}"
            for k, v in expected.items()
            if info.get(k) != v
        ]
        clashes += _selection_clashes(info, config)
        if clashes:
            raise ConfigError(
                f"run {run!r} already exists with other settings ({'; '.join(clashes)}); "
                "choose another --run name or delete that run"
            )
        done = store.done_sample_ids(run)
    plan = make_plan(
        samples,
        done | (extra_done or set()),
        split=split,
        sample=config.sample,
        limit=config.limit,
        seed=config.seed,
        exclude_ids=exclude,
        headings=headings,
    )
    params = run_params(config, strategy)
    bases = image_bases(store, config.dataset, config.images_root)
    _guard_leakage(config, params, plan, bases)
    meta = RunMeta(
        name=run,
        dataset=config.dataset,
        model=config.preset.model,
        adapter=config.preset.adapter,
        prompt_strategy=strategy.name,
        prompt_version=strategy.version,
        prompt_hash=_prompt_hash(strategy, config),
        prompt_text=mode_template_text(strategy.template_text(config.form), mode),
        params=params,
        source="runner",
    )
    return Prepared(
        config=config,
        run=run,
        strategy=strategy,
        examples=examples,
        plan=plan,
        image_bases=bases,
        run_meta=meta,
        resumed=resumed,
        inputs=ModeInputs(mode=mode, views=views),
    )


def _prompt_hash(strategy: Any, config: RunConfig) -> str:
    """Return the run-level prompt hash: the template's, and the input mode's when not image."""
    describe = describe_prompt_hash() if InputMode(config.mode).needs_description else None
    return mode_template_hash(strategy.template_hash(config.form), config.mode, describe)
