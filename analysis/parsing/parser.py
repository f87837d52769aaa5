"""Turn a model's raw reply into a ``ParsedAnswer``: staged, tolerant, and explicit about why.

Stages, each filling only what the earlier ones left empty:
0. a short reply that is just a name ("France.", "FRA", "unknown");
1. JSON (bare, fenced, or inside prose): ``country``, ``lat``/``lon``, ``coordinates``...;
2. labelled lines (``Country: X``, ``**Latitude:** ..``, ``Lat/Lon: ..``), several languages;
3. a coordinate pair written anywhere (decimal, signed, N/S/E/W, degrees-minutes-seconds);
4. a country named in prose, weighed against refusal / can't-tell / guess phrases.
Then: only a country -> its representative point (``COUNTRY_POINT``); only coordinates -> the
country containing them; both -> kept as the model gave them, even when they disagree.
The rules, with examples, are in docs/parsing.md.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from analysis.errors import NotFoundError
from analysis.geo import countries, names
from analysis.parsing import refusals
from analysis.parsing.coords import CoordPair, find_coordinate_pairs, has_digit, in_range
from analysis.parsing.json_stage import find_json_answer
from analysis.parsing.labels import clean_value, find_labels
from analysis.parsing.status import OUTCOME_STATUS
from analysis.types import CoordsSource, ParsedAnswer, PredictionStatus

_SHORT_REPLY_CHARS = 60
_HEAD_CHARS = 4_000  # very long replies: keep the start (the claim) and the end (the answer)
_TAIL_CHARS = 16_000
_CUE_WINDOW_CHARS = 60
# Words that, shortly before a pair of bare decimals, say it is a position ("located at 1.5, 2.5").
_COORD_CUE_RE = re.compile(
    r"\b(?:coord\w*|lat\w*|lon\w*|lng|gps|locat\w*|position\w*|point|approx\w*|around|"
    r"roughly|near|at|estimate\w*|coordonn\w*|coorden\w*|koordinat\w*|ubicaci\w*|"
    r"emplacement|standort)\b|坐标|座標|经纬|緯度|经度|経度|位置",
    re.IGNORECASE,
)
_LINE_PREFIX_RE = re.compile(r"[\s\W]*")  # only bullets / brackets before the pair on its line
_PLACEHOLDER = (0.0, 0.0)


@dataclass(slots=True)
class _Reading:
    """What the stages found so far (mutable while parsing, never returned)."""

    iso3: str | None = None
    country_stage: str = ""
    country_said: str = ""
    no_country: str | None = None  # "unknown" / "refused" when a country field said so
    lat: float | None = None
    lon: float | None = None
    coords_stage: str = ""
    bad_coords: str | None = None  # a coordinate field that could not be read as a pair
    notes: list[str] = field(default_factory=list)

    def has_coords(self) -> bool:
        return self.lat is not None and self.lon is not None


def _prepare(text: str) -> str:
    """Normalise width and look-alike characters; cut replies too long to be worth reading."""
    if len(text) > _HEAD_CHARS + _TAIL_CHARS:
        text = text[:_HEAD_CHARS] + "\n" + text[-_TAIL_CHARS:]
    if not text.isascii():
        # NFKC folds full-width digits and colons ("４８．８５", "国家：") but would turn the
        # masculine ordinal "º" (used as a degree sign) into "o": swap it first.
        text = unicodedata.normalize("NFKC", text.replace("º", "°"))
    return text.strip()


def _apply_country(reading: _Reading, value: str | None, stage: str) -> None:
    """Resolve a country field's value; remember an explicit unknown / refusal."""
    if reading.iso3 is not None or value is None:
        return
    value = clean_value(value)
    if not value:
        reading.no_country = reading.no_country or "unknown"
        reading.notes.append(f"{stage}: empty country")
        return
    match = names.resolve_country(value)
    outcome = str(match.outcome)
    if outcome == "country" and match.iso3:
        reading.iso3, reading.country_stage, reading.country_said = match.iso3, stage, value
        return
    if outcome in OUTCOME_STATUS:
        reading.no_country = reading.no_country or outcome
        reading.notes.append(f"{stage}: country {value[:40]!r} means {outcome}")
        return
    reading.notes.append(f"{stage}: country {value[:40]!r} not recognised")


def _apply_answer_text(reading: _Reading, value: str | None, stage: str) -> None:
    """Look for a country inside a free-form answer field ("Answer: Lisbon, Portugal")."""
    if reading.iso3 is not None or not value:
        return
    _apply_country(reading, value, stage + " answer")


def _apply_coords(reading: _Reading, lat: float | None, lon: float | None, stage: str) -> None:
    if reading.has_coords():
        return
    if lat is not None and lon is not None:
        reading.lat, reading.lon = lat, lon
        reading.coords_stage = stage
    elif lat is not None or lon is not None:
        reading.bad_coords = reading.bad_coords or f"{stage}: only one of latitude/longitude"


def _has_cue(text: str, pair: CoordPair) -> bool:
    """Return True when a bare-decimal pair is introduced as a position or wrapped in brackets."""
    before = text[max(0, pair.start - _CUE_WINDOW_CHARS) : pair.start]
    if before.rstrip().endswith(("(", "[")):
        return True
    newline = before.rfind("\n")
    opens_line = newline >= 0 or pair.start <= _CUE_WINDOW_CHARS
    if opens_line and _LINE_PREFIX_RE.fullmatch(before[newline + 1 :]):
        return True  # the pair opens a line of its own ("41.90, 12.49" as the whole reply)
    return _COORD_CUE_RE.search(before) is not None


def _free_coords(reading: _Reading, text: str) -> None:
    pairs = [p for p in find_coordinate_pairs(text) if p.marked or _has_cue(text, p)]
    if pairs:
        last = pairs[-1]  # the final answer follows the reasoning
        _apply_coords(reading, last.lat, last.lon, "coordinates in text")


def _out_of_range(reading: _Reading) -> ParsedAnswer:
    lat, lon = reading.lat, reading.lon
    assert lat is not None and lon is not None
    why = f"{reading.coords_stage}: ({lat:g}, {lon:g}) out of range"
    if abs(lat) > 90.0 and abs(lon) <= 90.0:
        why += "; looks like (lon, lat), not corrected"
    return ParsedAnswer(
        PredictionStatus.INVALID_COORDINATES,
        country_iso3=reading.iso3,
        detail=why,
    )


def _country_detail(reading: _Reading) -> str:
    return f"{reading.country_stage}: country {reading.country_said[:40]!r} -> {reading.iso3}"


def with_point_country(parsed: ParsedAnswer, iso3: str | None) -> ParsedAnswer:
    """Return ``parsed`` (coordinates, no country yet) with the country containing its point."""
    suffix = f" -> {iso3}" if iso3 else " -> in no country"
    return replace(parsed, country_iso3=iso3, detail=parsed.detail + suffix)


def needs_point_country(parsed: ParsedAnswer) -> bool:
    """Return True for an answer read with ``lookup=False`` that still needs its country."""
    return (
        parsed.status is PredictionStatus.OK
        and parsed.coords_source is CoordsSource.MODEL
        and parsed.country_iso3 is None
    )


def _answer_from(reading: _Reading, lookup: bool = True) -> ParsedAnswer | None:
    """Build the answer when some stage produced a country or coordinates."""
    if reading.has_coords():
        assert reading.lat is not None and reading.lon is not None
        if not in_range(reading.lat, reading.lon):
            return _out_of_range(reading)
        placeholder = (reading.lat, reading.lon) == _PLACEHOLDER and reading.iso3 is None
        if placeholder and reading.no_country is not None:
            return None  # {"country": "unknown", "lat": 0, "lon": 0}: a filled-in template
        coords_note = f"{reading.coords_stage}: ({reading.lat:g}, {reading.lon:g})"
        if reading.iso3 is None:
            answer = ParsedAnswer(
                PredictionStatus.OK, None, reading.lat, reading.lon, CoordsSource.MODEL, coords_note
            )
            if not lookup:  # the batch path looks all points up at once
                return answer
            return with_point_country(answer, countries.country_of(reading.lat, reading.lon))
        detail = f"{_country_detail(reading)}; {coords_note}"
        return ParsedAnswer(
            PredictionStatus.OK, reading.iso3, reading.lat, reading.lon, CoordsSource.MODEL, detail
        )
    if reading.iso3 is not None:
        detail = _country_detail(reading)
        if reading.bad_coords:
            detail += f" ({reading.bad_coords})"
        try:
            info = countries.country_info(reading.iso3)
        except NotFoundError:  # a code the names table knows but the polygons do not
            return ParsedAnswer(
                PredictionStatus.OK, reading.iso3, detail=detail + "; no representative point"
            )
        return ParsedAnswer(
            PredictionStatus.OK,
            reading.iso3,
            info.rep_lat,
            info.rep_lon,
            CoordsSource.COUNTRY_POINT,
            detail + "; representative point",
        )
    return None


def _no_answer(reading: _Reading, text: str) -> ParsedAnswer:
    """Decide between a country named in prose, refused, unknown, and parse_error."""
    refusal = refusals.find_refusal(text)
    if reading.no_country is not None:  # a country field said "unknown" / was left empty
        if refusal or reading.no_country == "refused":
            return ParsedAnswer(PredictionStatus.REFUSED, detail=f"refused: {refusal or 'field'}")
        return ParsedAnswer(PredictionStatus.UNKNOWN, detail="; ".join(reading.notes))
    match = names.resolve_country(text)
    outcome = str(match.outcome)
    if outcome == "country" and match.iso3:
        guess = refusals.find_guess(text) if refusal else None
        if refusal and not guess:
            # "I can't help locate this photo. If you like Italy, ...": named while declining
            return ParsedAnswer(
                PredictionStatus.REFUSED,
                detail=f"refused: {refusal!r} (names {match.iso3} without committing)",
            )
        reading.iso3, reading.country_stage, reading.country_said = (
            match.iso3,
            "text",
            match.matched,
        )
        answer = _answer_from(reading)
        assert answer is not None
        return answer
    if outcome == "refused" or refusal:
        return ParsedAnswer(
            PredictionStatus.REFUSED, detail=f"refused: {refusal or match.matched!r}"
        )
    unknown = refusals.find_unknown(text) if outcome != "unknown" else match.matched
    if unknown:
        return ParsedAnswer(PredictionStatus.UNKNOWN, detail=f"cannot tell: {unknown[:60]!r}")
    if reading.bad_coords:
        return ParsedAnswer(PredictionStatus.INVALID_COORDINATES, detail=reading.bad_coords)
    why = "; ".join(reading.notes) or "no country or coordinates found"
    return ParsedAnswer(PredictionStatus.PARSE_ERROR, detail=why)


def _short_reply(text: str) -> ParsedAnswer | None:
    """Read a reply that is only a name or a one-word verdict ("Brazil", "FRA", "Unknown.")."""
    if len(text) > _SHORT_REPLY_CHARS or "\n" in text or has_digit(text):
        return None
    value = clean_value(text)
    if not value:
        return None
    match = names.resolve_country(value)
    outcome = str(match.outcome)
    if outcome == "country" and match.iso3:
        reading = _Reading(iso3=match.iso3, country_stage="whole reply", country_said=value)
        return _answer_from(reading)
    verdict = OUTCOME_STATUS.get(outcome)
    if verdict is not None:  # "Unknown." / "I won't say": the reply is the verdict
        return ParsedAnswer(verdict, detail=f"whole reply: {value!r}")
    return None


def parse_answer(text: str | None, *, lookup: bool = True) -> ParsedAnswer:
    """Read a country and/or coordinates from a model's raw reply, with a status and a reason.

    Args:
        text: the raw reply (None or blank -> parse_error).
        lookup: find the country of coordinates given alone. ``parse_answers`` passes False and
            looks every such point up in one vectorised call (``needs_point_country``).
    """
    if text is None or not text.strip():
        return ParsedAnswer(PredictionStatus.PARSE_ERROR, detail="empty response")
    text = _prepare(text)
    if not any(ch.isalnum() or unicodedata.category(ch) == "So" for ch in text):
        # Symbols (So) stay: a flag emoji names a country. "?" alone is the usual way to say "no idea"; other bare punctuation ("^^^^", "...")
        # is a broken generation, not an answer.
        if set(text.strip()) == {"?"}:
            return ParsedAnswer(PredictionStatus.UNKNOWN, detail=f"whole reply: {text.strip()!r}")
        return ParsedAnswer(PredictionStatus.PARSE_ERROR, detail="no words or numbers in the reply")
    short = _short_reply(text)
    if short is not None:
        return short
    reading = _Reading()
    fields = find_json_answer(text)
    if fields is not None:
        _apply_country(reading, fields.country_text, "json")
        _apply_answer_text(reading, fields.answer_text, "json")
        _apply_coords(reading, fields.lat, fields.lon, "json")
    if reading.iso3 is None or not reading.has_coords():
        labels = find_labels(text)
        if labels is not None:
            _apply_country(reading, labels.country_text, "label")
            _apply_answer_text(reading, labels.answer_text, "label")
            _apply_coords(reading, labels.lat, labels.lon, "label")
            if labels.invalid_coords_text and not reading.has_coords():
                reading.bad_coords = f"label: unreadable coordinates {labels.invalid_coords_text!r}"
    if not reading.has_coords():
        _free_coords(reading, text)
    answer = _answer_from(reading, lookup)
    if answer is not None:
        return answer
    return _no_answer(reading, text)
