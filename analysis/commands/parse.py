"""CLI: ``parse`` (debug how a reply is read) and ``rescore`` (re-read a stored run's replies)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import IO, Any


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``parse`` and ``rescore`` commands."""
    parse = subparsers.add_parser(
        "parse",
        help="read a model reply from stdin and print what the parser makes of it",
        description=(
            "Read one model reply from stdin (or --text) and print the parsed answer as JSON: "
            "status, country_iso3, lat, lon, coords_source, detail. With --jsonl, read one JSON "
            'object per line with a "text" field and write one result per line, in order; a '
            'malformed line gets a result whose "error" says why.'
        ),
    )
    parse.add_argument("--jsonl", action="store_true", help='read lines {"text": ...}')
    parse.add_argument("--text", default=None, help="parse this text instead of stdin")
    parse.add_argument("--pretty", action="store_true", help="indent the JSON (single reply)")
    parse.set_defaults(handler=_parse_command)

    rescore = subparsers.add_parser(
        "rescore",
        help="re-parse a stored run's raw replies with the current parser (calls no model)",
        description=(
            "Re-parse every stored raw reply of RUN with the current parser and rewrite the "
            "predictions whose reading changed. api_error rows and rows without a raw reply "
            "are kept as they are."
        ),
    )
    rescore.add_argument("run", metavar="RUN", help="run name (see `python -m analysis runs`)")
    rescore.add_argument("--dry-run", action="store_true", help="report changes, write nothing")
    rescore.set_defaults(handler=_rescore_command)


def _read_stdin() -> str:
    # Bytes, then a lenient decode: a reply with a stray invalid byte is still worth parsing.
    return sys.stdin.buffer.read().decode("utf-8-sig", errors="replace")


def _dump(obj: dict[str, Any], pretty: bool = False) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2 if pretty else None)


_JSONL_CHUNK_LINES = 1000  # parsed together (one polygon lookup), then written in order
_ERROR_RESULT: dict[str, Any] = {
    "status": None,
    "country_iso3": None,
    "lat": None,
    "lon": None,
    "coords_source": None,
    "detail": "",
}


def _read_record(line: str, line_no: int) -> tuple[Any, str | None]:
    """Return (record, error) for one input line; the record is kept to echo its "id"."""
    try:
        record = json.loads(line)
    except ValueError as exc:
        return None, f"line {line_no}: not JSON ({exc})"
    if not (isinstance(record, dict) and "text" in record):
        return record, f'line {line_no}: expected an object with a "text" field'
    if not (record["text"] is None or isinstance(record["text"], str)):
        return record, f'line {line_no}: "text" must be a string or null'
    return record, None


def _write_chunk(chunk: list[tuple[Any, str | None]], out: IO[str]) -> None:
    from analysis.parsing import parse_answers, parsed_to_dict

    texts = [record["text"] for record, error in chunk if error is None]
    parsed = iter(parse_answers(texts))
    for record, error in chunk:
        if error is None:
            result = {**parsed_to_dict(next(parsed)), "error": None}
        else:
            result = {**_ERROR_RESULT, "error": error}
        if isinstance(record, dict) and "id" in record:
            result = {"id": record["id"], **result}
        out.write(_dump(result) + "\n")


def parse_jsonl(lines: IO[str], out: IO[str]) -> tuple[int, int]:
    """Parse each ``{"text": ...}`` line of ``lines`` into ``out``; return (results, bad lines).

    Every input line gives exactly one output line, in order; a malformed line gives a result
    whose ``error`` says why (and whose status is null). An ``id`` field is echoed.
    """
    written = bad = 0
    chunk: list[tuple[Any, str | None]] = []
    for line_no, line in enumerate(lines, start=1):
        record, error = _read_record(line.rstrip("\r\n"), line_no)
        bad += error is not None
        chunk.append((record, error))
        if len(chunk) >= _JSONL_CHUNK_LINES:
            _write_chunk(chunk, out)
            out.flush()
            written += len(chunk)
            chunk = []
    if chunk:
        _write_chunk(chunk, out)
        written += len(chunk)
    return written, bad


def _parse_command(args: argparse.Namespace) -> int:
    from analysis.parsing import parse_answer, parsed_to_dict

    if args.jsonl:
        if args.text is not None:
            from analysis.errors import InputError

            raise InputError("--jsonl reads stdin; it cannot be combined with --text")
        stream = open(  # noqa: SIM115 - wraps stdin, closed by the interpreter
            sys.stdin.fileno(), encoding="utf-8-sig", errors="replace", closefd=False
        )
        _, bad = parse_jsonl(stream, sys.stdout)
        if bad:
            print(f'warning: {bad} malformed input line(s); see their "error"', file=sys.stderr)
        return 0
    text = args.text if args.text is not None else _read_stdin()
    print(_dump(parsed_to_dict(parse_answer(text)), pretty=args.pretty))
    return 0


def _rescore_command(args: argparse.Namespace) -> int:
    from analysis.config import Settings
    from analysis.runner.rescore import rescore_run
    from analysis.store import Store

    store = Store(Settings.from_env(db=args.db).db_path)
    report = rescore_run(store, args.run, dry_run=args.dry_run)
    print(report.summary())
    return 0
