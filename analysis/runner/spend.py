"""What a run may still spend: a worst-case reservation before each paid call, settled after.

Checking "spent < cap" before a call lets every worker in flight pass the same check (16
workers overshot a $0.005 cap 7.7x). Here a paid call first reserves its worst-case cost
(``analysis.models.cost.max_call_cost_usd``); a call is started only while
``spent + reserved + its reservation <= cap``. An answer books its reported cost (its
reservation when the cost is unknown); a call that may have reached the model without an answer
(timeout, dropped connection) books its reservation; an HTTP error releases it.
The event loop is single-threaded and nothing awaits between check and reservation, so no lock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from analysis.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Reservation:
    """Money set aside for one call until its real cost is known."""

    amount_usd: float


class SpendLedger:
    """Spent and reserved dollars of one execution under an optional cap."""

    def __init__(self, cap_usd: float | None) -> None:
        if cap_usd is not None and (not math.isfinite(cap_usd) or cap_usd < 0):
            raise ConfigError(f"--max-cost must be a finite amount >= 0 USD, got {cap_usd!r}")
        self.cap_usd = cap_usd
        self.spent_usd = 0.0
        self.reserved_usd = 0.0

    def reserve(self, amount_usd: float) -> Reservation | None:
        """Set ``amount_usd`` aside, or return None when it does not fit under the cap."""
        amount = max(0.0, amount_usd)
        over = (
            self.cap_usd is not None and self.spent_usd + self.reserved_usd + amount > self.cap_usd
        )
        if amount > 0 and over:
            return None
        self.reserved_usd += amount
        return Reservation(amount)

    def settle(self, reservation: Reservation, cost_usd: float | None) -> float:
        """Release ``reservation`` and book ``cost_usd`` (the reservation when unknown)."""
        self.reserved_usd = max(0.0, self.reserved_usd - reservation.amount_usd)
        booked = reservation.amount_usd if cost_usd is None else max(0.0, cost_usd)
        if not math.isfinite(booked):
            booked = reservation.amount_usd
        self.spent_usd += booked
        return booked

    def release(self, reservation: Reservation) -> None:
        """Give ``reservation`` back: the call cannot have been billed."""
        self.reserved_usd = max(0.0, self.reserved_usd - reservation.amount_usd)
