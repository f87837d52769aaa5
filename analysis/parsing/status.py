"""The status of a prediction row from what it holds: one rule, evaluated in Python or in SQL.

A row (an imported line, a stored prediction) may give a status, coordinates, a country value
and a raw reply. The rule, first step that holds wins (docs/run-format.md):

1. a given ``status`` is kept (lower-cased);
2. coordinates -> ``ok``;
3. a recognised country -> ``ok``;
4. a country value meaning "unknown" / "refused" (``OUTCOME_STATUS``) -> that status;
5. the parser's status for the raw reply;
6. nothing -> ``parse_error``.

``row_status`` evaluates it for one row; ``row_status_sql`` compiles the same steps into a SQL
``CASE`` for the importers, which decide a million rows at once. The parser maps a country
field's verdict word with ``OUTCOME_STATUS`` too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from analysis.types import PredictionStatus

# A country value that is not a country but a verdict ("unknown", "I won't say") -> its status.
OUTCOME_STATUS: Mapping[str, PredictionStatus] = {
    "unknown": PredictionStatus.UNKNOWN,
    "refused": PredictionStatus.REFUSED,
}


@dataclass(frozen=True)
class RowFacts:
    """What a row holds that its status depends on (each field is one fact of the rule)."""

    given: str | None = None  # a status the row states itself
    has_coords: bool = False
    has_country: bool = False  # a country value recognised as a country
    country_outcome: str | None = None  # the country value's outcome: country/unknown/refused/...
    parsed: str | None = None  # the parser's status for the raw reply (rows with nothing else)


@dataclass(frozen=True)
class _Step:
    """When ``fact`` holds (is true / not null / one of ``among``), the status is ``then``.

    ``then`` None means the fact's own value (lower-cased).
    """

    fact: str | None  # None: always holds
    then: PredictionStatus | None
    among: tuple[str, ...] = ()


_RULE: tuple[_Step, ...] = (
    _Step("given", None),
    _Step("has_coords", PredictionStatus.OK),
    _Step("has_country", PredictionStatus.OK),
    _Step("country_outcome", None, among=tuple(OUTCOME_STATUS)),
    _Step("parsed", None),
    _Step(None, PredictionStatus.PARSE_ERROR),
)
_FLAGS = frozenset(f.name for f in fields(RowFacts) if f.type in ("bool", bool))


def _holds(step: _Step, value: object) -> bool:
    if step.fact in _FLAGS:
        return bool(value)
    if step.among:
        return value in step.among
    return value is not None


def row_status(facts: RowFacts) -> PredictionStatus:
    """Return the status of a row holding ``facts`` (the first step of the rule that holds)."""
    for step in _RULE:
        value = None if step.fact is None else getattr(facts, step.fact)
        if step.fact is None or _holds(step, value):
            return step.then if step.then is not None else PredictionStatus(str(value).lower())
    raise AssertionError("the rule ends with a step that always holds")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def row_status_sql(columns: Mapping[str, str]) -> str:
    """Compile the rule into a SQL CASE over ``columns`` ({RowFacts field: SQL expression}).

    Flags (``has_coords``, ``has_country``) are boolean expressions; the other facts are text
    expressions, NULL when the row lacks them.
    """
    missing = sorted({f.name for f in fields(RowFacts)} - set(columns))
    if missing:
        raise ValueError(f"row_status_sql needs expressions for {', '.join(missing)}")
    whens: list[str] = []
    for step in _RULE:
        if step.fact is None:
            assert step.then is not None
            whens.append(f"ELSE {_literal(str(step.then))}")
            break
        expr = columns[step.fact]
        if step.fact in _FLAGS:
            cond = f"({expr})"
        elif step.among:
            cond = f"{expr} IN ({', '.join(_literal(v) for v in step.among)})"
        else:
            cond = f"{expr} IS NOT NULL"
        then = f"lower({expr})" if step.then is None else _literal(str(step.then))
        whens.append(f"WHEN {cond} THEN {then}")
    return "CASE " + " ".join(whens) + " END"
