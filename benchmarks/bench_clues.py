"""Speed of clue extraction: texts/s in process and end to end through ``clues --jsonl``.

Run: python benchmarks/bench_clues.py [--n 2000] [--seed 0]
Texts are generated: each joins 3-6 reasoning passages drawn (seeded) from the hand-labelled
dev sets (tests/clues/dev_set.py, dev_holdout.py) - prose, bullets, JSON, seven languages -
so the average text is about as long as a chatty model's answer. The CLI figure includes the
interpreter start-up, which is also measured alone (one line) and reported beside it.
Target: 2,000 texts in well under 10 s. Then texts built to make a regular expression
backtrack, each timed against the typical text (a catastrophic pattern shows as minutes).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.clues import extract_clues  # noqa: E402
from tests.clues.dev_holdout import HOLDOUT  # noqa: E402
from tests.clues.dev_set import DEV_SET  # noqa: E402


def make_texts(n: int, seed: int) -> list[str]:
    """Return ``n`` generated answers of 3-6 passages each."""
    passages = [text for text, _ in DEV_SET + HOLDOUT]
    rng = random.Random(seed)
    return ["\n\n".join(rng.sample(passages, rng.randint(3, 6))) for _ in range(n)]


def _cli_seconds(lines: str) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "clues", "--jsonl"],
        input=lines, capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if len(done.stdout.splitlines()) != lines.count("\n"):
        raise SystemExit("the CLI did not answer every line")
    return elapsed


def main() -> int:
    """Measure and print the rates."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    texts = make_texts(args.n, args.seed)
    chars = sum(map(len, texts)) / len(texts)
    extract_clues(texts[0])  # compile the patterns outside the timing
    started, cpu_started = time.perf_counter(), time.process_time()
    n_clues = sum(len(extract_clues(text)) for text in texts)
    in_process = time.perf_counter() - started
    cpu = time.process_time() - cpu_started  # less sensitive than wall time to busy cores
    lines = "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts)
    startup = _cli_seconds(json.dumps({"text": texts[0]}) + "\n")
    cli = _cli_seconds(lines)
    print(f"{args.n} texts, {chars:.0f} characters on average, {n_clues} clues")
    print(
        f"in process : {in_process:6.2f} s  {args.n / in_process:8.0f} texts/s "
        f"(CPU time {cpu:.2f} s: {args.n / cpu:.0f} texts/s; {chars * args.n / cpu / 1e6:.2f} "
        "M characters/s)"
    )
    print(
        f"CLI --jsonl: {cli:6.2f} s  {args.n / cli:8.0f} texts/s end to end "
        f"(start-up alone {startup:.2f} s; {args.n / max(cli - startup, 1e-9):.0f} texts/s after)"
    )
    print(f"in process / CLI time: {in_process / cli:.2f}")
    _hostile(in_process / args.n)
    return 0


def _hostile(per_text_s: float) -> None:
    """Time texts built to make a regex backtrack, against the typical text's time.

    Their functional checks are unit tests (tests/clues/test_extract.py); the times live here,
    where a loaded machine cannot fail a build.
    """
    cases = {
        "500 JSON fields, 10,000 terms": ('{"k": "' + "signs " * 20 + '", ') * 500,
        "unclosed JSON, 100,000 words": '{"a": [' + "x " * 100_000,
        "one 200,000-character line of capitalised words": "Grand Tower " * 16_000,
    }
    for name, text in cases.items():
        started = time.perf_counter()
        extract_clues(text)
        elapsed = time.perf_counter() - started
        print(f"hostile: {name}: {elapsed:6.2f} s ({elapsed / per_text_s:,.0f} typical texts)")


if __name__ == "__main__":
    raise SystemExit(main())
