"""Live panel core: one photo, several models in parallel, guesses as they arrive.

Independent of Streamlit: ``pages/live.py`` only reads widgets and calls these.
Flow: ``prepare_image`` (validate, strip EXIF once) -> ``live_prompt`` + ``build_calls``
(presets -> calls) -> ``run_live`` (parallel, per-call timeout, spending caps: the session's
and the server's daily one, ``CombinedBudget``; the response cache shared with benchmark runs,
through the model-call core ``analysis.models.calls``) ->
``consensus_point`` -> ``save_rounds`` (runs of the ``live`` dataset).
"""

from analysis.live.bind import (
    POOL,
    AdapterPool,
    LivePrompt,
    build_calls,
    estimate_max_cost_usd,
    live_prompt,
    live_strategies,
    unavailable_reason,
)
from analysis.live.budget import ENV_LIVE_BUDGET, SessionBudget, budget_from_env
from analysis.live.cache import LiveCache
from analysis.live.consensus import geometric_median
from analysis.live.daily import (
    ENV_LIVE_DAILY_BUDGET,
    CombinedBudget,
    DailyBudget,
    DailySpend,
    daily_budget_from_env,
)
from analysis.live.gate import ask_blocker
from analysis.live.intake import LiveConfig, LiveImage, prepare_image, read_dataset_image
from analysis.live.orchestrator import ConsensusPoint, consensus_point, rescore, run_live
from analysis.live.results import CallState, LiveResult, ModelCall, RawAnswer
from analysis.live.session import LIVE_DATASET, LiveRound, SaveReport, save_rounds

__all__ = [
    "ENV_LIVE_BUDGET",
    "ENV_LIVE_DAILY_BUDGET",
    "LIVE_DATASET",
    "POOL",
    "AdapterPool",
    "CallState",
    "CombinedBudget",
    "DailyBudget",
    "DailySpend",
    "ConsensusPoint",
    "LiveCache",
    "LiveConfig",
    "LiveImage",
    "LivePrompt",
    "LiveResult",
    "LiveRound",
    "ModelCall",
    "RawAnswer",
    "SaveReport",
    "SessionBudget",
    "ask_blocker",
    "budget_from_env",
    "build_calls",
    "consensus_point",
    "daily_budget_from_env",
    "estimate_max_cost_usd",
    "geometric_median",
    "live_prompt",
    "live_strategies",
    "prepare_image",
    "read_dataset_image",
    "rescore",
    "run_live",
    "save_rounds",
    "unavailable_reason",
]
