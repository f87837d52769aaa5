"""Model reply -> ParsedAnswer (status, country, coordinates, where they came from, why).

``parse_answer`` reads one reply; ``parse_answers`` reads many with one vectorised polygon lookup
(the CLI's ``--jsonl`` and ``rescore`` use it); ``parsed_to_dict`` gives the JSON the CLI prints.
Submodules: ``coords`` (coordinate syntax), ``json_stage``, ``labels``, ``refusals`` (phrases),
``parser`` (the staged decision), ``rescore`` (which stored rows a re-parse changes; the
store-facing ``rescore`` command is ``analysis.runner.rescore``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from analysis.geo.countries import country_of_points
from analysis.parsing.parser import needs_point_country, parse_answer, with_point_country
from analysis.types import ParsedAnswer

# Bump when a change to the rules may change a stored prediction; rescoring records it.
PARSER_VERSION = "1"

__all__ = ["PARSER_VERSION", "parse_answer", "parse_answers", "parsed_to_dict"]


def parse_answers(texts: Iterable[str | None]) -> list[ParsedAnswer]:
    """Parse many replies; same results as ``parse_answer`` each, with one polygon lookup."""
    parsed = [parse_answer(text, lookup=False) for text in texts]
    pending = [i for i, answer in enumerate(parsed) if needs_point_country(answer)]
    if pending:
        lats = [parsed[i].lat for i in pending]
        lons = [parsed[i].lon for i in pending]
        for i, iso3 in zip(pending, country_of_points(lats, lons), strict=True):
            parsed[i] = with_point_country(parsed[i], None if iso3 is None else str(iso3))
    return parsed


def parsed_to_dict(parsed: ParsedAnswer) -> dict[str, Any]:
    """Return the JSON-ready view of a parsed answer (statuses and sources as plain strings)."""
    return {
        "status": str(parsed.status),
        "country_iso3": parsed.country_iso3,
        "lat": parsed.lat,
        "lon": parsed.lon,
        "coords_source": None if parsed.coords_source is None else str(parsed.coords_source),
        "detail": parsed.detail,
    }
