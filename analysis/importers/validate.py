"""Checks on a staged prediction/sample file, in SQL, each returning precise problem lines.

Checks run on table ``typed`` (one row per data row: ``_row``, trimmed text, DOUBLE numbers,
``_summary`` flagging footer lines), except ``non_numeric`` which reads the all-text view
``stage`` when the fast typed read failed. ``_row`` is the data row number (1 = first row after
a CSV header) or the line number of a JSONL file. A refused file lists every problem at once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from analysis.importers.limits import ImportLimits, kb
from analysis.store.connection import fetch_one
from analysis.types import CoordsSource, PredictionStatus

LISTED = 10  # rows named per problem before "and N more"
RADIANS_MIN_ROWS = 10  # fewer points could sit near (0, 0) by chance
NUMERIC_COLUMNS = (
    "true_lat",
    "true_lon",
    "pred_lat",
    "pred_lon",
    "heading",
    "latency_ms",
    "input_tokens",
    "output_tokens",
    "cost_usd",
)
TEXT_COLUMNS = (
    "sample_id", "true_country", "pred_country", "raw_response", "location_id", "status",
    "coords_source", "error", "created_at", "split", "image_path",
)  # fmt: skip
_CONTROL_CHARS = "[\\x00-\\x1f\\x7f]"  # RE2 escapes, kept literal inside a SQL string
SUMMARY_WORDS = (
    "total|totals|sum|mean|average|avg|median|count|overall|summary|std|stdev|min|max|all"
)
# a summary line's id is a summary word, alone or followed by a space or colon ("Total",
# "mean:", "Average (all rows)"); trailing rows without an id are flagged by the stager too


def summary_flag(sample_id_expr: str | None) -> str:
    """Return SQL flagging rows whose id is a summary word (needs the ``txt`` macro)."""
    if sample_id_expr is None:
        return "false"
    text = f"coalesce(txt({sample_id_expr}::VARCHAR), '')"
    word = f"lower({text})"
    prefixes = ", ".join(sorted({f"'{w[:2]}'" for w in SUMMARY_WORDS.split("|")}))
    # the cheap prefix test first: AND short-circuits, so the regex sees few rows; lowering
    # two characters instead of every id saves ~20 ms per million rows (no summary word
    # starts with a letter whose lower case differs in length, e.g. 'İ')
    return (
        f"(lower(left({text}, 2)) IN ({prefixes}) AND "
        f"regexp_matches({word}, '^({SUMMARY_WORDS})([\\s:].*)?$'))"
    )


MACROS = (
    # numeric cells: the spellings spreadsheets and pandas write for "no value"
    (
        "CREATE OR REPLACE TEMP MACRO na_num(x) AS "
        "x IS NULL OR lower(trim(x)) IN ('', 'nan', 'null', 'none', 'na', 'n/a')"
    ),
    (
        "CREATE OR REPLACE TEMP MACRO num(x) AS "
        "CASE WHEN na_num(x) THEN NULL ELSE TRY_CAST(trim(x) AS DOUBLE) END"
    ),
    # text cells: only empty counts as missing ("NA" is Namibia in a country column)
    "CREATE OR REPLACE TEMP MACRO txt(x) AS nullif(trim(x), '')",
)


@dataclass(frozen=True)
class StageInfo:
    """What a check needs to know about the staged file."""

    source: str  # file name, for messages
    columns: frozenset[str]  # canonical columns present
    row_word: str = "row"  # "row" for CSV, "line" for JSONL, "entry" for LLMGeo JSON
    limits: ImportLimits = ImportLimits()


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Define the cell helpers used by staging (na_num, num, txt)."""
    for sql in MACROS:
        con.execute(sql)


def _rows_text(info: StageInfo, rows: Sequence[tuple[object, ...]], total: int) -> str:
    parts = []
    for row in rows[:LISTED]:
        number, *values = row
        shown = ", ".join(repr(v) for v in values)
        parts.append(f"{number} ({shown})" if values else str(number))
    more = total - min(total, LISTED)
    word = info.row_word + ("s" if total > 1 else "")
    return f"{word} " + ", ".join(parts) + (f" and {more} more" if more > 0 else "")


def listing(
    con: duckdb.DuckDBPyConnection, info: StageInfo, select: str, where: str, table: str
) -> tuple[int, str]:
    """Count rows of ``table`` matching ``where``; name the first few with ``select`` values."""
    count = fetch_one(con, f"SELECT count(*) FROM {table} WHERE {where}")
    total = int(count[0]) if count else 0
    if total == 0:
        return 0, ""
    rows = con.execute(
        f"SELECT _row{', ' + select if select else ''} FROM {table} WHERE {where} "
        f"ORDER BY _row LIMIT {LISTED}"
    ).fetchall()
    return total, _rows_text(info, rows, total)


def non_numeric(con: duckdb.DuckDBPyConnection, info: StageInfo) -> list[str]:
    """List cells of numeric columns in the all-text view ``stage`` that are not numbers."""
    problems = []
    for col in NUMERIC_COLUMNS:
        if col not in info.columns:
            continue
        bad = (
            f"NOT na_num({col}) AND TRY_CAST(trim({col}) AS DOUBLE) IS NULL "
            "AND _row NOT IN (SELECT _row FROM typed WHERE _summary)"
        )
        total, rows = listing(con, info, col, bad, "stage")
        if total:
            comma = fetch_one(
                con, f"SELECT count(*) FROM stage WHERE regexp_matches({col}, '^-?\\d+,\\d+$')"
            )
            hint = " (decimal commas? write 48.85, not 48,85)" if comma and comma[0] else ""
            problems.append(f"{rows}: {col} is not a number{hint}")
    return problems


@dataclass(frozen=True)
class _RowCheck:
    where: str  # SQL condition on ``typed`` marking a bad row
    select: str  # values shown beside each listed row
    message: str  # "{rows}" is replaced by the listing
    range_of: int | None = None  # 0 truth / 1 prediction: a range check (may get a swap hint)


def _row_checks(info: StageInfo) -> list[_RowCheck]:
    cols = info.columns
    body = "NOT _summary AND "
    checks = [
        _RowCheck(
            "_summary",
            "sample_id",
            f"{info.source}: {{rows}}: a summary/footer line (e.g. 'Total' or 'mean') "
            "after the data, not a prediction: delete such lines and import again",
        ),
        _RowCheck(
            body + "sample_id IS NULL",
            "",
            "{rows}: sample_id is empty: give every row the id of its image (a summary or "
            "footer line without an id must be deleted)",
        ),
        _RowCheck(
            body + f"regexp_matches(sample_id, '{_CONTROL_CHARS}')",
            f"left(regexp_replace(sample_id, '{_CONTROL_CHARS}', '?', 'g'), 80)",
            "{rows}: sample_id holds a control character (a NUL byte, a tab or a line break, "
            "shown as '?'): ids must be plain text; fix the file that wrote them",
        ),
    ]
    for col in TEXT_COLUMNS:
        if col in cols:
            limit = info.limits.cell_limit(col)
            checks.append(_RowCheck(
                body + f"strlen({col}) > {limit}", f"strlen({col})",
                f"{{rows}}: {col} is longer than {kb(limit)} (its size in bytes is shown); "
                + info.limits.advice(),
            ))  # fmt: skip
    checks += [
        _RowCheck(body + f"isinf({col})", col, f"{{rows}}: {col} is infinite")
        for col in NUMERIC_COLUMNS
        if col in cols
    ]
    for kind in ("true", "pred"):
        lat, lon = f"{kind}_lat", f"{kind}_lon"
        if lat in cols and lon in cols:
            checks.append(_RowCheck(
                body + f"(({lat} IS NULL) <> ({lon} IS NULL))", f"{lat}, {lon}",
                f"{{rows}}: {lat} and {lon} must be both given or both empty",
            ))  # fmt: skip
            checks.append(_RowCheck(
                body + f"{lat} IS NOT NULL AND {lon} IS NOT NULL "
                f"AND (abs({lat}) > 90 OR abs({lon}) > 180)", f"{lat}, {lon}",
                f"{{rows}}: {lat}/{lon} outside [-90, 90] / [-180, 180]",
                range_of=0 if kind == "true" else 1,
            ))  # fmt: skip
    if "heading" in cols:
        checks.append(_RowCheck(
            body + "heading IS NOT NULL AND heading <> floor(heading)", "heading",
            "{rows}: heading must be a whole number of degrees",
        ))  # fmt: skip
    for col, allowed in (("status", [s.value for s in PredictionStatus]),
                         ("coords_source", [s.value for s in CoordsSource])):  # fmt: skip
        if col in cols:
            quoted = ", ".join(f"'{a}'" for a in allowed)
            checks.append(_RowCheck(
                body + f"{col} IS NOT NULL AND lower({col}) NOT IN ({quoted})", col,
                f"{{rows}}: {col} must be one of {', '.join(allowed)}",
            ))  # fmt: skip
    return checks


def _coordinate_stats(info: StageInfo) -> list[str]:
    exprs = []
    for kind in ("true", "pred"):
        lat, lon = f"{kind}_lat", f"{kind}_lon"
        if lat not in info.columns or lon not in info.columns:
            exprs += ["0", "0", "NULL", "NULL"]
            continue
        ok = (f"NOT _summary AND {lat} IS NOT NULL AND {lon} IS NOT NULL "
              f"AND NOT isinf({lat}) AND NOT isinf({lon})")  # fmt: skip
        exprs += [
            f"count(*) FILTER (WHERE {ok})",
            f"count(*) FILTER (WHERE {ok} AND abs({lat}) > 90 AND abs({lon}) <= 90)",
            f"max(abs({lat})) FILTER (WHERE {ok})",
            f"max(abs({lon})) FILTER (WHERE {ok})",
        ]
    return exprs


def validate_typed(
    con: duckdb.DuckDBPyConnection, info: StageInfo, *, unique_ids: bool = True
) -> list[str]:
    """Run every row check on ``typed`` in one pass; list the offending rows of each failure.

    Checks: summary/footer lines, empty ids, infinities, half lat/lon pairs, ranges (with a
    swap hint), whole headings, statuses, coordinates in radians, and (``unique_ids``)
    duplicate ids. Only a failing check costs a second query, to name its rows.
    """
    checks = _row_checks(info)
    counts_sql = ", ".join(f"count(*) FILTER (WHERE {c.where})" for c in checks)
    dup_sql = (
        "count(sample_id) FILTER (WHERE NOT _summary) "
        "- count(DISTINCT sample_id) FILTER (WHERE NOT _summary)"
        if unique_ids
        else "0"
    )
    row = fetch_one(
        con, f"SELECT {counts_sql}, {dup_sql}, {', '.join(_coordinate_stats(info))} FROM typed"
    )
    assert row is not None
    counts, n_dups, stats = row[: len(checks)], row[len(checks)], row[len(checks) + 1 :]
    problems: list[str] = []
    for check, total in zip(checks, counts, strict=True):
        if not total:
            continue
        select = f", {check.select}" if check.select else ""
        rows = con.execute(
            f"SELECT _row{select} FROM typed WHERE {check.where} ORDER BY _row LIMIT {LISTED}"
        ).fetchall()
        message = check.message.format(rows=_rows_text(info, rows, int(total)))
        if check.range_of is not None:
            message += _swap_hint(check.range_of, stats)
        problems.append(message)
    problems += _radians(info, problems, stats)
    if n_dups:
        problems += check_duplicates(con, info)
    return problems


def _swap_hint(kind: int, stats: tuple[object, ...]) -> str:
    n, swapped = int(stats[4 * kind] or 0), int(stats[4 * kind + 1] or 0)  # type: ignore[call-overload]
    max_lon = stats[4 * kind + 3]
    # A swapped file puts latitudes in the longitude column, so every |lon| stays <= 90 even
    # when only a minority of its longitudes (now in the latitude column) exceed 90.
    all_lon_fit = isinstance(max_lon, float) and max_lon <= 90
    if not swapped or not (all_lon_fit or swapped > n / 2):
        return ""
    lat, lon = ("true_lat", "true_lon") if kind == 0 else ("pred_lat", "pred_lon")
    return (
        f"; latitude and longitude look swapped ({swapped} of {n} rows have |{lat}| > 90 but "
        f"|{lon}| <= 90): if the file lists longitude first, map the columns the other way "
        f"round with --map {lat}=... --map {lon}=..."
    )


def _radians(info: StageInfo, problems: list[str], stats: tuple[object, ...]) -> list[str]:
    radian_like = []
    for kind, (lat, lon) in enumerate((("true_lat", "true_lon"), ("pred_lat", "pred_lon"))):
        n, _, max_lat, max_lon = stats[4 * kind : 4 * kind + 4]
        if any(f"{lat}/{lon} outside" in p for p in problems):
            continue
        if (
            int(n or 0) >= RADIANS_MIN_ROWS  # type: ignore[call-overload]
            and isinstance(max_lat, float)
            and isinstance(max_lon, float)
            and max_lat <= math.pi / 2
            and max_lon <= math.pi
        ):
            radian_like.append(
                f"all {n} {lat}/{lon} values lie within ±{math.pi / 2:.4f} / ±{math.pi:.4f} "
                f"(largest |{lat}| {max_lat:.4f}, |{lon}| {max_lon:.4f})"
            )
    if not radian_like:
        return []
    return [
        f"{info.source}: coordinates look like radians, not degrees: "
        + "; ".join(radian_like)
        + ". Real places in degrees are spread far wider. Convert to degrees "
        "(multiply by 180/π) and import again."
    ]


def check_duplicates(con: duckdb.DuckDBPyConnection, info: StageInfo) -> list[str]:
    """List sample ids that occur on more than one row."""
    rows = con.execute(
        "WITH d AS (SELECT sample_id FROM typed WHERE NOT _summary AND sample_id IS NOT NULL "
        "GROUP BY sample_id HAVING count(*) > 1) "
        "SELECT t.sample_id, count(*) OVER () AS n_ids, list(t._row ORDER BY t._row) "
        "FROM typed t JOIN d USING (sample_id) WHERE NOT t._summary "
        f"GROUP BY t.sample_id ORDER BY min(t._row) LIMIT {LISTED}"
    ).fetchall()
    if not rows:
        return []
    total = int(rows[0][1])
    shown = "; ".join(
        f"{sid!r} on {info.row_word}s {', '.join(str(r) for r in nums[:5])}"
        for sid, _, nums in rows
    )
    more = f" and {total - LISTED} more ids" if total > LISTED else ""
    return [f"{info.source}: duplicate sample ids ({total}): {shown}{more}"]
