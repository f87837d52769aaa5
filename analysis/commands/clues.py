"""CLI: ``clues`` (which clues a reply cites; per-category table of a stored run; judge mode)."""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import IO, Any

_TABLE_COLUMNS = (
    ("category", "category", 15),
    ("citation_rate", "cited", 6),
    ("acc_cited", "acc cited [95% CI]", 20),
    ("acc_not_cited", "acc not cited [CI]", 20),
    ("lift", "lift [CI]", 22),
    ("contradiction_rate", "contra", 11),
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``clues`` command."""
    parser = subparsers.add_parser(
        "clues",
        help="list the clues a reply cites, or relate clue categories to accuracy for a run",
        description=(
            'With --jsonl, read one JSON object per line with a "text" field from stdin (or '
            'FILE) and write one {"clues": [...]} object per line, in order; a malformed line '
            'gets {"clues": [], "error": "why"}. With --run, print the per-category table of a '
            "stored run: citation rate, country accuracy when cited / not cited with "
            "location-clustered bootstrap intervals, and the contradiction rate of checkable "
            "claims. See docs/clues.md."
        ),
    )
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument(
        "--jsonl",
        nargs="?",
        const="-",
        metavar="FILE",
        help='read lines {"text": ...} from FILE (default: stdin)',
    )
    mode.add_argument("--run", metavar="NAME", help="stored run to summarise")
    parser.add_argument("--json", action="store_true", help="with --run: print JSON records")
    parser.add_argument(
        "--false-claims",
        type=int,
        nargs="?",
        const=10,
        metavar="N",
        help="with --run: list the N (default 10) claims its answers make most often that the "
        "true location contradicts, with the countries they were said of and guessed",
    )
    parser.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples")
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed")
    judge = parser.add_argument_group("judge mode (with --run)")
    judge.add_argument(
        "--judge",
        metavar="PRESET",
        help="send each answer's text (never the image) to this model preset, store the clues "
        "it lists beside the rule-based reading, and print their agreement per category",
    )
    judge.add_argument(
        "--max-cost",
        type=float,
        help="cap in USD on what judge calls may spend; each call reserves its worst case first",
    )
    judge.add_argument(
        "--dry-run", action="store_true", help="count the judge calls and their worst-case cost"
    )
    judge.add_argument("--concurrency", type=int, default=4, help="judge calls in flight")
    judge.add_argument(
        "--models", help="model presets TOML (default: $GEOSCOPE_MODELS or models.toml)"
    )
    parser.set_defaults(handler=_clues_command)


def _read_line(line: str, line_no: int) -> tuple[Any, str | None, str | None]:
    """Return (record, text, error) for one input line; the record is kept to echo its "id"."""
    try:
        record = json.loads(line)
    except ValueError as exc:
        return None, None, f"line {line_no}: not JSON ({exc})"
    if not (isinstance(record, dict) and "text" in record):
        return record, None, f'line {line_no}: expected an object with a "text" field'
    text = record["text"]
    if not (text is None or isinstance(text, str)):
        return record, None, f'line {line_no}: "text" must be a string or null'
    return record, text, None


def _clue_dict(clue: Any) -> dict[str, Any]:
    claim = clue.claim
    return {
        "category": clue.category,
        "evidence": clue.evidence,
        "start": clue.start,
        "end": clue.end,
        "claim": None if claim is None else {"kind": claim.kind, "value": claim.value},
    }


def clues_jsonl(lines: IO[str], out: IO[str]) -> tuple[int, int]:
    """Write one ``{"clues": [...]}`` line per input line; return (lines written, bad lines).

    Every input line gives exactly one output line, in order; an ``id`` field is echoed.
    """
    from analysis.clues import extract_clues

    written = bad = 0
    for line_no, line in enumerate(lines, start=1):
        record, text, error = _read_line(line.rstrip("\r\n"), line_no)
        if error is None:
            result: dict[str, Any] = {"clues": [_clue_dict(c) for c in extract_clues(text)]}
        else:
            bad += 1
            result = {"clues": [], "error": error}
        if isinstance(record, dict) and "id" in record:
            result = {"id": record["id"], **result}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        written += 1
        if written % 1000 == 0:
            out.flush()
    return written, bad


def _fmt_rate(value: float) -> str:
    return "-" if not math.isfinite(value) else f"{value:.2f}"


def _fmt_ci(estimate: float, low: float, high: float, signed: bool = False) -> str:
    if not math.isfinite(estimate):
        return "-"
    spec = "+.2f" if signed else ".2f"
    return f"{estimate:{spec}} [{low:{spec}}, {high:{spec}}]"


def _print_table(table: Any, run: str, n: int) -> None:
    print(f"run {run}: {n} samples; intervals: 95% location-clustered bootstrap")
    print("  ".join(f"{title:<{width}}" for _, title, width in _TABLE_COLUMNS))
    for row in table.itertuples(index=False):
        contra = "-"
        if row.n_checkable:
            contra = f"{row.contradiction_rate:.2f} ({row.n_contradicted}/{row.n_checkable})"
        cells = (
            row.category,
            _fmt_rate(row.citation_rate),
            _fmt_ci(row.acc_cited, row.acc_cited_low, row.acc_cited_high),
            _fmt_ci(row.acc_not_cited, row.acc_not_cited_low, row.acc_not_cited_high),
            _fmt_ci(row.lift, row.lift_low, row.lift_high, signed=True),
            contra,
        )
        widths = [w for _, _, w in _TABLE_COLUMNS]
        print("  ".join(f"{c:<{w}}" for c, w in zip(cells, widths, strict=True)))


def _false_claims_command(frame: Any, args: argparse.Namespace) -> int:
    import pandas as pd

    from analysis.clues.stats import clue_table
    from analysis.dashboard.clues import RunClues
    from analysis.dashboard.data import name_lookup
    from analysis.dashboard.false_claims import false_claims
    from analysis.errors import InputError

    if args.false_claims < 1:
        raise InputError("--false-claims N needs N >= 1")
    frame = frame.reset_index(drop=True)
    reading = RunClues(args.run, frame, clue_table(frame), pd.DataFrame())
    claims = false_claims([reading], name_lookup(), top=args.false_claims)
    if args.json:
        print(
            json.dumps(json.loads(claims.to_json(orient="records")), ensure_ascii=False, indent=2)
        )
        return 0
    print(f"run {args.run}: {len(frame)} answers; claims the true location contradicts, "
          "most frequent first (false in / checkable in answers)")  # fmt: skip
    if claims.empty:
        print("  none")
    for row in claims.itertuples(index=False):
        print(f"  {row.claim}: {row.n_contradicted} / {row.n_checkable}")
        print(f"      said of {row.true_countries}; guessed {row.guessed_countries}")
    return 0


def _run_command(args: argparse.Namespace) -> int:
    from analysis.clues.stats import clue_summary
    from analysis.config import Settings
    from analysis.store import Store

    store = Store(Settings.from_env(db=args.db).db_path)
    frame = store.run_frame(args.run, with_raw=True)
    if args.false_claims is not None:
        return _false_claims_command(frame, args)
    table = clue_summary(frame, n_resamples=args.resamples, seed=args.seed, by=())
    table["run"] = args.run
    if args.json:
        records = json.loads(table.to_json(orient="records"))
        print(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        _print_table(table, args.run, len(frame))
    return 0


def _judge_command(args: argparse.Namespace) -> int:
    from analysis.commands.clues_judge import agreement_table, run_judge
    from analysis.config import Settings
    from analysis.models.presets import get_preset
    from analysis.store import Store

    settings = Settings.from_env(db=args.db, models=args.models)
    store = Store(settings.db_path)
    if not store.has_run(args.run):
        from analysis.errors import NotFoundError

        raise NotFoundError(f"no run named {args.run!r} (see: python -m analysis runs)")
    preset = get_preset(args.judge, settings.models_file)
    report = run_judge(
        store,
        args.run,
        preset,
        cache_dir=settings.cache_dir,
        max_cost_usd=args.max_cost,
        dry_run=args.dry_run,
        concurrency=args.concurrency,
    )
    if args.dry_run:
        todo = report.n_answers - report.n_already
        print(
            f"dry run: {todo} of {report.n_answers} answers of {args.run} to judge with "
            f"{preset.name} ({report.n_cached} already in the response cache); at most "
            f"${report.reserved_max_usd:.4f} (what --max-cost reserves)"
        )
        return 0
    table = agreement_table(store, args.run, preset.name)
    if args.json:
        from dataclasses import asdict

        records = json.loads(table.to_json(orient="records"))
        print(json.dumps({**asdict(report), "agreement": records}, ensure_ascii=False, indent=2))
    else:
        _print_judge(report, table)
    if report.stopped_for_budget:
        print(
            f"stopped: --max-cost ${args.max_cost:g} reached; rerun with a higher cap to judge "
            "the rest (judged answers are kept)",
            file=sys.stderr,
        )
    return 1 if report.n_failed or report.stopped_for_budget else 0


def _print_judge(report: Any, table: Any) -> None:
    print(
        f"judge {report.judge} on run {report.run}: {report.n_answers} answers, "
        f"{report.n_already} judged before, {report.n_judged} judged now "
        f"({report.n_cached} from the response cache), {report.n_failed} failed; "
        f"spent ${report.spent_usd:.4f}"
    )
    if report.n_dropped or report.n_unreadable:
        print(
            f"dropped {report.n_dropped} judge item(s) of unknown categories; "
            f"{report.n_unreadable} unreadable repl(ies)"
        )
    for line in report.failures[:10]:
        print(f"  failed: {line}", file=sys.stderr)
    n = int(table[["both", "rule_only", "judge_only", "neither"]].sum(axis=1).max() or 0)
    print(f"agreement per category over {n} judged answers (rule = rule-based reader):")
    print(f"{'category':<16}{'both':>6}{'rule only':>11}{'judge only':>12}{'agreement':>11}")
    for row in table.itertuples(index=False):
        share = "-" if not math.isfinite(row.agreement) else f"{row.agreement:.2f}"
        print(f"{row.category:<16}{row.both:>6}{row.rule_only:>11}{row.judge_only:>12}{share:>11}")


def _clues_command(args: argparse.Namespace) -> int:
    if args.run is None and (args.judge is not None or args.false_claims is not None):
        from analysis.errors import InputError

        raise InputError("--judge and --false-claims go with --run NAME")
    if args.run is not None and args.judge is not None:
        return _judge_command(args)
    if args.run is not None:
        return _run_command(args)
    if args.json:
        from analysis.errors import InputError

        raise InputError("--json goes with --run; --jsonl always writes JSON lines")
    if args.jsonl == "-":
        stream = open(  # noqa: SIM115 - wraps stdin, closed by the interpreter
            sys.stdin.fileno(), encoding="utf-8-sig", errors="replace", closefd=False
        )
        _, bad = clues_jsonl(stream, sys.stdout)
    else:
        try:
            with open(args.jsonl, encoding="utf-8-sig", errors="replace") as fh:
                _, bad = clues_jsonl(fh, sys.stdout)
        except OSError as exc:
            from analysis.errors import InputError

            raise InputError(f"cannot read {args.jsonl}: {exc.strerror or exc}") from None
    if bad:
        print(f'warning: {bad} malformed input line(s); see their "error"', file=sys.stderr)
    return 0
