"""Check a claim against the true location: driving side, script, language, hemisphere, landmark.

Tables (``analysis/clues/data``, provenance in its README):
- ``driving_side.csv``: the side traffic keeps to, per country (hand-written);
- ``country_languages.csv``: the languages a sign is likely to be written in per country, with
  their scripts (built from CLDR by ``scripts/build_clue_facts.py``);
- ``landmark_countries.csv``: the country each well-known, unambiguously named landmark stands
  in (hand-written; a name shared by several places, "the Duomo", has no row).
The hemisphere is read from the sample's true latitude. A claim about a country or a value the
tables do not know is ``not_checkable``, never counted as wrong.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analysis.clues.types import Claim, Verdict

DATA_DIR = Path(__file__).resolve().parent / "data"

# Claimed names that the CLDR table spells differently.
_LANGUAGE_ALIASES = {"Persian": {"Persian", "Dari"}, "Filipino": {"Filipino", "Tagalog"}}


@dataclass(frozen=True)
class CountryFacts:
    """What the fact tables say about one country."""

    iso3: str
    driving_side: str | None  # "left" / "right"; None when the table has no row
    languages: frozenset[str]  # English names
    scripts: frozenset[str]  # claim script names ("Latin", "Han", "Kana" ...)


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, set[str]], dict[str, set[str]]]:
    sides = {row["iso3"]: row["side"] for row in _read_csv("driving_side.csv")}
    languages: dict[str, set[str]] = {}
    scripts: dict[str, set[str]] = {}
    for row in _read_csv("country_languages.csv"):
        languages.setdefault(row["iso3"], set()).add(row["language"])
        if row["script"]:
            scripts.setdefault(row["iso3"], set()).update(row["script"].split("+"))
    return sides, languages, scripts


@lru_cache(maxsize=1)
def known_values() -> dict[str, frozenset[str]]:
    """Return every language and script name the tables mention (others are not checkable)."""
    _, languages, scripts = _tables()
    return {
        "language": frozenset(name for names in languages.values() for name in names),
        "script": frozenset(name for names in scripts.values() for name in names),
    }


@lru_cache(maxsize=1)
def _landmarks() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple(
        (re.compile(rf"\b(?:{row['pattern']})\b", re.IGNORECASE), row["iso3"])
        for row in _read_csv("landmark_countries.csv")
    )


def landmark_countries(name: str) -> str | None:
    """Return the ISO3 code(s) of the country a cited landmark stands in ("CAN+USA"), or None.

    ``name`` is the text that cites it ("the Eiffel Tower", "Mount Kilimanjaro"); a landmark
    the table does not name, or names as ambiguous, gives None (no claim, nothing to check).
    """
    codes: set[str] = set()
    for pattern, iso3 in _landmarks():
        if pattern.search(name):
            codes.update(iso3.split("+"))
    return "+".join(sorted(codes)) or None


def country_facts(iso3: str) -> CountryFacts | None:
    """Return the facts known about a country (None when no table has it)."""
    sides, languages, scripts = _tables()
    code = iso3.strip().upper()
    if code not in sides and code not in languages:
        return None
    return CountryFacts(
        code,
        sides.get(code),
        frozenset(languages.get(code, ())),
        frozenset(scripts.get(code, ())),
    )


def _check_hemisphere(value: str, true_lat: float | None) -> Verdict:
    if true_lat is None or not math.isfinite(true_lat) or true_lat == 0.0:
        return Verdict.NOT_CHECKABLE
    actual = "north" if true_lat > 0 else "south"
    return Verdict.CONSISTENT if value == actual else Verdict.CONTRADICTED


def check_claim(claim: Claim, true_country_iso3: str | None, true_lat: float | None) -> Verdict:
    """Compare a claim with the sample's true country (ISO3) and latitude (degrees)."""
    if claim.kind == "hemisphere":
        return _check_hemisphere(claim.value, true_lat)
    if not true_country_iso3 or not isinstance(true_country_iso3, str):
        return Verdict.NOT_CHECKABLE
    if claim.kind == "landmark":  # the landmark's country is known whatever the truth's facts
        places = set(claim.value.split("+"))
        truth = true_country_iso3.strip().upper()
        return Verdict.CONSISTENT if truth in places else Verdict.CONTRADICTED
    facts = country_facts(true_country_iso3)
    if facts is None:
        return Verdict.NOT_CHECKABLE
    if claim.kind == "driving_side":
        if facts.driving_side is None or claim.value not in ("left", "right"):
            return Verdict.NOT_CHECKABLE
        return Verdict.CONSISTENT if claim.value == facts.driving_side else Verdict.CONTRADICTED
    if claim.kind == "script":
        known, actual = known_values()["script"], facts.scripts
        names = {claim.value}
    else:
        known, actual = known_values()["language"], facts.languages
        names = _LANGUAGE_ALIASES.get(claim.value, {claim.value})
    if not names & known or not actual:
        return Verdict.NOT_CHECKABLE
    return Verdict.CONSISTENT if names & actual else Verdict.CONTRADICTED
