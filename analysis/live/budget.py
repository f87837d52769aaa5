"""Per-session spending cap for live calls to paid models.

A paid call first *reserves* its worst-case cost (prompt estimate + the preset's output-token
limit, at the preset's prices); the reservation is settled with the real cost when the answer
arrives. Reserving before calling is what keeps parallel calls from overshooting the cap: five
calls started together cannot each see the same "still under the cap" balance.
Free calls (local models, presets without prices) never touch the cap.
"""

from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass
from typing import Protocol

from analysis.errors import BudgetExceededError, ConfigError

ENV_LIVE_BUDGET = "GEOSCOPE_LIVE_BUDGET_USD"
DEFAULT_LIVE_BUDGET_USD = 1.0


def format_cap(amount_usd: float) -> str:
    """Format a cap in dollars: cents when they say it exactly, else four decimals ($0.0001)."""
    if round(amount_usd, 2) == amount_usd:
        return f"${amount_usd:.2f}"
    return f"${amount_usd:.4f}"


def budget_from_env(environ: dict[str, str] | None = None) -> float:
    """Read the per-session cap in USD from GEOSCOPE_LIVE_BUDGET_USD (default 1.0)."""
    env = os.environ if environ is None else environ
    raw = env.get(ENV_LIVE_BUDGET, "").strip()
    if not raw:
        return DEFAULT_LIVE_BUDGET_USD
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(
            f"{ENV_LIVE_BUDGET}={raw!r} is not a number; give the cap in US dollars, e.g. 0.50"
        ) from None
    if not math.isfinite(value) or value < 0:
        raise ConfigError(f"{ENV_LIVE_BUDGET}={raw!r} must be a finite amount >= 0 (US dollars)")
    return value


@dataclass(frozen=True, slots=True)
class Reservation:
    """Money set aside for one paid call until its real cost is known."""

    label: str
    amount_usd: float
    ticket: str = ""  # the server-wide ledger's entry ("<UTC day>/<id>"); empty when none


class Budget(Protocol):
    """A spending cap that paid calls reserve against before calling and settle after."""

    def reserve(self, label: str, estimate_usd: float) -> Reservation:
        """Set aside ``estimate_usd`` or raise BudgetExceededError."""
        ...

    def settle(self, reservation: Reservation, actual_usd: float | None) -> None:
        """Release ``reservation`` and book the real cost (the reservation if unknown)."""
        ...


class SessionBudget:
    """Track what one live session spent and refuse paid calls past ``limit_usd``.

    Thread-safe: the orchestrator reserves and settles from worker threads.
    """

    def __init__(self, limit_usd: float) -> None:
        if not math.isfinite(limit_usd) or limit_usd < 0:
            raise ConfigError(f"spending cap must be a finite amount >= 0 USD, got {limit_usd!r}")
        self.limit_usd = float(limit_usd)
        self._spent_usd = 0.0
        self._reserved_usd = 0.0
        self._lock = threading.Lock()

    @property
    def spent_usd(self) -> float:
        """Return the money already spent by settled calls."""
        with self._lock:
            return self._spent_usd

    @property
    def remaining_usd(self) -> float:
        """Return what is left under the cap, minus open reservations."""
        with self._lock:
            return max(0.0, self.limit_usd - self._spent_usd - self._reserved_usd)

    def reserve(self, label: str, estimate_usd: float) -> Reservation:
        """Set aside ``estimate_usd`` for a paid call or raise BudgetExceededError."""
        amount = max(0.0, float(estimate_usd))
        with self._lock:
            committed = self._spent_usd + self._reserved_usd
            # A call with an unknown (zero) estimate is still refused once the cap is used up.
            if committed + amount > self.limit_usd or committed >= self.limit_usd:
                raise BudgetExceededError(
                    f"spending cap reached: {label} was not called (this session spent "
                    f"${self._spent_usd:.4f}, ${self._reserved_usd:.4f} is reserved by calls in "
                    f"flight, this call may cost up to ${amount:.4f}, cap {format_cap(self.limit_usd)}; "
                    f"raise it with {ENV_LIVE_BUDGET})"
                )
            self._reserved_usd += amount
            return Reservation(label=label, amount_usd=amount)

    def settle(self, reservation: Reservation, actual_usd: float | None) -> None:
        """Release ``reservation`` and book the real cost (the reservation if unknown)."""
        cost = reservation.amount_usd
        if actual_usd is not None and math.isfinite(actual_usd):
            cost = max(0.0, float(actual_usd))  # a negative reported cost never refunds the cap
        with self._lock:
            self._reserved_usd = max(0.0, self._reserved_usd - reservation.amount_usd)
            self._spent_usd += cost

    def cancel(self, reservation: Reservation) -> None:
        """Release ``reservation`` without booking anything (the call was never made)."""
        with self._lock:
            self._reserved_usd = max(0.0, self._reserved_usd - reservation.amount_usd)
