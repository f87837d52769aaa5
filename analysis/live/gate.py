"""Decide, before the user clicks, whether "Ask the models" can do anything, and say why not.

A button that looks enabled but only produces refusals is worse than a disabled one with its
reason next to it: the page disables it whenever ``ask_blocker`` returns a reason.
"""

from __future__ import annotations

from collections.abc import Sequence

from analysis.live.bind import LivePrompt, PresetChoice, estimate_max_cost_usd
from analysis.live.budget import ENV_LIVE_BUDGET, SessionBudget, format_cap
from analysis.live.daily import ENV_LIVE_DAILY_BUDGET, DailySpend
from analysis.models.cache import ResponseCache
from analysis.models.calls import CallCore

NO_PHOTO = "no photo yet: upload one, or pick one from a dataset"
NO_MODEL = "no model chosen: pick at least one under Models"


def _cached(
    choice: PresetChoice, image_sha256: str, prompt: LivePrompt, cache: ResponseCache | None
) -> bool:
    if cache is None:
        return False
    core = CallCore.for_preset(choice.preset)
    return core.key(prompt.request_hash or prompt.hash, [image_sha256]) in cache


def ask_blocker(
    choices: Sequence[PresetChoice],
    *,
    image_sha256: str | None,
    prompt: LivePrompt | None,
    session: SessionBudget,
    today: DailySpend,
    cache: ResponseCache | None = None,
) -> str | None:
    """Return why asking the chosen models about the photo would do nothing, or None.

    Asking does something when at least one chosen model can run here and is free, already
    answered this photo and prompt (cache), or fits its worst-case cost under both caps.

    Args:
        choices: the chosen presets with their availability.
        image_sha256: hash of the photo the models would get (``LiveImage.original_sha256``);
            None when there is no usable photo.
        prompt: the prompt they would get; None when there is no usable photo.
        session: this browser session's cap.
        today: the server-wide daily figures (``DailyBudget.snapshot()``).
        cache: the shared response cache, so an answer already paid for is not blocked.
    """
    if image_sha256 is None or prompt is None:
        return NO_PHOTO
    if not choices:
        return NO_MODEL
    usable = [c for c in choices if c.unavailable_reason is None]
    if not usable:
        reasons = "; ".join(f"{c.preset.name}: {c.unavailable_reason}" for c in choices)
        return f"none of the chosen models can run here ({reasons})"
    if any(not c.preset.is_paid for c in usable):
        return None
    room = min(session.remaining_usd, today.remaining_usd)
    worst = [estimate_max_cost_usd(c.preset, len(prompt.text)) for c in usable]
    if room > 0 and min(worst) <= room:
        return None
    if any(_cached(c, image_sha256, prompt, cache) for c in usable):
        return None
    problem = f"; {today.problem}" if today.problem else ""
    return (
        f"spending cap reached: the chosen paid models may cost up to ${min(worst):.4f} a call "
        f"and ${room:.4f} is left (this session: ${session.remaining_usd:.4f} of "
        f"{format_cap(session.limit_usd)}, set by {ENV_LIVE_BUDGET}; this server today (UTC): "
        f"${today.remaining_usd:.4f} of {format_cap(today.limit_usd)}, set by {ENV_LIVE_DAILY_BUDGET})"
        f"{problem}. Choose a free model, or raise a cap."
    )
