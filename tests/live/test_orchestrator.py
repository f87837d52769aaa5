"""The live orchestrator: parallel calls, per-call timeouts, failures, spending cap, cache, scores.

Model calls here are plain Python callables (the HTTP path is tested in test_bind.py against a
real local server); the parser is a tiny one so these tests exercise orchestration only.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from analysis.errors import BudgetExceededError, ConfigError
from analysis.live.budget import ENV_LIVE_BUDGET, SessionBudget, budget_from_env
from analysis.live.cache import LiveCache
from analysis.live.orchestrator import consensus_point, run_live
from analysis.live.results import CallState, LiveResult, ModelCall, RawAnswer
from analysis.models.base import Capabilities
from analysis.models.calls import CallCore
from analysis.models.presets import ModelPreset
from analysis.types import CoordsSource, LatLon, ParsedAnswer, PredictionStatus

IMAGE = b"jpeg bytes stand-in"
IMAGE_SHA = "0" * 64


def tiny_parse(text: str | None) -> ParsedAnswer:
    """Read 'lat,lon' or report a parse error (stand-in for analysis.parsing)."""
    try:
        lat_text, lon_text = (text or "").split(",")
        return ParsedAnswer(
            PredictionStatus.OK, None, float(lat_text), float(lon_text), CoordsSource.MODEL
        )
    except ValueError:
        return ParsedAnswer(PredictionStatus.PARSE_ERROR, detail="no coordinates")


class Counter:
    """A model call that answers ``text`` after ``delay_s`` and counts its invocations."""

    def __init__(self, text: str = "10,20", delay_s: float = 0.0, cost_usd: float = 0.0) -> None:
        self.text, self.delay_s, self.cost_usd = text, delay_s, cost_usd
        self.calls = 0
        self.received: list[bytes] = []

    def __call__(self, data: bytes, timeout_s: float) -> RawAnswer:
        self.calls += 1
        self.received.append(data)
        time.sleep(self.delay_s)
        return RawAnswer(self.text, 100, 10, None, self.cost_usd)


def make_call(
    name: str,
    invoke: Callable[[bytes, float], RawAnswer],
    *,
    paid: bool = False,
    max_cost_usd: float = 0.0,
    prompt_hash: str = "p1",
    fingerprint: str | None = None,
    unavailable: str | None = None,
    secret_env: tuple[str, ...] = (),
) -> ModelCall:
    # 10 USD per million input tokens: the stand-in's 100 input tokens cost $0.001, as it says
    preset = ModelPreset(
        name=name,
        adapter="openai_compat",
        model=fingerprint or f"model-{name}",  # the model id is part of the cache key
        base_url="http://127.0.0.1:9/v1",
        price_in_per_mtok=10.0 if paid else 0.0,
    )
    return ModelCall(
        preset=name,
        model=f"model-{name}",
        adapter="test",
        core=CallCore.for_preset(preset, capabilities=Capabilities()),
        prompt_hash=prompt_hash,
        is_paid=paid,
        max_cost_usd=max_cost_usd,
        invoke=invoke,
        unavailable_reason=unavailable,
        secret_env=secret_env,
    )


def collect(calls: list[ModelCall], **kwargs: object) -> list[LiveResult]:
    kwargs.setdefault("parse", tiny_parse)
    return list(run_live(IMAGE, IMAGE_SHA, calls, **kwargs))  # type: ignore[arg-type]


def test_results_arrive_in_completion_order_and_calls_overlap() -> None:
    calls = [
        make_call("slow", Counter("1,1", delay_s=0.6)),
        make_call("fast", Counter("2,2", delay_s=0.05)),
        make_call("mid", Counter("3,3", delay_s=0.3)),
    ]
    started = time.perf_counter()
    order = [r.preset for r in collect(calls)]
    elapsed = time.perf_counter() - started
    assert order == ["fast", "mid", "slow"]
    assert elapsed < 0.6 + 0.3  # run one after the other they would take 0.95 s


def test_the_first_result_is_yielded_before_the_slow_call_finishes() -> None:
    release = threading.Event()

    def blocked(data: bytes, timeout_s: float) -> RawAnswer:
        release.wait(5)
        return RawAnswer("5,5")

    stream = run_live(
        IMAGE,
        IMAGE_SHA,
        [make_call("blocked", blocked), make_call("quick", Counter())],
        parse=tiny_parse,
        timeout_s=5,
    )
    first = next(stream)
    assert first.preset == "quick" and first.state == CallState.DONE
    release.set()
    rest = list(stream)
    assert [r.preset for r in rest] == ["blocked"] and rest[0].lat == 5.0


def test_a_timed_out_model_does_not_block_the_others() -> None:
    release = threading.Event()

    def hangs(data: bytes, timeout_s: float) -> RawAnswer:
        release.wait(10)
        return RawAnswer("0,0")

    started = time.perf_counter()
    results = collect(
        [make_call("hangs", hangs), make_call("a", Counter()), make_call("b", Counter("4,4"))],
        timeout_s=0.4,
    )
    elapsed = time.perf_counter() - started
    release.set()
    by_name = {r.preset: r for r in results}
    assert len(results) == 3
    assert by_name["a"].state == by_name["b"].state == CallState.DONE
    assert by_name["hangs"].state == CallState.TIMED_OUT
    assert by_name["hangs"].status == PredictionStatus.API_ERROR
    assert "0.4 s" in by_name["hangs"].message
    assert elapsed < 2.0


def test_a_failing_model_becomes_a_result_and_its_secret_is_scrubbed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LIVE_TEST_KEY", "s3cr3t-value-123")

    def fails(data: bytes, timeout_s: float) -> RawAnswer:
        raise RuntimeError("401 from provider: key s3cr3t-value-123 rejected")

    results = collect(
        [make_call("bad", fails, secret_env=("LIVE_TEST_KEY",)), make_call("ok", Counter())]
    )
    by_name = {r.preset: r for r in results}
    assert by_name["ok"].state == CallState.DONE
    bad = by_name["bad"]
    assert bad.state == CallState.FAILED and bad.status == PredictionStatus.API_ERROR
    assert "401 from provider" in bad.message and "s3cr3t" not in bad.message


def test_an_unavailable_preset_says_why_and_is_never_called() -> None:
    counter = Counter()
    [result] = collect([make_call("gpt", counter, unavailable="set OPENAI_API_KEY to use gpt")])
    assert result.state == CallState.UNAVAILABLE and "OPENAI_API_KEY" in result.message
    assert counter.calls == 0


def test_the_spending_cap_stops_paid_calls_but_not_free_ones() -> None:
    budget = SessionBudget(limit_usd=0.05)
    first, second, free = Counter(cost_usd=0.02), Counter(cost_usd=0.02), Counter()
    results = collect([make_call("paid-1", first, paid=True, max_cost_usd=0.03)], budget=budget)
    assert results[0].state == CallState.DONE and budget.spent_usd == pytest.approx(0.02)
    # 0.02 spent + a 0.04 worst case would pass the 0.05 cap: that paid call is skipped
    # (never made), while the free one still runs.
    results = collect(
        [make_call("paid-2", second, paid=True, max_cost_usd=0.04), make_call("free", free)],
        budget=budget,
    )
    by_name = {r.preset: r for r in results}
    assert by_name["paid-2"].state == CallState.SKIPPED_BUDGET
    assert "spending cap reached" in by_name["paid-2"].message
    assert ENV_LIVE_BUDGET in by_name["paid-2"].message
    assert second.calls == 0 and free.calls == 1
    assert budget.spent_usd == pytest.approx(0.02)


def test_parallel_paid_calls_cannot_overshoot_the_cap_together() -> None:
    budget = SessionBudget(limit_usd=0.10)
    counters = [Counter(cost_usd=0.04, delay_s=0.1) for _ in range(4)]
    results = collect(
        [make_call(f"p{i}", c, paid=True, max_cost_usd=0.04) for i, c in enumerate(counters)],
        budget=budget,
    )
    states = sorted(r.state for r in results)
    assert states.count(CallState.DONE) == 2 and states.count(CallState.SKIPPED_BUDGET) == 2
    assert sum(c.calls for c in counters) == 2
    assert budget.spent_usd <= 0.10


def test_reserve_raises_once_the_cap_is_used_up() -> None:
    budget = SessionBudget(limit_usd=0.01)
    budget.settle(budget.reserve("a", 0.01), 0.01)
    with pytest.raises(BudgetExceededError, match="cap \\$0.01"):
        budget.reserve("b", 0.0)  # even an unknown (zero) estimate is refused at the cap


def test_budget_from_env_reads_and_validates(monkeypatch: pytest.MonkeyPatch) -> None:
    assert budget_from_env({ENV_LIVE_BUDGET: "0.25"}) == 0.25
    assert budget_from_env({}) > 0
    with pytest.raises(ConfigError, match="not a number"):
        budget_from_env({ENV_LIVE_BUDGET: "five dollars"})
    with pytest.raises(ConfigError, match=">= 0"):
        budget_from_env({ENV_LIVE_BUDGET: "-1"})


def test_a_cache_hit_makes_no_call_and_keys_on_prompt_and_preset(tmp_path: Path) -> None:
    cache = LiveCache(tmp_path)
    counter = Counter("7,8", delay_s=0.0, cost_usd=0.001)
    budget = SessionBudget(1.0)
    first = collect(
        [make_call("m", counter, paid=True, max_cost_usd=0.01)], cache=cache, budget=budget
    )
    assert first[0].state == CallState.DONE and counter.calls == 1
    again = collect(
        [make_call("m", counter, paid=True, max_cost_usd=0.01)], cache=cache, budget=budget
    )
    assert counter.calls == 1  # answered from the cache
    assert again[0].state == CallState.CACHED and (again[0].lat, again[0].lon) == (7.0, 8.0)
    assert again[0].cost_usd == first[0].cost_usd  # what the answer cost when it was made
    assert budget.spent_usd == pytest.approx(0.001)  # ... but it is not charged twice
    collect([make_call("m", counter, prompt_hash="p2")], cache=cache)
    collect([make_call("m", counter, fingerprint="other-params")], cache=cache)
    assert counter.calls == 3


def test_a_damaged_cache_entry_is_a_miss(tmp_path: Path) -> None:
    cache = LiveCache(tmp_path)
    counter = Counter()
    collect([make_call("m", counter)], cache=cache)
    for entry in (tmp_path / "responses").rglob("*.json"):
        entry.write_text("{not json")
    [result] = collect([make_call("m", counter)], cache=cache)
    assert result.state == CallState.DONE and counter.calls == 2


def test_scores_against_the_truth_match_hand_computed_values() -> None:
    # One degree of longitude on the equator is 2*pi*6371/360 = 111.19 km.
    truth = LatLon(0.0, 0.0)
    results = {
        r.preset: r
        for r in collect(
            [
                make_call("exact", Counter("0,0")),
                make_call("one-degree", Counter("0,1")),
                make_call("no-answer", Counter("I cannot tell")),
            ],
            truth=truth,
        )
    }
    assert results["exact"].distance_km == pytest.approx(0.0, abs=1e-9)
    assert results["exact"].points == pytest.approx(5000.0)
    one_degree_km = 2 * math.pi * 6371.0 / 360.0
    assert results["one-degree"].distance_km == pytest.approx(one_degree_km, rel=1e-9)
    assert results["one-degree"].points == pytest.approx(5000 * math.exp(-one_degree_km / 1492.7))
    assert results["no-answer"].status == PredictionStatus.PARSE_ERROR
    assert results["no-answer"].distance_km is None and results["no-answer"].points == 0.0


def test_without_truth_there_are_no_scores() -> None:
    [result] = collect([make_call("m", Counter("1,2"))])
    assert result.distance_km is None and result.points is None


def test_consensus_ignores_non_answers_and_measures_its_error() -> None:
    results = collect(
        [
            make_call("a", Counter("10,20")),
            make_call("b", Counter("10,20")),
            make_call("c", Counter("-40,100")),
            make_call("refuses", Counter("no idea")),
        ],
        truth=LatLon(10.0, 21.0),
    )
    point = consensus_point(results, truth=LatLon(10.0, 21.0))
    assert point is not None and point.n_guesses == 3
    assert (point.lat, point.lon) == pytest.approx((10.0, 20.0))  # held by 2 of 3 guesses
    assert point.distance_km == pytest.approx(109.5, abs=0.5)  # 1 deg of lon at 10 deg N
    assert consensus_point([r for r in results if r.preset == "refuses"]) is None


def test_results_convert_to_stored_predictions() -> None:
    results = {
        r.preset: r
        for r in collect(
            [
                make_call("ok", Counter("1,2")),
                make_call("gone", Counter(), unavailable="set X_KEY"),
            ]
        )
    }
    ok = results["ok"].to_prediction("live-abc")
    assert (ok.sample_id, ok.pred_lat, ok.pred_lon, ok.error) == ("live-abc", 1.0, 2.0, None)
    assert ok.input_tokens == 100 and ok.raw_response == "1,2"
    gone = results["gone"].to_prediction("live-abc")
    assert gone.status == PredictionStatus.API_ERROR and gone.error == "set X_KEY"


def test_impossible_usage_from_any_adapter_shows_no_price_and_books_the_reservation(
    tmp_path: Path,
) -> None:
    def lies(data: bytes, timeout_s: float) -> RawAnswer:
        return RawAnswer("1,2", input_tokens=-5000, output_tokens=-3000, cost_usd=-35.0)

    budget = SessionBudget(1.0)
    cache = LiveCache(tmp_path)
    [result] = collect(
        [make_call("m", lies, paid=True, max_cost_usd=0.03)], budget=budget, cache=cache
    )
    assert result.state == CallState.DONE and (result.lat, result.lon) == (1.0, 2.0)
    assert (result.input_tokens, result.output_tokens, result.cost_usd) == (None, None, None)
    assert budget.spent_usd == pytest.approx(0.03)  # the reservation, not a $35 refund
    [again] = collect([make_call("m", lies, paid=True, max_cost_usd=0.03)], cache=cache)
    assert again.state == CallState.CACHED and again.cost_usd is None


def test_our_own_errors_are_shown_without_a_class_name() -> None:
    from analysis.models.base import PermanentModelError

    def html(data: bytes, timeout_s: float) -> RawAnswer:
        raise PermanentModelError("the server returned an HTML page, not a chat completion")

    [result] = collect([make_call("m", html)])
    assert result.message == "the server returned an HTML page, not a chat completion"
