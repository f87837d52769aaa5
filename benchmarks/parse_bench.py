"""Speed of the parser by kind of reply, as answers/s and as a ratio to ``json.loads``.

Run: python benchmarks/parse_bench.py [--n 5000]
Replies come from the hand-labelled corpus (tests/parsing/corpus.py), grouped by which stage
decides them; each group is repeated to ``--n`` replies and read by ``parse_answers`` (one
polygon lookup per batch); the whole mix is also read one by one. The yardstick is ``json.loads`` of a
one-line JSON answer, measured in this run on this machine. Target: structured replies (JSON,
labels, coordinates) at >= 10,000 answers/s; prose is bounded by country-name resolution.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.parsing import parse_answer, parse_answers  # noqa: E402
from tests.parsing.corpus import CASES  # noqa: E402

TARGET_STRUCTURED_PER_S = 10_000


def _group(detail: str) -> str:
    head = detail.split(":", 1)[0]
    if head.startswith("json"):
        return "json"
    if head.startswith("label"):
        return "labels"
    if head.startswith("coordinates in text"):
        return "coords in prose"
    if head.startswith("whole reply"):
        return "bare name"
    return "prose / refusal / unknown"


def _rate(texts: list[str | None]) -> float:
    """Return answers/s of the batch path (what ``parse --jsonl`` and ``rescore`` use)."""
    start = time.perf_counter()
    parse_answers(texts)
    return len(texts) / (time.perf_counter() - start)


def main() -> None:
    """Print answers/s per group and ratios to the json.loads yardstick."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=5000, help="replies per group")
    args = parser.parse_args()

    groups: dict[str, list[str | None]] = defaultdict(list)
    for case in CASES:
        groups[_group(parse_answer(case.text).detail)].append(case.text)  # also warms caches

    line = '{"country": "France", "lat": 48.8566, "lon": 2.3522}'
    start = time.perf_counter()
    for _ in range(args.n):
        json.loads(line)
    yardstick = args.n / (time.perf_counter() - start)
    print(f"json.loads of one answer line: {yardstick:,.0f}/s (yardstick)")

    structured_total = structured_time = 0.0
    for name, texts in sorted(groups.items()):
        batch = (texts * (args.n // len(texts) + 1))[: args.n]
        rate = _rate(batch)
        if name in ("json", "labels", "coords in prose", "bare name"):
            structured_total += len(batch)
            structured_time += len(batch) / rate
        print(
            f"{name:28s} {len(texts):3d} distinct  {rate:10,.0f} answers/s  "
            f"{yardstick / rate:8.1f}x json.loads"
        )
    everything = [case.text for case in CASES] * (args.n // len(CASES) + 1)
    start = time.perf_counter()
    for text in everything:
        parse_answer(text)
    one_by_one = len(everything) / (time.perf_counter() - start)
    start = time.perf_counter()
    parse_answers(everything)
    batched = len(everything) / (time.perf_counter() - start)
    print(
        f"whole corpus mix: parse_answer {one_by_one:,.0f}/s, parse_answers {batched:,.0f}/s "
        f"({batched / one_by_one:.1f}x: one polygon lookup per batch)"
    )
    structured = structured_total / structured_time
    verdict = "meets" if structured >= TARGET_STRUCTURED_PER_S else "misses"
    print(
        f"structured replies overall: {structured:,.0f} answers/s "
        f"({verdict} the {TARGET_STRUCTURED_PER_S:,}/s target)"
    )


if __name__ == "__main__":
    main()
