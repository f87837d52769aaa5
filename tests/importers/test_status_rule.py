"""One status rule: what an import stores is ``row_status`` of the row's facts, for any row.

The importers decide a million statuses in SQL; ``analysis.parsing.status`` holds the rule once
and compiles it. If someone writes the SQL CASE by hand again and it drifts (another order,
another verdict word), the property test below finds a row where the two disagree.
"""

from __future__ import annotations

import csv
import itertools

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.importers import ImportOptions, import_predictions
from analysis.importers.countries import resolve_one
from analysis.parsing import parse_answer
from analysis.parsing.status import RowFacts, row_status, row_status_sql
from analysis.store import Store
from analysis.types import PredictionStatus

STATUSES = [None, "ok", "UNKNOWN", "refused", "parse_error", "api_error", "invalid_coordinates"]
POINTS = [None, (48.8566, 2.3522), (-33.8688, 151.2093), (0.0, -30.0)]  # the last one at sea
COUNTRIES = [None, "FRA", "fr", "Japan", "unknown", "refused", "Atlantis", "Holland"]
REPLIES = [
    None, "France", "Unknown.", "I cannot determine the location.", "I won't help with that.",
    "Coordinates: 35.68, 139.69", '{"country": "Brazil", "lat": -15.8, "lon": -47.9}', "zzz",
]  # fmt: skip

rows = st.lists(
    st.tuples(
        st.sampled_from(STATUSES),
        st.sampled_from(POINTS),
        st.sampled_from(COUNTRIES),
        st.sampled_from(REPLIES),
    ),
    min_size=1,
    max_size=25,
)


def expected_status(
    status: str | None, point: object, country: str | None, reply: str | None
) -> str:
    """The rule applied row by row in Python, with the same country resolver and parser."""
    iso3, outcome = resolve_one(country) if country is not None else (None, None)
    only_text = status is None and point is None and country is None
    parsed = parse_answer(reply).status if only_text and reply is not None else None
    facts = RowFacts(
        given=status,
        has_coords=point is not None,
        has_country=iso3 is not None,
        country_outcome=outcome,
        parsed=None if parsed is None else str(parsed),
    )
    return str(row_status(facts))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows)
def test_imported_status_is_the_rule(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[tuple[str | None, tuple[float, float] | None, str | None, str | None]],
) -> None:
    folder = tmp_path_factory.mktemp("rule")
    path = folder / "preds.csv"
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["sample_id", "true_lat", "true_lon", "pred_lat", "pred_lon",
                         "pred_country", "raw_response", "status"])  # fmt: skip
        for i, (status, point, country, reply) in enumerate(rows):
            lat, lon = point if point is not None else ("", "")
            writer.writerow([f"s{i}", 10.0, 20.0, lat, lon, country or "", reply or "",
                             status or ""])  # fmt: skip
    store = Store(folder / "t.duckdb")
    import_predictions(store, path, ImportOptions(run="r"))
    stored = store.run_frame("r").set_index("sample_id")["status"]
    for i, row in enumerate(rows):
        assert stored[f"s{i}"] == expected_status(*row), (i, row)


def test_sql_and_python_agree_on_every_combination() -> None:
    columns = {"given": "given", "has_coords": "has_coords", "has_country": "has_country",
               "country_outcome": "outcome", "parsed": "parsed"}  # fmt: skip
    combos = list(itertools.product(
        [None, "ok", "REFUSED", "api_error"], [False, True], [False, True],
        [None, "country", "unknown", "refused", "no_match"], [None, "unknown", "parse_error"],
    ))  # fmt: skip
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE facts (i INTEGER, given VARCHAR, has_coords BOOLEAN, has_country BOOLEAN, "
        "outcome VARCHAR, parsed VARCHAR)"
    )
    con.executemany("INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?)",
                    [(i, *combo) for i, combo in enumerate(combos)])  # fmt: skip
    sql = dict(con.execute(f"SELECT i, {row_status_sql(columns)} FROM facts").fetchall())
    for i, combo in enumerate(combos):
        assert sql[i] == str(row_status(RowFacts(*combo))), combo


def test_rule_steps() -> None:
    assert row_status(RowFacts(given="API_ERROR", has_coords=True)) is PredictionStatus.API_ERROR
    assert row_status(RowFacts(has_coords=True, country_outcome="refused")) is PredictionStatus.OK
    assert row_status(RowFacts(country_outcome="refused", parsed="ok")) is PredictionStatus.REFUSED
    assert row_status(RowFacts(country_outcome="no_match", parsed="unknown")) == "unknown"
    assert row_status(RowFacts()) is PredictionStatus.PARSE_ERROR
    with pytest.raises(ValueError, match="country_outcome"):
        row_status_sql({"given": "g", "has_coords": "c", "has_country": "k", "parsed": "p"})
