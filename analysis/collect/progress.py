"""Progress of a collection: a tqdm bar on a terminal, sparse plain lines in logs.

On a terminal the bar redraws in place with counts, rate and ETA, and detail lines (``--verbose``)
print above it. Redirected to a file or a CI log, carriage-return redraws would pile up as
garbage, so a plain line is written instead every ``interval_s`` seconds and at the end.
"""

from __future__ import annotations

import time
from typing import Any, TextIO

_BAR_FORMAT = (
    "{desc}{percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} targets "
    "[{elapsed}, ETA {remaining}, {rate_fmt}]{postfix}"
)


def _clock(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    """Show targets done out of the plan, images and skips, elapsed time and ETA."""

    def __init__(
        self, stream: TextIO, *, verbose: bool = False, interval_s: float = 30.0,
        tty: bool | None = None,
    ) -> None:  # fmt: skip
        self.stream = stream
        self.verbose = verbose
        self.interval_s = interval_s
        self.tty = stream.isatty() if tty is None else tty
        self._bar: Any = None
        self.total = self.done = self.start_done = 0
        self.images = self.skipped = 0
        self._started = self._last_line = 0.0
        self._line_at = -1  # ``done`` when the last plain line was written

    def start(self, total: int, done: int) -> None:
        """Begin with ``done`` of ``total`` targets already finished by earlier runs."""
        self.total, self.done, self.start_done = total, done, done
        self._started = self._last_line = time.monotonic()
        if self.tty:
            from tqdm import tqdm

            self._bar = tqdm(total=total, initial=done, file=self.stream, unit="target",
                             bar_format=_BAR_FORMAT, dynamic_ncols=True, mininterval=0.2,
                             desc="collect ")  # fmt: skip

    def advance(self, images: int, skipped: int) -> None:
        """Count one more finished target; ``images``/``skipped`` are the folder's totals."""
        self.done += 1
        self.images, self.skipped = images, skipped
        if self._bar is not None:
            self._bar.set_postfix_str(f"{images} images, {skipped} skipped", refresh=False)
            self._bar.update(1)
        elif time.monotonic() - self._last_line >= self.interval_s:
            self._line()

    def detail(self, line: str) -> None:
        """Print a per-target line when verbose, above the bar on a terminal."""
        if not self.verbose:
            return
        if self._bar is not None:
            self._bar.write(line, file=self.stream)
        else:
            print(line, file=self.stream, flush=True)

    def eta_s(self) -> float | None:
        """Return the estimated seconds left from this run's pace (None before any target)."""
        finished = self.done - self.start_done
        if finished <= 0:
            return None
        pace = (time.monotonic() - self._started) / finished
        return pace * max(self.total - self.done, 0)

    def _line(self) -> None:
        self._last_line, self._line_at = time.monotonic(), self.done
        share = 100.0 * self.done / self.total if self.total else 100.0
        eta = self.eta_s()
        print(f"progress: {self.done}/{self.total} targets ({share:.0f}%), {self.images} images, "
              f"{self.skipped} skipped, elapsed {_clock(time.monotonic() - self._started)}, "
              f"ETA {'?' if eta is None else _clock(eta)}", file=self.stream, flush=True)  # fmt: skip

    def close(self) -> None:
        """Finish the bar, or write the last plain line."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self.total and self._line_at != self.done:
            self._line()
