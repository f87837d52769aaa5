"""The parser against hand-labelled replies of many model families (tests/parsing/corpus.py)."""

from __future__ import annotations

from collections import Counter

import pytest

from analysis.parsing import parse_answer
from tests.parsing.corpus import CASES, Case

COORD_TOLERANCE_DEG = 1e-4  # DMS expectations are written to 6 decimals

# Replies whose expected reading depends on country-name resolution owned by analysis/geo and
# not (yet) given by it. strict=True: when geo learns the case, the marker must be removed.
GEO_GAPS: dict[str, str] = {}


def _params() -> list[object]:
    out: list[object] = []
    for case in CASES:
        marks = []
        if case.name in GEO_GAPS:
            marks.append(pytest.mark.xfail(strict=True, reason=GEO_GAPS[case.name]))
        out.append(pytest.param(case, id=case.name, marks=marks))
    return out


def test_corpus_is_large_and_varied() -> None:
    families = Counter(case.family.split("-")[0] for case in CASES)
    statuses = Counter(case.status for case in CASES)
    assert len(CASES) >= 100
    assert len({c.name for c in CASES}) == len(CASES), "case names must be unique"
    assert len(families) >= 8
    assert set(statuses) == {"ok", "unknown", "refused", "parse_error", "invalid_coordinates"}


@pytest.mark.parametrize("case", _params())
def test_reply_is_read_as_a_person_would(case: Case) -> None:
    parsed = parse_answer(case.text)
    got = (str(parsed.status), parsed.country_iso3)
    assert got == (case.status, case.iso3), parsed.detail
    assert (str(parsed.coords_source) if parsed.coords_source else None) == case.source
    if case.source == "model":
        assert parsed.lat == pytest.approx(case.lat, abs=COORD_TOLERANCE_DEG)
        assert parsed.lon == pytest.approx(case.lon, abs=COORD_TOLERANCE_DEG)
    elif case.source == "country_point":
        from analysis.geo.countries import country_info

        assert case.iso3 is not None
        info = country_info(case.iso3)
        assert (parsed.lat, parsed.lon) == (info.rep_lat, info.rep_lon)
    else:
        assert parsed.lat is None and parsed.lon is None
    assert parsed.detail, "every reading says why"


def test_batch_parsing_matches_one_by_one() -> None:
    from analysis.parsing import parse_answers

    texts = [case.text for case in CASES]
    assert parse_answers(texts) == [parse_answer(text) for text in texts]
