"""Browser benchmark: seconds until each dashboard page is ready, 1M predictions vs 1k vs empty.

Starts `streamlit run app.py` twice (a database with one 1M-prediction run, one with a 1k run)
and opens each page in headless Debian chromium (first visit, then a second visit that reads
warm caches). Prints, per page, the seconds and the ratios 1M / 1k (target <= 3) and
1M / empty page (an empty database: what the page costs with nothing to draw).

Run: ``.venv/bin/python benchmarks/bench_pages.py [--big 1000000] [--small 1000]``.
Needs /usr/bin/chromium and playwright (no download).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_dashboard import build_db  # noqa: E402
from pages._registry import PAGES  # noqa: E402
from tests.app.browser_support import chromium_browser, settle, streamlit_server  # noqa: E402

SKIP = {"live"}  # the live panel calls models; nothing in it scales with stored predictions


def _page_seconds(browser: Any, base: str, query: str) -> dict[str, tuple[float, float]]:
    """Return page -> (first visit s, second visit s) until streamlit is idle."""
    out: dict[str, tuple[float, float]] = {}
    for spec in PAGES:
        if spec.url_path in SKIP:
            continue
        times = []
        for _ in range(2):
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            start = time.monotonic()
            page.goto(f"{base}/{spec.url_path}{query}")
            settle(page, timeout_s=600)
            # settle waits ~3 s of quiet: subtract it so the figure is the time to ready
            times.append(time.monotonic() - start - 3.0)
            page.close()
        out[spec.url_path] = (times[0], times[1])
    return out


def _measure(db: Path, cache: Path, query: str) -> dict[str, tuple[float, float]]:
    env = {"GEOSCOPE_DB": str(db), "GEOSCOPE_CACHE": str(cache)}
    with (
        streamlit_server(env, db.parent / "streamlit.log", timeout_s=120) as base,
        chromium_browser() as browser,
    ):
        return _page_seconds(browser, base, query)


def main() -> int:
    """Build the databases, time every page and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=1_000)
    args = parser.parse_args()
    query = "?dataset=bench&runs=run00&a=run00"
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        root = Path(tmp)
        results = {}
        for label, n in (("big", args.big), ("small", args.small), ("empty", 0)):
            folder = root / label
            folder.mkdir()
            db = folder / "geoscope.duckdb"
            t0 = time.monotonic()
            if n:
                build_db(db, n, n_runs=1)
            else:
                from analysis.store import Store

                Store(db).migrate()
            print(f"{label}: {n:,} predictions, database built in {time.monotonic() - t0:.1f} s")
            results[label] = _measure(db, folder / "cache", query if n else "")
    print(f"\n{'page':<12} {'1M first':>9} {'1M again':>9} {'1k first':>9} {'empty':>7} "
          f"{'1M/1k':>6} {'1M/empty':>8}")  # fmt: skip
    for page, (big_first, big_again) in results["big"].items():
        small_first = results["small"][page][0]
        empty_first = results["empty"][page][0]
        print(
            f"{page:<12} {big_first:>9.1f} {big_again:>9.1f} {small_first:>9.1f} "
            f"{empty_first:>7.1f} {big_first / max(small_first, 0.1):>6.1f} "
            f"{big_first / max(empty_first, 0.1):>8.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
