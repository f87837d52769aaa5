"""Store.session(): CPU of a batch of small store calls with one open of the file vs one per call.

Run: ``python benchmarks/bench_store_session.py [--calls 200]``.

Printed, measured in the same run on a scratch copy of the demo database (60 places):
  1. ``--calls`` small reads (has_run + list_runs), each opening the file, then the same inside
     one read session; CPU seconds and the ratio                     target: session <= 0.25x;
  2. the first call on ``--calls`` new Store objects (a CLI command's pattern): the schema check
     on its own open and then the call (how it was) vs both on one open (how it is); ratio
                                                                      target: <= 0.75x;
  3. ``load_demo`` (about 30 writes, which now run in one write session) for scale.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.demo import load_demo
from analysis.store import Store

RATIO_TARGET = 0.25
FIRST_CALL_TARGET = 0.75


def cpu_s(work: Callable[[], object]) -> float:
    """CPU seconds of this process spent in ``work()`` (DuckDB's own threads included)."""
    start = time.process_time()
    work()
    return time.process_time() - start


def small_reads(store: Store, calls: int) -> None:
    """The pattern of a page build or a run's preparation: many short reads."""
    for index in range(calls):
        if index % 2:
            store.has_run("sim-faroff-basic")
        else:
            store.list_runs()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.duckdb")
        demo_s = cpu_s(
            lambda: load_demo(store, Path(folder) / "cache", n_locations=60, with_images=False)
        )
        small_reads(store, 4)  # warm: imports and the schema check are not what is measured

        def in_session() -> None:
            with store.session():
                small_reads(store, args.calls)

        apart = cpu_s(lambda: small_reads(store, args.calls))
        together = cpu_s(in_session)

        def check_then_call() -> None:
            for _ in range(args.calls):
                fresh = Store(store.path)
                fresh._ensure_schema()  # the check on an open of its own, as before
                fresh.list_runs()

        def first_call() -> None:
            for _ in range(args.calls):
                Store(store.path).list_runs()

        two_opens = cpu_s(check_then_call)
        one_open = cpu_s(first_call)
    ratio = together / apart
    first_ratio = one_open / two_opens
    ok = ratio <= RATIO_TARGET and first_ratio <= FIRST_CALL_TARGET
    print(f"{args.calls} small reads, one open each:   {apart:6.2f} CPU-s")
    print(f"{args.calls} small reads in one session:   {together:6.2f} CPU-s")
    print(f"ratio session / apart: {ratio:.2f} (target <= {RATIO_TARGET})")
    print(f"{args.calls} new stores, check then first call: {two_opens:6.2f} CPU-s")
    print(f"{args.calls} new stores, both on one open:      {one_open:6.2f} CPU-s")
    print(f"ratio one open / two: {first_ratio:.2f} (target <= {FIRST_CALL_TARGET})")
    print(f"load_demo (60 places, no images), one write session: {demo_s:6.2f} CPU-s")
    print("targets met" if ok else "a target was MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
