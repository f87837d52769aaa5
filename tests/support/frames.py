"""Typed access to single DataFrame cells and rows, for assertions under ``mypy --strict``.

pandas-stubs types ``frame.loc[row, column]`` as a union of every scalar pandas can hold, and
``frame.loc[row]`` as ``Series | DataFrame``. These helpers check the runtime type once (an
``assert``, so a wrong type fails the test with the value shown) and hand back a plain Python
value the assertion can use.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

Label = str | int
"""A row label: the tests index frames by id strings or by position-like ints."""


def cell(frame: pd.DataFrame, row: Label, column: str) -> object:
    """``frame.loc[row, column]`` as an ``object`` (narrow it with the helpers below)."""
    value: object = frame.loc[row, column]
    return value


def text_at(frame: pd.DataFrame, row: Label, column: str) -> str:
    """The cell, which must hold a ``str``."""
    value = cell(frame, row, column)
    assert isinstance(value, str), repr(value)
    return value


def float_at(frame: pd.DataFrame, row: Label, column: str) -> float:
    """The cell, which must hold a real number (NaN included), as a ``float``."""
    return as_float(cell(frame, row, column))


def as_float(value: object) -> float:
    """A real number (Python or numpy, not bool) as a ``float``."""
    assert isinstance(value, int | float | np.integer | np.floating), repr(value)
    assert not isinstance(value, bool | np.bool_), repr(value)
    return float(value)


def is_missing(value: object) -> bool:
    """True for the values pandas treats as missing: None, NaN, pd.NA, pd.NaT."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


def row_values(selected: pd.Series | pd.DataFrame) -> list[Any]:
    """The values of one row picked with ``frame.loc[label]`` or ``frame.loc[label, columns]``."""
    assert isinstance(selected, pd.Series), type(selected)
    return selected.tolist()


def sequence_at(frame: pd.DataFrame, row: Label, column: str) -> list[Any]:
    """The cell, which must hold a list, tuple or 1-d array, as a list."""
    value = cell(frame, row, column)
    assert isinstance(value, list | tuple | np.ndarray), repr(value)
    return list(value)
