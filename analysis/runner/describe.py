"""The describe phase of a run: write (or read) a description of every image the run asks about.

Descriptions are produced by a captioning preset through the same executor as answers (the
shared call core: response cache, retries, rate limit, spending cap), stored in the
``descriptions`` table keyed by (dataset, sample, describer fingerprint, describe prompt hash),
and read back by every later run, whatever its model, prompt or mode. A description that could
not be written leaves its sample for the next run. ``--description-column`` reads them from the
dataset's manifest instead.
"""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from analysis.errors import ConfigError
from analysis.models import create_adapter
from analysis.models.base import AdapterContext, ModelAdapter
from analysis.models.cache import ResponseCache
from analysis.models.calls import CallCore
from analysis.prompts.messages import AnswerForm, PromptMessages
from analysis.prompts.modes import describe_messages, describe_prompt_hash
from analysis.runner.execute import Executor, RunStats
from analysis.runner.modes import (
    ModeInputs,
    column_describer,
    describer_fingerprint,
    describer_preset,
)
from analysis.runner.prepare import Prepared
from analysis.store.descriptions import load_descriptions, save_descriptions
from analysis.types import ParsedAnswer, Prediction, PredictionStatus, Sample

_SAVE_EVERY = 25  # descriptions per write: a crash loses none (the response cache has them)


@dataclass(frozen=True)
class DescribeOutcome:
    """What the describe phase found and did."""

    descriptions: dict[str, str]  # sample_id -> description, for the run's samples
    written: int = 0  # descriptions produced now (cached answers included)
    calls: int = 0  # describe calls made now
    cache_hits: int = 0
    spend_usd: float = 0.0
    failed: int = 0  # samples whose description could not be written (retried next run)
    stopped_for_budget: bool = False


class _DescribeStrategy:
    """Render the describe request in place of a prompt strategy (what the executor asks)."""

    name = "describe"

    def render(
        self, sample: Sample, examples: Sequence[Sample] = (), form: AnswerForm | str = "country"
    ) -> PromptMessages:
        """Render the describe request for ``sample``."""
        return describe_messages(sample)


def _keep_text(text: str | None) -> ParsedAnswer:
    # a description is not parsed: an empty reply is the only failure
    if text and text.strip():
        return ParsedAnswer(status=PredictionStatus.OK)
    return ParsedAnswer(status=PredictionStatus.PARSE_ERROR, detail="empty description")


def column_descriptions(store: Any, dataset: str, column: str) -> dict[str, str]:
    """Read sample_id -> description from ``column`` of the dataset's manifest CSV."""
    source = store.dataset_info(dataset).get("source")
    path = Path(str(source or ""))
    if not source or not path.is_file():
        raise ConfigError(
            f"--description-column needs the dataset's manifest CSV; dataset {dataset!r} was "
            f"imported from {source!r}"
        )
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        fields = reader.fieldnames or []
        if column not in fields or "sample_id" not in fields:
            raise ConfigError(
                f"{path.name} has no {column!r} and 'sample_id' columns (it has: "
                f"{', '.join(fields)})"
            )
        return {
            row["sample_id"]: row[column].strip()
            for row in reader
            if row.get("sample_id") and (row.get(column) or "").strip()
        }


async def describe_for_run(
    prepared: Prepared,
    store: Any,
    cache_dir: Path,
    run_adapter: ModelAdapter,
    *,
    max_cost_usd: float | None = None,
) -> DescribeOutcome:
    """Return descriptions of the run's samples to do, writing the missing ones first."""
    config = prepared.config
    wanted = [s.sample_id for s in prepared.plan.todo]
    digest = describe_prompt_hash()
    if config.description_column:
        key = column_describer(config.description_column)
        stored = await asyncio.to_thread(load_descriptions, store, config.dataset, key, digest)
        if not all(i in stored for i in wanted):
            found = column_descriptions(store, config.dataset, config.description_column)
            fresh = {i: found[i] for i in wanted if i in found and i not in stored}
            await asyncio.to_thread(
                save_descriptions, store, config.dataset, key, digest, fresh, "manifest column"
            )
            stored.update(fresh)
        return DescribeOutcome({i: stored[i] for i in wanted if i in stored})
    preset = describer_preset(config)
    key = describer_fingerprint(preset)
    stored = await asyncio.to_thread(load_descriptions, store, config.dataset, key, digest)
    missing = [s for s in prepared.plan.todo if s.sample_id not in stored]
    if not missing:
        return DescribeOutcome({i: stored[i] for i in wanted if i in stored})
    pending: dict[str, str] = {}
    before = len(stored)

    async def save() -> None:
        batch = dict(pending)
        pending.clear()
        await asyncio.to_thread(
            save_descriptions, store, config.dataset, key, digest, batch, preset.name
        )
        stored.update(batch)

    async def collect(prediction: Prediction, cached: bool) -> None:
        if prediction.status == PredictionStatus.OK and prediction.raw_response:
            pending[prediction.sample_id] = prediction.raw_response.strip()
            if len(pending) >= _SAVE_EVERY:
                await save()

    same = preset.identity() == config.preset.identity()
    adapter = run_adapter if same else _describer_adapter(preset, config, store)
    describe_config = replace(config, preset=preset, mode="image", run_name=config.name)
    describing = replace(
        prepared, config=describe_config, strategy=_DescribeStrategy(), examples=None,
        inputs=ModeInputs(),
    )  # fmt: skip
    cache = ResponseCache.in_cache_dir(cache_dir)
    executor = Executor(describing, adapter, cache, _keep_text, collect, max_cost_usd=max_cost_usd)
    try:
        if not same:
            await adapter.start()
        await executor.run(missing, _quiet)
    finally:
        await save()
        if not same:
            await adapter.aclose()
    stats = executor.stats
    return DescribeOutcome(
        descriptions={i: stored[i] for i in wanted if i in stored},
        written=len(stored) - before,
        calls=stats.calls,
        cache_hits=stats.cache_hits,
        spend_usd=stats.spend_usd,
        failed=sum(1 for s in missing if s.sample_id not in stored),
        stopped_for_budget=executor.stopped_for_budget,
    )


def _describer_adapter(preset: Any, config: Any, store: Any) -> ModelAdapter:
    context = AdapterContext(
        store=store, images_root=config.images_root, max_answer_bytes=config.max_answer_kb * 1024
    )
    return create_adapter(preset, timeout_s=config.timeout_s, context=context)


def _quiet(stats: RunStats) -> None:
    """Report nothing per description (the run's own bar follows)."""


def estimate_describe(prepared: Prepared, store: Any) -> tuple[dict[str, str], int, float]:
    """Return the stored descriptions, the describe calls still needed and their worst cost."""
    config = prepared.config
    digest = describe_prompt_hash()
    if config.description_column:
        key = column_describer(config.description_column)
        return load_descriptions(store, config.dataset, key, digest), 0, 0.0
    preset = describer_preset(config)
    stored = load_descriptions(store, config.dataset, describer_fingerprint(preset), digest)
    missing = [s for s in prepared.plan.todo if s.sample_id not in stored]
    core = CallCore.for_preset(preset)
    chars = len(describe_messages(missing[0]).as_text()) if missing else 0
    return stored, len(missing), core.max_cost_usd(chars, 1) * len(missing)
