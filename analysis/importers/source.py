"""Read an input file: its content hash, a UTF-8 check with a useful message, CSV staging.

Staging tables are TEMP tables of the connection doing the import (they never reach the
database file); see ``analysis/importers/stage.py`` for why that connection is the writer.
"""

from __future__ import annotations

import codecs
import hashlib
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb

from analysis.errors import ImportValidationError, InputError

_CHUNK_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class FileFingerprint:
    """What identifies an input file's content: sha256 of its bytes and its size."""

    sha256: str
    size_bytes: int


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


def fingerprint_file(path: Path) -> FileFingerprint:
    """Hash a file and check that it is non-empty UTF-8; raise ImportValidationError if not."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    head = b""
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK_BYTES):
            if not head:
                head = chunk[:4096]
            digest.update(chunk)
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
    if offset == 0 or not head.strip(b" \t\r\n\xef\xbb\xbf"):
        msg = f"{path.name} is empty"
        raise ImportValidationError(msg, problems=[msg])
    return FileFingerprint(sha256=digest.hexdigest(), size_bytes=offset)


def _line_of(path: Path, offset: int) -> int:
    with path.open("rb") as fh:
        return fh.read(offset).count(b"\n") + 1


def content_hash(fingerprint: FileFingerprint, params: Mapping[str, object]) -> str:
    """Combine a file's hash with the import parameters that change what gets stored."""
    payload = json.dumps(
        {"file": fingerprint.sha256, "params": params}, sort_keys=True, default=str
    )
    return hashlib.sha256(payload.encode()).hexdigest()


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


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _csv_error(path: Path, exc: duckdb.Error) -> ImportValidationError:
    msg = f"{path.name} could not be read as CSV: {str(exc).splitlines()[0]}"
    return ImportValidationError(msg, problems=[str(exc)])


def csv_columns(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    """Return the CSV's column names in file order (DuckDB sniffs the dialect)."""
    try:
        rows = con.execute(
            f"DESCRIBE SELECT * FROM read_csv(?, {_CSV_OPTIONS}, all_varchar = true)", [str(path)]
        ).fetchall()
    except duckdb.Error as exc:
        raise _csv_error(path, exc) from None
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
