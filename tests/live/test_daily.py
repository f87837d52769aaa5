"""The server-wide daily cap: one ledger per UTC day under the cache, shared by sessions/processes."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from analysis.config import PROJECT_ROOT
from analysis.errors import BudgetExceededError, ConfigError
from analysis.live.budget import SessionBudget
from analysis.live.daily import (
    ENV_LIVE_DAILY_BUDGET,
    RESERVATION_TTL_S,
    CombinedBudget,
    DailyBudget,
    daily_budget_from_env,
)
from analysis.live.orchestrator import run_live
from analysis.live.results import CallState
from tests.live.test_orchestrator import Counter, make_call, tiny_parse


class Clock:
    """A settable clock (seconds since the epoch)."""

    def __init__(self, when: datetime) -> None:
        self.now = when.timestamp()

    def __call__(self) -> float:
        return self.now


NOON = datetime(2031, 5, 6, 12, 0, tzinfo=UTC)


def test_two_budgets_on_one_folder_share_the_day(tmp_path: Path) -> None:
    # Two sessions (or two server processes) build their own DailyBudget on the same cache.
    one, two = DailyBudget(tmp_path, 0.10), DailyBudget(tmp_path, 0.10)
    one.settle(one.reserve("a", 0.04), 0.04)
    two.settle(two.reserve("b", 0.04), 0.03)
    assert one.snapshot().spent_usd == pytest.approx(0.07)
    with pytest.raises(BudgetExceededError, match=ENV_LIVE_DAILY_BUDGET) as caught:
        one.reserve("c", 0.04)  # 0.07 + 0.04 > 0.10
    assert "server-wide daily cap reached" in str(caught.value) and "$0.0700" in str(caught.value)
    held = two.reserve("d", 0.02)  # still fits
    assert one.snapshot().reserved_usd == pytest.approx(0.02)
    two.settle(held, None)  # cost unknown: the reserved amount is booked
    assert one.snapshot().spent_usd == pytest.approx(0.09)


_WORKER = """
import sys
import time
from pathlib import Path
from analysis.errors import BudgetExceededError
from analysis.live.daily import DailyBudget
budget = DailyBudget(Path(sys.argv[1]), 0.25)
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))  # every process starts together
made = 0
for _ in range(20):
    try:
        reservation = budget.reserve("p", 0.01)
    except BudgetExceededError:
        continue
    budget.settle(reservation, 0.01)
    made += 1
print(made)
"""


def test_server_processes_racing_never_overshoot_the_cap(tmp_path: Path) -> None:
    start = time.time() + 3.0
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(tmp_path), str(start)],
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    made = [int(w.communicate(timeout=120)[0]) for w in workers]
    # 80 attempts of $0.01 under a $0.25 cap: exactly 25 calls, whoever made them.
    assert sum(made) == 25
    assert DailyBudget(tmp_path, 0.25).snapshot().spent_usd == pytest.approx(0.25)


def test_the_cap_resets_at_utc_midnight_and_late_answers_go_to_their_day(tmp_path: Path) -> None:
    clock = Clock(datetime(2031, 5, 6, 23, 59, tzinfo=UTC))
    budget = DailyBudget(tmp_path, 0.05, clock=clock)
    budget.settle(budget.reserve("a", 0.04), 0.04)
    late = budget.reserve("b", 0.01)  # asked at 23:59...
    with pytest.raises(BudgetExceededError):
        budget.reserve("c", 0.01)
    clock.now = datetime(2031, 5, 7, 0, 1, tzinfo=UTC).timestamp()
    today = budget.snapshot()
    assert (today.day, today.spent_usd, today.reserved_usd) == ("2031-05-07", 0.0, 0.0)
    budget.settle(late, 0.01)  # ... answered at 00:01: booked to the day that allowed it
    assert budget.snapshot().spent_usd == 0.0
    yesterday = json.loads(budget.ledger_path("2031-05-06").read_text())
    assert yesterday["spent_usd"] == pytest.approx(0.05) and yesterday["open"] == {}
    budget.settle(budget.reserve("d", 0.05), 0.05)  # a new day, the whole cap again


def test_a_crashed_reservation_counts_and_then_is_booked_as_spent(tmp_path: Path) -> None:
    clock = Clock(NOON)
    budget = DailyBudget(tmp_path, 0.10, clock=clock)
    budget.reserve("crashed", 0.06)  # its process dies: never settled
    with pytest.raises(BudgetExceededError, match=r"\$0\.0600 is reserved"):
        budget.reserve("next", 0.05)  # the open reservation still holds its money
    clock.now += RESERVATION_TTL_S + 1
    with pytest.raises(BudgetExceededError):
        budget.reserve("later", 0.05)  # ... and once expired it is spent, not freed
    today = budget.snapshot()
    assert today.spent_usd == pytest.approx(0.06) and today.reserved_usd == 0.0
    budget.settle(budget.reserve("fits", 0.04), 0.04)
    assert budget.snapshot().spent_usd == pytest.approx(0.10)


def test_a_slow_call_settled_after_expiry_is_not_counted_twice(tmp_path: Path) -> None:
    clock = Clock(NOON)
    budget = DailyBudget(tmp_path, 1.0, clock=clock)
    slow = budget.reserve("slow", 0.05)
    clock.now += RESERVATION_TTL_S + 1
    budget.reserve("other", 0.0)  # any change expires the stale reservation: 0.05 booked
    assert budget.snapshot().spent_usd == pytest.approx(0.05)
    budget.settle(slow, 0.08)  # the real cost arrives: only the excess is added
    assert budget.snapshot().spent_usd == pytest.approx(0.08)


def test_a_damaged_ledger_refuses_paid_calls_and_says_which_file(tmp_path: Path) -> None:
    clock = Clock(NOON)
    budget = DailyBudget(tmp_path, 1.0, clock=clock)
    budget.settle(budget.reserve("a", 0.01), 0.01)
    ledger = budget.ledger_path("2031-05-06")
    ledger.write_text('{"spent_usd": "lots"')
    today = budget.snapshot()
    assert today.remaining_usd == 0.0 and today.problem is not None
    assert str(ledger) in today.problem
    with pytest.raises(BudgetExceededError, match="cannot be read"):
        budget.reserve("b", 0.01)


def test_negative_or_missing_costs_never_refund_the_cap(tmp_path: Path) -> None:
    budget = DailyBudget(tmp_path, 1.0)
    budget.settle(budget.reserve("a", 0.02), -35.0)
    budget.settle(budget.reserve("b", 0.03), float("nan"))  # unknown: the reservation is booked
    assert budget.snapshot().spent_usd == pytest.approx(0.03)


def test_both_caps_must_hold_and_a_refusal_frees_the_session(tmp_path: Path) -> None:
    session = SessionBudget(1.0)
    caps = CombinedBudget(session, DailyBudget(tmp_path, 0.05))
    caps.settle(caps.reserve("a", 0.04), 0.04)
    with pytest.raises(BudgetExceededError, match="server-wide daily cap"):
        caps.reserve("b", 0.04)
    assert session.remaining_usd == pytest.approx(0.96)  # the refused call holds nothing
    tight = CombinedBudget(SessionBudget(0.01), DailyBudget(tmp_path / "other", 5.0))
    with pytest.raises(BudgetExceededError, match="GEOSCOPE_LIVE_BUDGET_USD"):
        tight.reserve("c", 0.02)
    assert tight.daily.snapshot().reserved_usd == 0.0


def test_run_live_with_both_caps_skips_what_the_day_cannot_hold(tmp_path: Path) -> None:
    daily = DailyBudget(tmp_path, 0.05)
    paid = [Counter(cost_usd=0.02, delay_s=0.05) for _ in range(4)]
    free = Counter()
    calls = [make_call(f"p{i}", c, paid=True, max_cost_usd=0.02) for i, c in enumerate(paid)]
    calls.append(make_call("free", free))
    # Two browser sessions, each with a roomy cap of its own, against one server's day.
    first = list(
        run_live(
            b"img", "0" * 64, calls[:2], parse=tiny_parse,
            budget=CombinedBudget(SessionBudget(1.0), daily),
        )
    )  # fmt: skip
    second = list(
        run_live(
            b"img", "0" * 64, calls[2:], parse=tiny_parse,
            budget=CombinedBudget(SessionBudget(1.0), DailyBudget(tmp_path, 0.05)),
        )
    )  # fmt: skip
    states = [r.state for r in first] + [r.state for r in second if r.preset != "free"]
    assert states.count(CallState.DONE) == 2 and states.count(CallState.SKIPPED_BUDGET) == 2
    assert free.calls == 1 and sum(c.calls for c in paid) == 2
    assert daily.snapshot().spent_usd == pytest.approx(0.04)


def test_daily_budget_from_env_reads_and_validates() -> None:
    assert daily_budget_from_env({ENV_LIVE_DAILY_BUDGET: "2.5"}) == 2.5
    assert daily_budget_from_env({ENV_LIVE_DAILY_BUDGET: "0"}) == 0.0
    assert daily_budget_from_env({}) > 0
    with pytest.raises(ConfigError, match="not a number"):
        daily_budget_from_env({ENV_LIVE_DAILY_BUDGET: "ten"})
    with pytest.raises(ConfigError, match=">= 0"):
        daily_budget_from_env({ENV_LIVE_DAILY_BUDGET: "-1"})
    with pytest.raises(ConfigError, match=">= 0"):
        daily_budget_from_env({ENV_LIVE_DAILY_BUDGET: "inf"})
