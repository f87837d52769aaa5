"""Country columns of imported files -> ISO3, resolving each distinct value once.

A million-row file typically holds a few hundred distinct country strings, so resolving the
distinct values and joining them back in SQL is what keeps import fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

_ALPHA2 = re.compile(r"^[A-Za-z]{2}$")
_ALPHA3 = re.compile(r"^[A-Za-z]{3}$")

# outcome strings match analysis.geo.names.MatchOutcome values
COUNTRY, UNKNOWN, REFUSED, NO_MATCH = "country", "unknown", "refused", "no_match"


def resolve_one(value: str) -> tuple[str | None, str]:
    """Return (ISO3 or None, outcome) for one cell: ISO2, ISO3 (any case) or free text."""
    from analysis.geo.names import canonical_iso3, iso2_to_iso3, resolve_country

    text = value.strip()
    if not text:
        return None, NO_MATCH
    if _ALPHA2.match(text):
        iso3 = iso2_to_iso3(text)
        if iso3:
            return canonical_iso3(iso3) or iso3, COUNTRY
    if _ALPHA3.match(text):
        iso3 = canonical_iso3(text)
        if iso3:
            return iso3, COUNTRY
    match = resolve_country(text)
    if match.iso3:
        return canonical_iso3(match.iso3) or match.iso3, COUNTRY
    return None, str(match.outcome)


def resolve_values(values: Iterable[str]) -> pd.DataFrame:
    """Resolve distinct raw values; return a frame (value, iso3, outcome) for a SQL join."""
    rows = [(v, *resolve_one(v)) for v in dict.fromkeys(values)]
    return pd.DataFrame(rows, columns=["value", "iso3", "outcome"]).astype(
        {"value": "object", "iso3": "object", "outcome": "object"}
    )


def is_identity(mapping: pd.DataFrame) -> bool:
    """Return True when every value of a ``resolve_values`` frame is already its own ISO3.

    Then joining the frame back changes nothing, and the importers skip the join.
    """
    values = mapping["value"].to_numpy(dtype=object)
    iso3 = mapping["iso3"].to_numpy(dtype=object)
    outcome = mapping["outcome"].to_numpy(dtype=object)
    return bool(np.all(values == iso3) and np.all(outcome == COUNTRY))


def countries_of_points(lats: np.ndarray, lons: np.ndarray) -> list[str | None]:
    """Return the ISO3 of each (lat, lon) point (None at sea or far from any country)."""
    from analysis.geo.countries import country_of_points

    if len(lats) == 0:
        return []
    found = country_of_points(np.asarray(lats, dtype=float), np.asarray(lons, dtype=float))
    return [None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in found]
