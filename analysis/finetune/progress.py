"""A progress line for training: step of total, a bar, the loss, time spent and the ETA."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping
from typing import TextIO

BAR_WIDTH = 24


def clock_text(seconds: float) -> str:
    """Format seconds as H:MM:SS."""
    whole = max(0, int(round(seconds)))
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def progress_text(
    step: int, total: int, seconds: float, steps_done: int, loss: float, epoch: float
) -> str:
    """Return one progress line; the ETA assumes the pace of the ``steps_done`` steps so far."""
    share = min(1.0, step / total) if total > 0 else 0.0
    filled = int(round(share * BAR_WIDTH))
    bar = "#" * filled + "-" * (BAR_WIDTH - filled)
    pace = seconds / steps_done if steps_done > 0 else None
    eta = "?" if pace is None or total <= 0 else clock_text(pace * max(0, total - step))
    return (
        f"step {step}/{total} [{bar}] {share:4.0%}  loss {loss:.4f}  epoch {epoch:.2f}  "
        f"{clock_text(seconds)} elapsed  ETA {eta}"
    )


class ProgressLine:
    """Report training steps on one line that redraws in a terminal.

    Piped into a log file, it prints the first step, the last one, and one line at most every
    ``every_s`` seconds between them, instead of a line per step.
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        every_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream if stream is not None else sys.stdout
        self.every_s = every_s
        self.clock = clock
        self._last_print: float | None = None

    def __call__(self, entry: Mapping[str, float]) -> None:
        """Show one logged step (keys step, total, loss, epoch, seconds, start_step)."""
        step, total = int(entry["step"]), int(entry.get("total", 0))
        done = step - int(entry.get("start_step", 0))
        text = progress_text(
            step, total, float(entry.get("seconds", 0.0)), done, entry["loss"], entry["epoch"]
        )
        last = total > 0 and step >= total
        now = self.clock()
        if self.stream.isatty():
            self.stream.write("\r" + text + ("\n" if last else ""))
        elif last or self._last_print is None or now - self._last_print >= self.every_s:
            self.stream.write(text + "\n")
            self._last_print = now
        self.stream.flush()
