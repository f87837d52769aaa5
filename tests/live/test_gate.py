"""When "Ask the models" can act, and the reason it gives when it cannot."""

from __future__ import annotations

from pathlib import Path

from analysis.live.bind import PresetChoice, live_prompt
from analysis.live.budget import SessionBudget
from analysis.live.cache import LiveCache
from analysis.live.daily import DailySpend
from analysis.live.gate import NO_MODEL, NO_PHOTO, ask_blocker
from analysis.models.base import ModelResponse
from analysis.models.calls import CallCore
from analysis.models.presets import load_presets
from tests.support.presets import write_presets

IMAGE_SHA = "ab" * 32
ROOMY = DailySpend("2031-05-06", 0.0, 0.0, 10.0)


def _choices(tmp_path: Path) -> dict[str, PresetChoice]:
    presets = load_presets(write_presets(tmp_path / "models.toml", "http://127.0.0.1:9/v1"))
    return {name: PresetChoice(preset, None) for name, preset in presets.items()}


def test_no_photo_no_model_and_unavailable_models_each_say_so(tmp_path: Path) -> None:
    choices = _choices(tmp_path)
    prompt = live_prompt("basic", "coords", IMAGE_SHA)

    def blocker(chosen: list[PresetChoice], with_photo: bool = True) -> str | None:
        return ask_blocker(
            chosen,
            image_sha256=IMAGE_SHA if with_photo else None,
            prompt=prompt if with_photo else None,
            session=SessionBudget(1.0),
            today=ROOMY,
        )

    assert blocker([choices["local"]], with_photo=False) == NO_PHOTO
    assert blocker([]) == NO_MODEL
    reason = blocker([PresetChoice(choices["local"].preset, "set GEOSCOPE_TEST_KEY")])
    assert reason is not None and "local: set GEOSCOPE_TEST_KEY" in reason
    assert blocker([choices["local"]]) is None


def test_a_reached_cap_blocks_paid_models_unless_free_or_already_answered(tmp_path: Path) -> None:
    choices = _choices(tmp_path)
    prompt = live_prompt("basic", "coords", IMAGE_SHA)
    cache = LiveCache(tmp_path / "cache")
    spent_day = DailySpend("2031-05-06", 9.999, 0.0, 10.0)
    paid = [choices["local"]]
    reason = ask_blocker(
        paid, image_sha256=IMAGE_SHA, prompt=prompt, session=SessionBudget(1.0),
        today=spent_day, cache=cache,
    )  # fmt: skip
    assert reason is not None and reason.startswith("spending cap reached")
    assert "GEOSCOPE_LIVE_DAILY_BUDGET_USD" in reason and "$0.0010 is left" in reason
    with_free = [*paid, choices["local-free"]]
    assert (
        ask_blocker(
            with_free,
            image_sha256=IMAGE_SHA,
            prompt=prompt,
            session=SessionBudget(1.0),
            today=spent_day,
        )  # fmt: skip
        is None
    )
    # The paid model answered this photo and prompt before: the cache answers for free.
    key = CallCore.for_preset(paid[0].preset).key(prompt.request_hash, [IMAGE_SHA])
    cache.put(key, ModelResponse("France", 10, 2, 5.0), "test-vlm")
    assert (
        ask_blocker(
            paid,
            image_sha256=IMAGE_SHA,
            prompt=prompt,
            session=SessionBudget(1.0),
            today=spent_day,
            cache=cache,
        )  # fmt: skip
        is None
    )


def test_an_unreadable_ledger_is_named_in_the_reason(tmp_path: Path) -> None:
    choices = _choices(tmp_path)
    prompt = live_prompt("basic", "coords", IMAGE_SHA)
    broken = DailySpend("2031-05-06", 0.0, 0.0, 10.0, problem="the record X cannot be read")
    reason = ask_blocker(
        [choices["local"]], image_sha256=IMAGE_SHA, prompt=prompt, session=SessionBudget(1.0),
        today=broken,
    )  # fmt: skip
    assert reason is not None and "the record X cannot be read" in reason
