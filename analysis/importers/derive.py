"""Derive stored prediction columns from the typed staging table.

The status comes from the one rule in ``analysis.parsing.status`` (a given ``status`` is kept;
coordinates or a recognised ``pred_country`` -> ``ok``; a pred_country meaning "unknown" /
"refused" -> that; a row with only ``raw_response`` -> what ``analysis.parsing`` reads in it;
nothing -> ``parse_error``), compiled to SQL. Coordinates without a country get the country
containing them.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analysis.geo.distance import haversine_sql
from analysis.importers import countries
from analysis.parsing import parse_answers
from analysis.parsing.status import row_status_sql

_PARSED_COLUMNS = ["raw", "p_status", "p_country", "p_lat", "p_lon", "p_source"]


_ParsedRow = tuple[str, str, str | None, float | None, float | None, str | None]


def _parse_frame(texts: list[str]) -> pd.DataFrame:
    rows: list[_ParsedRow] = [
        (
            text, str(parsed.status), parsed.country_iso3, parsed.lat, parsed.lon,
            None if parsed.coords_source is None else str(parsed.coords_source),
        )
        for text, parsed in zip(texts, parse_answers(texts), strict=True)
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=_PARSED_COLUMNS)
    return frame.astype({"p_lat": "float64", "p_lon": "float64"})


# The status rule (analysis.parsing.status) over the merged view's columns.
_STATUS_SQL = row_status_sql({
    "given": "t.status",
    "has_coords": "t.pred_lat IS NOT NULL",
    "has_country": "t.m_iso3 IS NOT NULL",
    "country_outcome": "t.m_outcome",
    "parsed": "t.p_status",
})  # fmt: skip


def stage_predictions(
    con: duckdb.DuckDBPyConnection, warnings: list[str], truth_table: str | None
) -> None:
    """Create TEMP view ``final_predictions`` (``PREDICTION_COLUMNS`` + distance_km).

    ``truth_table`` (sample_id, true_lat, true_lon) holds an existing dataset's truth; None
    means the truth is ``typed``'s own columns (a dataset created by this import). Either way
    the distance is computed against exactly what the store holds.
    """
    values = [r[0] for r in con.execute(
        "SELECT DISTINCT pred_country FROM typed WHERE pred_country IS NOT NULL"
    ).fetchall()]  # fmt: skip
    mapping = countries.resolve_values(values)
    con.register("pred_map", mapping)
    unrecognised = []
    if (mapping["outcome"] == countries.NO_MATCH).any():  # only then count the rows
        unrecognised = con.execute(
            "SELECT m.value, count(*) FROM pred_map m JOIN typed t ON t.pred_country = m.value "
            "WHERE m.outcome = 'no_match' GROUP BY m.value ORDER BY 2 DESC"
        ).fetchall()
    if unrecognised:
        shown = ", ".join(f"{v!r} x{n}" for v, n in unrecognised[:10])
        total = sum(int(n) for _, n in unrecognised)
        warnings.append(
            f"{total} rows: pred_country not recognised as a country ({shown}); "
            f"stored without a country"
        )

    # rows with nothing but raw text: parse each distinct text once
    texts = [r[0] for r in con.execute(
        "SELECT DISTINCT raw_response FROM typed WHERE raw_response IS NOT NULL "
        "AND pred_lat IS NULL AND pred_country IS NULL AND status IS NULL"
    ).fetchall()]  # fmt: skip
    # Joins that cannot change a row are left out (measured on 1M rows: each costs ~30-60 ms):
    # a country map that maps every value to itself (the file already holds ISO3 codes), an
    # empty parse table, an empty point table.
    if countries.is_identity(mapping):
        country_join = ""
        m_cols = (
            "t.pred_country AS m_iso3, "
            "CASE WHEN t.pred_country IS NOT NULL THEN 'country' END AS m_outcome"
        )
    else:
        country_join = "LEFT JOIN pred_map m ON t.pred_country = m.value"
        m_cols = "m.iso3 AS m_iso3, m.outcome AS m_outcome"
    if texts:
        con.register("parsed", _parse_frame(texts))
        parsed_join = (
            "LEFT JOIN parsed p ON t.pred_lat IS NULL AND t.pred_country IS NULL "
            "AND t.status IS NULL AND p.raw = t.raw_response"
        )
        p_cols = "p.p_status, p.p_country, p.p_lat, p.p_lon, p.p_source"
        f_cols = "coalesce(t.pred_lat, p.p_lat) AS f_lat, coalesce(t.pred_lon, p.p_lon) AS f_lon"
    else:
        parsed_join = ""
        p_cols = (
            "NULL::VARCHAR AS p_status, NULL::VARCHAR AS p_country, NULL::DOUBLE AS p_lat, "
            "NULL::DOUBLE AS p_lon, NULL::VARCHAR AS p_source"
        )
        f_cols = "t.pred_lat AS f_lat, t.pred_lon AS f_lon"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW merged AS
        SELECT t.*, {m_cols}, {p_cols}, {f_cols}
        FROM typed t
        {country_join}
        {parsed_join}
        """
    )
    # coordinates but no country: the polygon containing the guess
    points = con.execute(
        "SELECT DISTINCT f_lat, f_lon FROM merged WHERE f_lat IS NOT NULL AND f_lon IS NOT NULL "
        "AND m_iso3 IS NULL AND p_country IS NULL"
    ).df()
    if len(points):
        points["iso3"] = pd.Series(
            countries.countries_of_points(points["f_lat"].to_numpy(), points["f_lon"].to_numpy()),
            index=points.index,
            dtype="object",
        )
        con.register("pred_points", points)
        points_join = "LEFT JOIN pred_points pp ON pp.f_lat = t.f_lat AND pp.f_lon = t.f_lon"
        point_iso3 = "pp.iso3::VARCHAR"
    else:
        points_join = ""
        point_iso3 = "NULL::VARCHAR"
    if truth_table is None:
        distance = haversine_sql("t.true_lat", "t.true_lon", "t.f_lat", "t.f_lon")
        truth_join = ""
    else:
        distance = haversine_sql("tr.true_lat", "tr.true_lon", "t.f_lat", "t.f_lon")
        truth_join = f"JOIN {truth_table} tr ON tr.sample_id = t.sample_id"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW final_predictions AS
        SELECT t.sample_id,
               t.raw_response,
               coalesce(t.m_iso3::VARCHAR, t.p_country::VARCHAR, {point_iso3}) AS pred_country,
               t.f_lat AS pred_lat,
               t.f_lon AS pred_lon,
               coalesce(lower(t.coords_source), t.p_source,
                        CASE WHEN t.pred_lat IS NOT NULL THEN 'model' END) AS coords_source,
               {_STATUS_SQL} AS status,
               t.latency_ms,
               CAST(t.input_tokens AS BIGINT) AS input_tokens,
               CAST(t.output_tokens AS BIGINT) AS output_tokens,
               t.cost_usd,
               coalesce(t.error, CASE WHEN t.pred_lat IS NULL AND t.pred_country IS NULL
                                       AND t.status IS NULL AND t.raw_response IS NULL
                                      THEN 'no prediction in the imported file' END) AS error,
               TRY_CAST(t.created_at AS TIMESTAMP) AS created_at,
               {distance} AS distance_km
        FROM merged t
        {truth_join}
        {points_join}
        """
    )
