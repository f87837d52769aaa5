"""Server-wide daily spending cap for live calls, shared by every session and server process.

The per-session cap (``budget.SessionBudget``) resets with each new browser tab; this one does
not. Each UTC day has one small JSON ledger under ``<cache>/live-spend/``, named by its date,
holding what settled calls spent and the reservations of calls still in flight. Every change is
a read-modify-write under an exclusive ``fcntl`` lock on one lock file, so several Streamlit
sessions (threads) and several server processes on one machine never both see the same "still
under the cap" balance. A new day starts from an empty ledger: the cap resets at UTC midnight.

A reservation whose process crashed is never settled. It keeps counting against the cap (money
reserved is money not offered), and after ``RESERVATION_TTL_S`` it is booked as spent at its
reserved amount (the conservative reading: the call may have been billed) so ledgers stay small.
"""

from __future__ import annotations

import json
import math
import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis.errors import BudgetExceededError, ConfigError
from analysis.live.budget import Reservation, SessionBudget, format_cap
from analysis.models.cache import write_atomic

ENV_LIVE_DAILY_BUDGET = "GEOSCOPE_LIVE_DAILY_BUDGET_USD"
DEFAULT_LIVE_DAILY_BUDGET_USD = 10.0
SPEND_SUBDIR = "live-spend"
LEDGER_FORMAT = 1
# Longer than any live call can last (per-call timeout + a model's start allowance, 600 s):
# a reservation this old belongs to a process that died before settling it.
RESERVATION_TTL_S = 3600.0
# Settled-late bookkeeping of expired reservations is kept at most this many per day.
_MAX_EXPIRED_KEPT = 1000
_EPSILON_USD = 1e-9

Clock = Callable[[], float]


def daily_budget_from_env(environ: dict[str, str] | None = None) -> float:
    """Read the server-wide daily cap in USD from GEOSCOPE_LIVE_DAILY_BUDGET_USD (default 10)."""
    env = os.environ if environ is None else environ
    raw = env.get(ENV_LIVE_DAILY_BUDGET, "").strip()
    if not raw:
        return DEFAULT_LIVE_DAILY_BUDGET_USD
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(
            f"{ENV_LIVE_DAILY_BUDGET}={raw!r} is not a number; give the daily cap in US dollars, "
            "e.g. 5.00"
        ) from None
    if not math.isfinite(value) or value < 0:
        raise ConfigError(
            f"{ENV_LIVE_DAILY_BUDGET}={raw!r} must be a finite amount >= 0 (US dollars)"
        )
    return value


@dataclass(frozen=True, slots=True)
class DailySpend:
    """Today's server-wide figures, as the page shows them."""

    day: str  # UTC date, YYYY-MM-DD
    spent_usd: float
    reserved_usd: float  # calls in flight (and crashed ones not yet expired)
    limit_usd: float
    problem: str | None = None  # the ledger cannot be read: paid calls are refused

    @property
    def remaining_usd(self) -> float:
        """Return what is left under today's cap, minus open reservations."""
        if self.problem is not None:
            return 0.0
        return max(0.0, self.limit_usd - self.spent_usd - self.reserved_usd)


class _LedgerError(Exception):
    """The day's ledger exists but cannot be read as one."""


class DailyBudget:
    """Reserve and settle paid live calls against one cap per UTC day, across processes.

    Args:
        cache_dir: the GeoScope cache folder; ledgers go to ``<cache_dir>/live-spend/``.
        limit_usd: the cap per UTC day in US dollars (>= 0; 0 refuses every paid call).
        clock: seconds since the epoch (tests move it past midnight or past the TTL).
    """

    def __init__(self, cache_dir: Path, limit_usd: float, clock: Clock = time.time) -> None:
        if not math.isfinite(limit_usd) or limit_usd < 0:
            raise ConfigError(f"daily cap must be a finite amount >= 0 USD, got {limit_usd!r}")
        self.root = Path(cache_dir) / SPEND_SUBDIR
        self.limit_usd = float(limit_usd)
        self._clock = clock

    # -- files -------------------------------------------------------------------------------
    def _day(self, now: float) -> str:
        return datetime.fromtimestamp(now, UTC).date().isoformat()

    def ledger_path(self, day: str) -> Path:
        """Return the ledger file of one UTC day."""
        return self.root / f"{day}.json"

    @contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            import fcntl  # lazy: POSIX only; importing analysis.live must work everywhere
        except ImportError:
            # OSError: callers turn it into "paid calls refused", never into a crash
            raise OSError("file locking (fcntl) is not available on this system") from None

        self.root.mkdir(parents=True, exist_ok=True)
        # One lock file for every day: a flock is per open file description, so this excludes
        # other threads of this process as well as other processes.
        fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _load(self, day: str) -> dict[str, Any]:
        path = self.ledger_path(day)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {
                "format": LEDGER_FORMAT,
                "day": day,
                "spent_usd": 0.0,
                "open": {},
                "expired": {},
            }
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise _LedgerError(self._damaged(path, exc)) from None
        try:
            spent = float(data["spent_usd"])
            open_ = {str(k): dict(v) for k, v in data["open"].items()}
            for entry in open_.values():
                entry["amount_usd"] = float(entry["amount_usd"])
                entry["created"] = float(entry["created"])
            expired = {str(k): float(v) for k, v in data.get("expired", {}).items()}
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise _LedgerError(self._damaged(path, exc)) from None
        if not math.isfinite(spent) or spent < 0:
            raise _LedgerError(self._damaged(path, ValueError(f"spent_usd {spent!r}")))
        return {
            "format": LEDGER_FORMAT,
            "day": day,
            "spent_usd": spent,
            "open": open_,
            "expired": expired,
        }

    @staticmethod
    def _damaged(path: Path, exc: BaseException) -> str:
        return (
            f"the server-wide spending record {path} cannot be read ({type(exc).__name__}); "
            "paid live calls are refused until it is repaired or deleted (deleting it forgets "
            "today's spending)"
        )

    def _save(self, ledger: dict[str, Any]) -> None:
        write_atomic(self.ledger_path(str(ledger["day"])), json.dumps(ledger, indent=1))

    def _expire(self, ledger: dict[str, Any], now: float) -> None:
        """Book reservations older than the TTL as spent at their reserved amount."""
        for ticket, entry in list(ledger["open"].items()):
            if now - entry["created"] > RESERVATION_TTL_S:
                del ledger["open"][ticket]
                ledger["spent_usd"] += entry["amount_usd"]
                ledger["expired"][ticket] = entry["amount_usd"]
        while len(ledger["expired"]) > _MAX_EXPIRED_KEPT:
            del ledger["expired"][next(iter(ledger["expired"]))]

    # -- public ------------------------------------------------------------------------------
    def snapshot(self) -> DailySpend:
        """Return today's spend, open reservations and cap (read only)."""
        now = self._clock()
        day = self._day(now)
        try:
            with self._locked():
                ledger = self._load(day)
        except _LedgerError as exc:
            return DailySpend(day, 0.0, 0.0, self.limit_usd, problem=str(exc))
        except OSError as exc:
            problem = f"the server-wide spending record under {self.root} is not usable: {exc}"
            return DailySpend(day, 0.0, 0.0, self.limit_usd, problem=problem)
        reserved = sum(entry["amount_usd"] for entry in ledger["open"].values())
        return DailySpend(day, ledger["spent_usd"], reserved, self.limit_usd)

    def reserve(self, label: str, estimate_usd: float) -> Reservation:
        """Set aside ``estimate_usd`` of today's server-wide cap or raise BudgetExceededError."""
        amount = max(0.0, float(estimate_usd)) if math.isfinite(estimate_usd) else math.inf
        now = self._clock()
        day = self._day(now)
        try:
            with self._locked():
                ledger = self._load(day)
                self._expire(ledger, now)
                reserved = sum(entry["amount_usd"] for entry in ledger["open"].values())
                committed = ledger["spent_usd"] + reserved
                # within a nano-dollar: 25 calls of $0.01 must fit a $0.25 cap despite floats
                over = committed + amount > self.limit_usd + _EPSILON_USD
                if over or committed >= self.limit_usd - _EPSILON_USD:
                    self._save(ledger)  # keep what expiry booked
                    raise BudgetExceededError(
                        f"server-wide daily cap reached: {label} was not called (this server "
                        f"spent ${ledger['spent_usd']:.4f} today (UTC), ${reserved:.4f} is "
                        f"reserved by calls in flight, this call may cost up to ${amount:.4f}, "
                        f"cap {format_cap(self.limit_usd)} a day; raise it with {ENV_LIVE_DAILY_BUDGET} "
                        "or wait for midnight UTC)"
                    )
                ticket = f"{day}/{uuid.uuid4().hex}"
                ledger["open"][ticket] = {
                    "amount_usd": amount,
                    "created": now,
                    "label": label,
                    "pid": os.getpid(),
                }
                self._save(ledger)
        except _LedgerError as exc:
            raise BudgetExceededError(str(exc)) from None
        except OSError as exc:
            raise BudgetExceededError(
                f"the server-wide spending record under {self.root} is not usable ({exc}); "
                "paid live calls are refused"
            ) from None
        return Reservation(label=label, amount_usd=amount, ticket=ticket)

    def settle(self, reservation: Reservation, actual_usd: float | None) -> None:
        """Release ``reservation`` and book the real cost (the reserved amount if unknown).

        The cost goes to the day the reservation was made in, even when the answer arrives
        after midnight: that day's cap is the one that let the call through.
        """
        if not reservation.ticket:
            return
        cost = reservation.amount_usd
        if actual_usd is not None and math.isfinite(actual_usd):
            cost = max(0.0, float(actual_usd))
        day = reservation.ticket.split("/", 1)[0]
        try:
            with self._locked():
                ledger = self._load(day)
                if reservation.ticket in ledger["open"]:
                    del ledger["open"][reservation.ticket]
                    ledger["spent_usd"] += cost
                elif reservation.ticket in ledger["expired"]:
                    # Already booked at its reserved amount when it expired: add only the excess.
                    booked = ledger["expired"].pop(reservation.ticket)
                    ledger["spent_usd"] += max(0.0, cost - booked)
                else:
                    ledger["spent_usd"] += cost
                self._save(ledger)
        except (_LedgerError, OSError):
            # Settling cannot fail the answer already received; a damaged ledger refuses the
            # next reservation anyway, and an unsettled reservation expires as spent.
            return


class CombinedBudget:
    """Both caps at once: a paid call must fit under the session's cap and the server's day."""

    def __init__(self, session: SessionBudget, daily: DailyBudget) -> None:
        self.session = session
        self.daily = daily

    @property
    def remaining_usd(self) -> float:
        """Return what the tighter of the two caps still allows."""
        return min(self.session.remaining_usd, self.daily.snapshot().remaining_usd)

    def reserve(self, label: str, estimate_usd: float) -> Reservation:
        """Reserve under both caps (session first) or raise BudgetExceededError naming which."""
        held = self.session.reserve(label, estimate_usd)
        try:
            shared = self.daily.reserve(label, estimate_usd)
        except BaseException:
            self.session.cancel(held)  # never made: the session gets its money back
            raise
        return Reservation(label=label, amount_usd=held.amount_usd, ticket=shared.ticket)

    def settle(self, reservation: Reservation, actual_usd: float | None) -> None:
        """Book the real cost in both caps."""
        self.session.settle(reservation, actual_usd)
        self.daily.settle(reservation, actual_usd)
