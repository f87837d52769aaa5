"""Size limits on imported files, checked before a giant line or cell is read into memory.

A model answer (``raw_response``, ``error``) may be long; every other cell is an id, a name, a
path or a number. Refusing oversized input up front keeps a malformed or hostile file (one 1 GB
line) from costing gigabytes of memory before it is refused anyway.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from analysis.config import (
    DEFAULT_IMPORT_MAX_CELL_KB,
    DEFAULT_MAX_ANSWER_KB,
    ENV_IMPORT_MAX_CELL_KB,
    ENV_MAX_ANSWER_KB,
    Settings,
)

ANSWER_COLUMNS = ("raw_response", "error")  # model text: allowed up to the answer limit
_CELLS_PER_LINE = 32  # room for a line's ordinary cells beside two full-size answers
_ANSWERS_PER_JSON_FILE = 1024  # an LLMGeo result file: ~1000 answers per split


@dataclass(frozen=True)
class ImportLimits:
    """Largest answer cell, other cell and line an import accepts, in bytes."""

    answer_bytes: int = DEFAULT_MAX_ANSWER_KB * 1024
    cell_bytes: int = DEFAULT_IMPORT_MAX_CELL_KB * 1024

    @classmethod
    def from_settings(cls, settings: Settings) -> ImportLimits:
        """Take the limits configured by GEOSCOPE_MAX_ANSWER_KB / _CELL_KB."""
        return cls(settings.max_answer_kb * 1024, settings.import_max_cell_kb * 1024)

    @property
    def line_bytes(self) -> int:
        """Return the longest line of a CSV or JSONL file: two answers plus ordinary cells."""
        return 2 * self.answer_bytes + _CELLS_PER_LINE * self.cell_bytes

    @property
    def json_file_bytes(self) -> int:
        """Return the largest LLMGeo result JSON (one object, often on a single line)."""
        return _ANSWERS_PER_JSON_FILE * self.answer_bytes

    def cell_limit(self, column: str) -> int:
        """Return the limit for one cell of ``column``."""
        return self.answer_bytes if column in ANSWER_COLUMNS else self.cell_bytes

    def advice(self) -> str:
        """Say what the limits are and how to change them."""
        return (
            f"a model answer (raw_response, error) may hold {kb(self.answer_bytes)} "
            f"({ENV_MAX_ANSWER_KB}), any other cell {kb(self.cell_bytes)} "
            f"({ENV_IMPORT_MAX_CELL_KB}): shorten the cell, or raise the limit if the file is right"
        )


def kb(n_bytes: int) -> str:
    """Format a byte count in KB (1024 bytes) for messages."""
    return f"{n_bytes / 1024:,.0f} KB" if n_bytes >= 1024 else f"{n_bytes} bytes"


def cell_at_cutoff(path: Path, line_start: int, prefix_bytes: int) -> str:
    """Name the cell a too-long line is still inside after ``prefix_bytes`` (for messages).

    Reads at most ``prefix_bytes`` of the line: a JSON line names its key, a CSV line its column
    (from the header). Returns "" when it cannot tell.
    """
    with path.open("rb") as fh:
        header = fh.readline(64 * 1024).decode("utf-8", "replace")
        fh.seek(line_start)
        prefix = fh.read(prefix_bytes).decode("utf-8", "replace")
    if prefix.lstrip().startswith("{"):
        key = _json_key_at_end(prefix)
        return f"in the value of key {key!r}" if key else ""
    delimiter = max(",;\t|", key=header.count)
    previous = csv.field_size_limit()
    csv.field_size_limit(max(prefix_bytes, previous))  # the prefix is one overlong cell
    try:
        names = next(csv.reader(io.StringIO(header), delimiter=delimiter))
        fields = next(csv.reader(io.StringIO(prefix), delimiter=delimiter))
    except (csv.Error, StopIteration):
        return ""
    finally:
        csv.field_size_limit(previous)
    number = len(fields)
    name = f" ({names[number - 1].strip()!r})" if 0 < number <= len(names) else ""
    return f"in column {number}{name}"


def _json_key_at_end(prefix: str) -> str | None:
    """Return the top-level key whose value is still open at the end of ``prefix``."""
    depth, in_string, escaped = 0, False, False
    current: list[str] = []
    last_string, key = "", None
    for ch in prefix:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
                last_string = "".join(current)
            elif depth == 1:
                current.append(ch)
            continue
        if ch == '"':
            in_string, current = True, []
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
        elif ch == ":" and depth == 1:
            key = last_string
    return key


def offset_of_line(path: Path, line: int) -> int:
    """Return the byte offset where 1-based ``line`` starts (read in bounded chunks)."""
    offset, seen = 0, 1
    with path.open("rb") as fh:
        while seen < line and (chunk := fh.read(1 << 20)):
            start = 0
            while seen < line:
                newline = chunk.find(b"\n", start)
                if newline == -1:
                    break
                seen += 1
                start = newline + 1
            offset += start if seen == line else len(chunk)
    return offset
