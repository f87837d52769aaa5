"""Find JSON objects in model output (bare, fenced, or buried in prose) and read location fields.

Models in "JSON mode" are not the only ones that write JSON: verbose chat models wrap it in
```json fences after a page of reasoning, small models leave trailing commas or single quotes.
Extraction is a single linear scan for balanced braces; a candidate that ``json.loads`` rejects
gets a few cheap repairs before being given up (the labelled-line stage still reads its
``"country": "France"`` lines).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from analysis.parsing.coords import parse_coordinate, parse_coordinate_pair

_MAX_CANDIDATES = 20  # a reply with more JSON objects than this is not an answer
_MAX_DEPTH = 4  # nested objects ({"answer": {"location": {...}}}) read this deep

_CODE_KEYS = frozenset(
    {
        "country_code",
        "country_iso",
        "country_iso3",
        "country_iso2",
        "iso3",
        "iso2",
        "iso_code",
        "iso",
    }
)
_COUNTRY_KEYS = _CODE_KEYS | frozenset(
    {
        "country",
        "country_name",
        "countryname",
        "nation",
        "pays",
        "país",
        "pais",
        "land",
        "staat",
        "paese",
        "国家",
        "国",
        "國家",
        "predicted_country",
        "guessed_country",
        "country_guess",
        "best_guess_country",
    }
)
_ANSWER_KEYS = frozenset(
    {  # free-form answers: a country may be named inside
        "answer",
        "final_answer",
        "prediction",
        "guess",
        "best_guess",
        "location",
        "place",
        "result",
        "respuesta",
        "réponse",
        "antwort",
        "答案",
        "回答",
    }
)
_LAT_KEYS = frozenset(
    {"lat", "latitude", "latitud", "breitengrad", "纬度", "緯度", "predicted_lat"}
)
_LON_KEYS = frozenset(
    {
        "lon",
        "lng",
        "long",
        "longitude",
        "longitud",
        "längengrad",
        "经度",
        "経度",
        "經度",
        "predicted_lon",
    }
)
_PAIR_KEYS = frozenset(
    {
        "coordinates",
        "coordinate",
        "coords",
        "coord",
        "latlon",
        "lat_lon",
        "latlng",
        "lat_lng",
        "lat_long",
        "gps",
        "position",
        "point",
        "coordonnées",
        "coordenadas",
        "koordinaten",
        "坐标",
        "座標",
        "经纬度",
    }
)

_TRAILING_COMMA_RE = re.compile(r",\s*([}\]])")
_UNQUOTED_KEY_RE = re.compile(r"([{,]\s*)([A-Za-z_][A-Za-z0-9_ ]*?)\s*:")
_PY_LITERALS = (("None", "null"), ("True", "true"), ("False", "false"))


@dataclass(frozen=True, slots=True)
class JsonFields:
    """Location fields read from one JSON object; ``None`` where the object had no such key."""

    country_text: str | None  # value of a country key ("" when the key was null / empty)
    answer_text: str | None  # value of a free-form answer key
    lat: float | None
    lon: float | None
    coords_text: str | None  # what the coordinates looked like, for the detail message
    has_location_keys: bool


def _balanced_objects(text: str, retries: int = 3) -> Iterator[str]:
    """Yield every top-level ``{...}`` span, plus an unclosed tail (a reply cut by max tokens).

    An unclosed brace may also be a stray one in prose ("hello {"): the scan then restarts just
    after it, a bounded number of times.
    """
    depth = 0
    start = -1
    in_string = False
    escaped = False
    for i, ch in enumerate(text):
        if depth == 0:
            if ch == "{":
                depth, start, in_string = 1, i, False
            continue
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            elif ch == "\n" and text[i - 1] != "\\":
                in_string = False  # a stray quote in prose: strings do not span lines in JSON
            continue
        if ch == '"':
            in_string = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                yield text[start : i + 1]
    if depth > 0 and start >= 0:
        yield text[start:] + "}" * depth
        if retries > 0:
            yield from _balanced_objects(text[start + 1 :], retries - 1)


def _loads(candidate: str) -> Any:
    """Parse ``candidate`` as JSON, trying a few repairs of common model mistakes."""
    try:
        return json.loads(candidate)
    except ValueError:
        pass
    fixed = _TRAILING_COMMA_RE.sub(r"\1", candidate)
    if '"' not in fixed and "'" in fixed:
        fixed = fixed.replace("'", '"')
    for python, js in _PY_LITERALS:
        fixed = re.sub(rf"\b{python}\b", js, fixed)
    fixed = _UNQUOTED_KEY_RE.sub(lambda m: f'{m.group(1)}"{m.group(2).strip()}":', fixed)
    try:
        return json.loads(fixed)
    except ValueError:
        return None


def iter_json_objects(text: str) -> Iterator[dict[str, Any]]:
    """Yield the JSON objects found in ``text`` (bare, in code fences, or inside prose), in order."""
    if "{" not in text:
        return
    # Code fences need no special case: the brace scan finds the object inside them.
    for seen, candidate in enumerate(_balanced_objects(text)):
        if seen >= _MAX_CANDIDATES:
            return
        value = _loads(candidate)
        if isinstance(value, dict):
            yield value


def _norm_key(key: object) -> str:
    return str(key).strip().lower().replace(" ", "_").replace("-", "_")


def _as_float(value: object, axis_hint: str) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and value.strip():
        token = parse_coordinate(value)
        if token is None or (token.axis is not None and token.axis != axis_hint):
            return None
        return token.value
    return None


def _pair_value(value: object, lon_first: bool) -> tuple[float, float] | None:
    """Read [lat, lon], {"lat":..,"lon":..} or "48.85, 2.35" (GeoJSON Point order when asked)."""
    if isinstance(value, (list, tuple)) and len(value) >= 2:
        a, b = _as_float(value[0], "lat"), _as_float(value[1], "lon")
        if lon_first:
            a, b = _as_float(value[1], "lat"), _as_float(value[0], "lon")
        return (a, b) if a is not None and b is not None else None
    if isinstance(value, Mapping):
        fields = read_fields(value)
        if fields.lat is not None and fields.lon is not None:
            return fields.lat, fields.lon
        return None
    if isinstance(value, str):
        pair = parse_coordinate_pair(value)
        return (pair.lat, pair.lon) if pair is not None else None
    return None


def _text_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):  # ["France", "Belgium"]: the first is the main guess
        return _text_value(value[0]) if value else ""
    if isinstance(value, Mapping):
        inner = read_fields(value)
        return inner.country_text or inner.answer_text or ""
    return str(value).strip()


def read_fields(  # noqa: C901 - one branch per kind of key
    obj: Mapping[Any, Any], depth: int = 0
) -> JsonFields:
    """Read country, latitude and longitude from one JSON object (nested ones too)."""
    country: str | None = None
    answer: str | None = None
    lat: float | None = None
    lon: float | None = None
    coords_text: str | None = None
    found = False
    lon_first = _norm_key(obj.get("type", "")) == "point"  # GeoJSON: [lon, lat]
    nested: list[Mapping[Any, Any]] = []
    for raw_key, value in obj.items():
        key = _norm_key(raw_key)
        if key in _COUNTRY_KEYS:
            found = True
            if country is None or key == "country":
                country = _text_value(value)
                if key in _CODE_KEYS and len(country) <= 3:
                    country = country.upper()  # "fr" under a code key is a code, not a word
        elif key in _LAT_KEYS:
            found = True
            lat = _as_float(value, "lat")
            coords_text = coords_text or f"{raw_key}={value!r}"
        elif key in _LON_KEYS:
            found = True
            lon = _as_float(value, "lon")
        elif key in _PAIR_KEYS:
            found = True
            pair = _pair_value(value, lon_first)
            if pair is not None and (lat is None or lon is None):
                lat, lon = pair
                coords_text = f"{raw_key}={value!r}"
        elif key in _ANSWER_KEYS:
            found = True
            if isinstance(value, Mapping):
                nested.append(value)
            else:
                answer = answer or _text_value(value)
        elif isinstance(value, Mapping):
            nested.append(value)
    if depth < _MAX_DEPTH:
        for inner_obj in nested:
            inner = read_fields(inner_obj, depth + 1)
            if not inner.has_location_keys:
                continue
            found = True
            country = country if country else inner.country_text
            answer = answer or inner.answer_text
            if lat is None and lon is None:
                lat, lon, coords_text = inner.lat, inner.lon, inner.coords_text
    return JsonFields(country, answer, lat, lon, coords_text, found)


def find_json_answer(text: str) -> JsonFields | None:
    """Return the fields of the last JSON object in ``text`` that has location keys."""
    best: JsonFields | None = None
    for obj in iter_json_objects(text):
        fields = read_fields(obj)
        if fields.has_location_keys:
            best = fields  # the last one wins: a final answer follows any worked example
    return best
