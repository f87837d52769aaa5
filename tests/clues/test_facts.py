"""check_claim against the fact tables, with verdicts worked out by hand."""

from __future__ import annotations

import csv
import math

import pytest

from analysis.clues import Claim, Verdict, extract_clues
from analysis.clues.facts import DATA_DIR, check_claim, country_facts, landmark_countries

C, X, N = Verdict.CONSISTENT, Verdict.CONTRADICTED, Verdict.NOT_CHECKABLE


@pytest.mark.parametrize(
    ("claim", "iso3", "lat", "verdict"),
    [
        (Claim("driving_side", "left"), "JPN", 35.7, C),
        (Claim("driving_side", "left"), "FRA", 48.8, X),
        (Claim("driving_side", "right"), "FRA", 48.8, C),
        (Claim("driving_side", "left"), "GBR", 51.5, C),
        (Claim("driving_side", "left"), "ZAF", -33.9, C),
        (Claim("script", "Cyrillic"), "SRB", 44.8, C),
        (Claim("script", "Cyrillic"), "ESP", 40.4, X),
        (Claim("script", "Kana"), "JPN", 35.7, C),
        (Claim("script", "Hangul"), "KOR", 37.5, C),
        (Claim("script", "Hangul"), "JPN", 35.7, X),
        (Claim("language", "Portuguese"), "BRA", -15.8, C),
        (Claim("language", "Portuguese"), "ARG", -34.6, X),
        (Claim("language", "Catalan"), "ESP", 41.4, C),
        (Claim("language", "Persian"), "IRN", 35.7, C),
        (Claim("hemisphere", "south"), None, -33.9, C),
        (Claim("hemisphere", "south"), None, 48.8, X),
        (Claim("hemisphere", "north"), "FRA", 48.8, C),
        (Claim("landmark", "FRA"), "FRA", 48.9, C),  # the Eiffel Tower, in France
        (Claim("landmark", "FRA"), "VNM", 21.0, X),  # ... cited for a photo in Hanoi
        (Claim("landmark", "CAN+USA"), "USA", 43.1, C),  # Niagara Falls, from either side
        (Claim("landmark", "CAN+USA"), "CAN", 43.1, C),
        (Claim("landmark", "CAN+USA"), "MEX", 19.4, X),
        (Claim("landmark", "FRA"), "ZZZ", 10.0, X),  # the landmark's place is known anyway
    ],
)
def test_claims_against_the_truth(claim: Claim, iso3: str | None, lat: float, verdict: Verdict) -> None:
    assert check_claim(claim, iso3, lat) is verdict


@pytest.mark.parametrize(
    ("claim", "iso3", "lat"),
    [
        (Claim("driving_side", "left"), None, 10.0),  # no true country
        (Claim("driving_side", "left"), "ZZZ", 10.0),  # a country the tables do not know
        (Claim("driving_side", "left"), "ATA", -80.0),  # Antarctica: no traffic row
        (Claim("language", "Klingon"), "BRA", -15.8),  # a language no table mentions
        (Claim("script", "Tengwar"), "BRA", -15.8),
        (Claim("hemisphere", "south"), "BRA", math.nan),  # no latitude
        (Claim("hemisphere", "south"), "ECU", 0.0),  # on the equator
        (Claim("landmark", "FRA"), None, 48.8),  # no true country
    ],
)
def test_what_the_tables_cannot_decide_is_not_checkable(
    claim: Claim, iso3: str | None, lat: float
) -> None:
    assert check_claim(claim, iso3, lat) is N


def test_country_codes_are_read_case_insensitively() -> None:
    facts = country_facts("bra")
    assert facts is not None and facts.driving_side == "right" and "Portuguese" in facts.languages


def test_tables_are_well_formed() -> None:
    with (DATA_DIR / "driving_side.csv").open(encoding="utf-8") as fh:
        sides = list(csv.DictReader(fh))
    assert {row["side"] for row in sides} == {"left", "right"}
    assert all(len(row["iso3"]) == 3 and row["iso3"].isupper() for row in sides)
    assert len({row["iso3"] for row in sides}) == len(sides)
    with (DATA_DIR / "country_languages.csv").open(encoding="utf-8") as fh:
        languages = list(csv.DictReader(fh))
    assert all(row["language"] and row["script"] for row in languages)
    assert (DATA_DIR / "README.md").is_file()


def _landmark_rows() -> list[dict[str, str]]:
    with (DATA_DIR / "landmark_countries.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_a_cited_landmark_is_placed_by_its_name_only_when_that_is_unambiguous() -> None:
    assert landmark_countries("the Eiffel Tower") == "FRA"
    assert landmark_countries("TORRE EIFFEL") == "FRA"  # case and language aside
    assert landmark_countries("Mount Kilimanjaro") == "TZA"
    assert landmark_countries("Victoria Falls") == "ZMB+ZWE"  # on a border: both countries
    assert landmark_countries("the Duomo") is None  # many cities have one
    assert landmark_countries("St. Peter's") is None
    assert landmark_countries("Big Bend National Park") is None  # whole words: not Big Ben


def test_the_landmark_table_is_well_formed_and_every_country_is_a_known_one() -> None:
    rows = _landmark_rows()
    with (DATA_DIR / "driving_side.csv").open(encoding="utf-8") as fh:
        countries = {row["iso3"] for row in csv.DictReader(fh)}
    assert len(rows) >= 100 and len({row["name"] for row in rows}) == len(rows)
    for row in rows:
        codes = row["iso3"].split("+")
        assert codes == sorted(set(codes)) and set(codes) <= countries, row


def test_every_landmark_of_the_table_reaches_a_claim_through_the_extractor() -> None:
    """A row the extractor never reads as a landmark would be dead weight: none is."""
    for row in _landmark_rows():
        clues = extract_clues(f"In the background you can see {row['name']}.")
        claims = [c.claim for c in clues if c.category == "landmark"]
        assert claims == [Claim("landmark", row["iso3"])], (row["name"], clues)
