"""Read an input file: its content hash, a UTF-8 check with a useful message, CSV staging.

``InputDigest`` / ``content_hash`` are the one content-hash scheme of every import (prediction
files and datasets): a re-import with the same hash is a no-op.

Staging tables are TEMP tables of the connection doing the import (they never reach the
database file); see ``analysis/importers/stage.py`` for why that connection is the writer.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
from collections.abc import Collection, Mapping
from pathlib import Path

import duckdb

from analysis.errors import ImportValidationError, InputError
from analysis.importers.limits import ImportLimits, cell_at_cutoff, kb, offset_of_line

_CHUNK_BYTES = 8 * 1024 * 1024


class InputDigest:
    """The content hash of an import's input: the one scheme for runs and datasets alike.

    sha256 over the parameters that change what gets stored (JSON, sorted keys), then, for each
    input file (a folder's files in sorted order), its path relative to the folder ("" for a
    single file), its bytes and its size. A re-import with the same hash changes nothing.
    """

    def __init__(self, params: Mapping[str, object]) -> None:
        text = json.dumps(dict(params), sort_keys=True, default=str)
        self._digest = hashlib.sha256(text.encode())

    def begin_file(self, relative: str) -> None:
        """Start the next file, named by its path relative to the input folder."""
        self._digest.update(relative.encode())

    def update(self, chunk: bytes) -> None:
        """Add the next bytes of the current file."""
        self._digest.update(chunk)

    def end_file(self, size_bytes: int) -> None:
        """Finish the current file (its size in bytes)."""
        self._digest.update(str(size_bytes).encode())

    def hexdigest(self) -> str:
        """Return the hash so far as hex."""
        return self._digest.hexdigest()


def content_hash(path: Path, params: Mapping[str, object]) -> str:
    """Return the ``InputDigest`` of a file or of every file under a folder."""
    digest = InputDigest(params)
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        digest.begin_file(file.relative_to(path).as_posix() if path.is_dir() else "")
        size = 0
        with file.open("rb") as stream:
            while chunk := stream.read(_CHUNK_BYTES):
                digest.update(chunk)
                size += len(chunk)
        digest.end_file(size)
    return digest.hexdigest()


def _encoding_hint(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "it starts with a UTF-16 byte-order mark: save it as UTF-8 (e.g. `iconv -f UTF-16 -t UTF-8`)"
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "convert it to UTF-8 first (e.g. `iconv -f <its encoding> -t UTF-8 in > out`)"
    return (
        "it looks like Windows-1252 / Latin-1 (Excel's default export); convert it with "
        "`iconv -f WINDOWS-1252 -t UTF-8 in.csv > out.csv` or save it as 'CSV UTF-8'"
    )


def require_file(path: Path) -> None:
    """Raise InputError unless ``path`` is a readable regular file (saying what it is instead)."""
    if path.is_dir():
        raise InputError(
            f"{path} is a folder, not a file: pass the prediction file inside it (`import` reads "
            f"one CSV, JSONL or JSON file; `import-dataset` takes folders of images)"
        )
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if not path.is_file():
        raise InputError(f"{path} is not a regular file (a device or a pipe?): save it as a file")


def fingerprint_file(
    path: Path,
    limits: ImportLimits | None = None,
    *,
    whole_file: bool = False,
    digest: InputDigest | None = None,
) -> int:
    """Check that a file is non-empty UTF-8 (raise ImportValidationError if not); return its size.

    With ``limits`` a line longer than ``limits.line_bytes`` is refused in the same pass, before
    any reader holds it in memory (the message names the line and the cell it overflows in);
    ``whole_file`` (one JSON document) checks the file's size against ``json_file_bytes``.
    ``digest`` is fed the file in the same pass (its content hash, without a second read).
    """
    require_file(path)
    max_line_bytes = None if limits is None or whole_file else limits.line_bytes
    if limits is not None and whole_file:
        size = path.stat().st_size
        if size > limits.json_file_bytes:
            msg = (
                f"{path.name} is {kb(size)}, over the {kb(limits.json_file_bytes)} a result "
                f"file may hold (1024 answers of the largest size); nothing was written. "
                f"{limits.advice()}"
            )
            raise ImportValidationError(msg, problems=[msg])
    if digest is not None:
        digest.begin_file("")
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    head = b""
    line_start = 0  # where the line being scanned began (absolute offset)
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK_BYTES):
            if not head:
                head = chunk[:4096]
            if digest is not None:
                digest.update(chunk)
            if limits is not None and max_line_bytes is not None:
                line_start = _check_lines(path, chunk, offset, line_start, limits)
            # pure ASCII is valid UTF-8: bytes.isascii() checks 8 MB in ~1 ms, decoding takes
            # ~4 ms and allocates a string (only a chunk ending mid-character leaves state)
            if chunk.isascii() and not decoder.getstate()[0]:
                offset += len(chunk)
                continue
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                where = offset + exc.start
                bad = chunk[exc.start : exc.start + 1].hex().upper()
                line = _line_of(path, where)
                msg = (
                    f"{path.name} is not UTF-8: byte 0x{bad} at offset {where} (line {line}); "
                    f"{_encoding_hint(head)}"
                )
                raise ImportValidationError(msg, problems=[msg]) from None
            offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        msg = f"{path.name} is not UTF-8: it ends in the middle of a multi-byte character"
        raise ImportValidationError(msg, problems=[msg]) from None
    if limits is not None and max_line_bytes is not None and offset - line_start > max_line_bytes:
        raise _long_line(path, line_start, limits)
    if offset == 0 or not head.strip(b" \t\r\n\xef\xbb\xbf"):
        msg = f"{path.name} is empty"
        raise ImportValidationError(msg, problems=[msg])
    if digest is not None:
        digest.end_file(offset)
    return offset


def _check_lines(path: Path, chunk: bytes, base: int, line_start: int, limits: ImportLimits) -> int:
    """Refuse a line over ``limits.line_bytes`` in ``chunk`` (at ``base``); return the last start.

    Jumps from the last newline of each window of the limit's length to the next, so a chunk of
    short lines costs a few ``rfind`` calls, not one per line.
    """
    limit = limits.line_bytes
    while True:
        window_end = line_start + limit + 1 - base  # the line must break before this
        if window_end > len(chunk):
            return line_start  # the window reaches past this chunk: decide with the next one
        newline = chunk.rfind(b"\n", max(line_start - base, 0), window_end)
        if newline == -1:
            raise _long_line(path, line_start, limits)
        line_start = base + newline + 1


def _long_line(path: Path, line_start: int, limits: ImportLimits) -> ImportValidationError:
    limit = limits.line_bytes
    where = cell_at_cutoff(path, line_start, limit)
    msg = (
        f"{path.name}: line {_line_of(path, line_start)} is longer than {kb(limit)}, the most "
        f"one line may hold{' (it overflows ' + where + ')' if where else ''}; nothing was "
        f"written; {limits.advice()}"
    )
    return ImportValidationError(msg, problems=[msg])


def _line_of(path: Path, offset: int) -> int:
    count = 0
    with path.open("rb") as fh:
        while offset > 0 and (chunk := fh.read(min(_CHUNK_BYTES, offset))):
            count += chunk.count(b"\n")
            offset -= len(chunk)
    return count + 1


def parse_column_map(items: list[str] | None) -> dict[str, str]:
    """Parse ``NEW=OLD`` rename options into {new: old}; raise InputError on bad syntax."""
    mapping: dict[str, str] = {}
    for item in items or []:
        new, sep, old = item.partition("=")
        if not sep or not new.strip() or not old.strip():
            raise InputError(f"--map expects NEW=OLD (e.g. pred_lat=predicted_lat), got {item!r}")
        key = new.strip().lower()
        if key in mapping:
            raise InputError(
                f"--map gives {key} twice ({key}={mapping[key]} and {item.strip()}): "
                f"keep the one you mean"
            )
        mapping[key] = old.strip()
    return mapping


_CSV_OPTIONS = "header = true, null_padding = true, normalize_names = false"
_CSV_PROBLEMS_LISTED = 10


def check_csv_structure(path: Path, limits: ImportLimits) -> None:
    """Refuse rows with more fields than the header, unbalanced quotes and oversized cells.

    DuckDB's reader accepts the first two silently (it widens the table or reads the quote as
    text), so one streaming pass of Python's C csv parser checks them first (~0.4 s per
    million rows); a cell is never held beyond the answer limit.
    """
    previous = csv.field_size_limit()
    csv.field_size_limit(limits.answer_bytes)  # process-wide: restored below
    problems: list[str] = []
    extra = 0
    start = 1
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header_line = fh.readline()
            delimiter = max(",;\t|", key=header_line.count)
            names = next(csv.reader([header_line], delimiter=delimiter), [])
            reader = csv.reader(fh, delimiter=delimiter, strict=True)
            start, row = 2, 0
            for row, record in enumerate(reader, start=1):  # noqa: B007 - row is read after
                if len(record) > len(names):
                    extra += 1
                    if extra <= _CSV_PROBLEMS_LISTED:
                        problems.append(
                            f"row {row} (line {start}) has {len(record)} fields but the header "
                            f"names {len(names)}: quote a value that contains the delimiter "
                            f"{delimiter!r}, or name every column in the header"
                        )
                start = reader.line_num + 2
    except csv.Error as exc:
        problems.append(_csv_problem(path, str(exc), start, limits))
    finally:
        csv.field_size_limit(previous)
    if extra > _CSV_PROBLEMS_LISTED:
        problems.append(f"and {extra - _CSV_PROBLEMS_LISTED} more rows with extra fields")
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise ImportValidationError(
            f"{path.name}: refused, nothing was written ({len(problems)} {noun})", problems
        )


def _csv_problem(path: Path, text: str, line: int, limits: ImportLimits) -> str:
    if "field larger than field limit" in text:
        where = cell_at_cutoff(path, offset_of_line(path, line), limits.answer_bytes + 1)
        return (
            f"line {line}: a cell{' ' + where if where else ''} is longer than "
            f"{kb(limits.answer_bytes)}; {limits.advice()}"
        )
    if "unexpected end of data" in text or "eof inside string" in text.lower():
        return (
            f'line {line}: a quoted cell opens here and never closes (an unbalanced " quote): '
            f'close it, and write a quote inside a quoted cell as two ("")'
        )
    if "expected after" in text:
        return (
            f'line {line}: text follows a closing quote inside a cell (an unbalanced " '
            f'quote): quote the whole cell and double the quotes inside it ("")'
        )
    return f"line {line}: not valid CSV ({text})"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def csv_error(path: Path, exc: duckdb.Error) -> ImportValidationError:
    """Turn a DuckDB CSV error into a short refusal (DuckDB's own text runs to kilobytes)."""
    lines = str(exc).splitlines()
    where = next((ln.strip() for ln in lines if ln.startswith("CSV Error on Line")), "")
    detail = next((ln.strip() for ln in lines if ln.startswith("Expected Number")), "")
    parts = [p for p in (lines[0] if lines else "", where, detail) if p]
    msg = f"{path.name} could not be read as CSV: {'; '.join(parts)[:300]}"
    return ImportValidationError(msg, problems=[msg])


def csv_columns(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    """Return the CSV's column names in file order (DuckDB sniffs the dialect)."""
    try:
        rows = con.execute(
            f"DESCRIBE SELECT * FROM read_csv(?, {_CSV_OPTIONS}, all_varchar = true)", [str(path)]
        ).fetchall()
    except duckdb.Error as exc:
        raise csv_error(path, exc) from None
    return [str(r[0]) for r in rows]


def csv_source(path: Path, columns: list[str], numeric: set[str] | None) -> str:
    """Return a SELECT over the CSV: ``numeric`` columns as DOUBLE, the rest as text.

    ``None`` reads every column as text. Rows come in file order (DuckDB preserves insertion
    order by default), so a table created from it numbers its rows by ``rowid``.
    """
    if numeric is None:
        types = "all_varchar = true"
    else:
        pairs = ", ".join(
            f"{_literal(c)}: {_literal('DOUBLE' if c in numeric else 'VARCHAR')}" for c in columns
        )
        types = f"types = {{{pairs}}}"
    return f"SELECT * FROM read_csv({_literal(str(path))}, {_CSV_OPTIONS}, {types})"


def renamed_columns(
    columns: list[str],
    column_map: Mapping[str, str],
    source: str,
    known: Collection[str] | None = None,
) -> dict[str, str]:
    """Return {canonical name: file column}; names are matched case-insensitively.

    ``column_map`` ({new: old}) wins over a file column that already has the new name. One file
    column may feed one canonical column only (``pred_lat=x`` plus ``pred_lon=x`` is a slip),
    and with ``known`` every new name must be one of those columns (a typo would be ignored).
    """
    problems = []
    if known is not None:
        unknown = sorted(new for new in column_map if new not in known)
        if unknown:
            problems.append(
                f"--map names columns GeoScope does not read: {', '.join(unknown)} "
                f"(known: {', '.join(known)})"
            )
    sources: dict[str, list[str]] = {}
    for new, old in column_map.items():
        sources.setdefault(old.strip().lower(), []).append(new)
    for old, news in sources.items():
        if len(news) > 1:
            problems.append(f"--map reads one file column ({old}) into {' and '.join(news)}")
    if problems:
        raise ImportValidationError(f"{source}: {problems[0]}", problems=problems)
    by_lower: dict[str, str] = {}
    for col in columns:
        by_lower.setdefault(col.strip().lower(), col)
    result = dict(by_lower)
    missing = [old for old in column_map.values() if old.strip().lower() not in by_lower]
    if missing:
        have = ", ".join(columns)
        msg = f"{source}: --map names columns the file does not have: {', '.join(missing)}"
        raise ImportValidationError(msg, problems=[msg, f"columns in the file: {have}"])
    for new, old in column_map.items():
        result[new] = by_lower[old.strip().lower()]
    return result
