"""Read labelled answers: ``Country: France``, ``**Latitude:** 48.85° N``, ``- Lat/Lon: 48.85, 2.35``.

Labels may carry markdown (bold, bullets, headings), quotes (broken JSON lines), several
languages, and sit on one line together (``Country: Peru, Lat: -13.5, Lon: -71.9``). When a
label appears more than once the last one wins: models put their final answer after their
reasoning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.parsing.coords import find_coordinate_pairs, has_digit, parse_coordinate

_DECOR = r"[*_`\"'\[\]]*"
_LINE_START = r"(?:^|(?<=[,;|{(]))[ \t>]*(?:[-*+•·]|\d{1,2}[.)])?[ \t]*(?:#{1,6}[ \t]*)?"

_COUNTRY_KEY = (
    r"(?:predicted |guessed |most likely |likely |final )?"
    r"(?:country(?:[ _]name|[ _]code|[ _]iso3?)?|nation|pays|pa[ií]s|land|staat|paese|"
    r"国家(?:/地区|或地区)?|國家|国)"
)
_ANSWER_KEY = (
    r"(?:(?:my |best |final |top )?(?:answer|guess|prediction|location)|réponse(?: finale)?|"
    r"respuesta(?: final)?|antwort|答案|回答|最终答案|結論|结论)"
)
_LAT_KEY = r"(?:latitude|latitud|lat|breitengrad|breite|纬度|緯度)"
_LON_KEY_LOOSE = r"(?:longitude|longitud|lon|lng|längengrad|länge|经度|経度|經度)"
_LON_KEY = rf"(?:{_LON_KEY_LOOSE}|long)"
_PAIR_KEY = (
    r"(?:(?:gps |approximate |estimated |predicted )?(?:coordinates|coordinate|coords|gps)|"
    rf"{_LAT_KEY}\s*(?:/|,|&|and|-)\s*{_LON_KEY}|coordonnées|coordenadas|koordinaten|"
    r"坐标|座標|经纬度|緯度経度)"
)
_PAREN_NOTE = r"(?:\s*\([^)\n]{0,30}\))?"
_COLON = rf"{_DECOR}{_PAREN_NOTE}\s*{_DECOR}\s*[:：=]\s*{_DECOR}\s*"


def _labelled(key: str) -> re.Pattern[str]:
    return re.compile(
        rf"{_LINE_START}{_DECOR}(?P<key>{key}){_COLON}(?P<value>[^\n]*)",
        re.IGNORECASE | re.MULTILINE,
    )


_COUNTRY_RE = _labelled(_COUNTRY_KEY)
_ANSWER_RE = _labelled(_ANSWER_KEY)
_PAIR_RE = _labelled(_PAIR_KEY)
# Latitude / longitude values are numbers, so their labels are safe to find anywhere in a line,
# and the colon may be missing ("lat 48.85 lon 2.35").
_AXIS_TAIL = rf"{_DECOR}{_PAREN_NOTE}\s*{_DECOR}\s*(?:[:：=]|\bis\b|≈|~)?\s*{_DECOR}\s*"
_LAT_RE = re.compile(
    rf"(?<![A-Za-z]){_DECOR}{_LAT_KEY}(?![A-Za-z/]){_AXIS_TAIL}(?P<value>[^\n]{{1,40}})",
    re.IGNORECASE,
)
_LON_RE = re.compile(
    rf"(?<![A-Za-z/]){_DECOR}(?:{_LON_KEY_LOOSE}(?![A-Za-z/]){_AXIS_TAIL}"
    rf"|long(?![A-Za-z/]){_COLON})(?P<value>[^\n]{{1,40}})",  # "a long 2 km road" is no label
    re.IGNORECASE,
)
_TRAILING_JUNK = re.compile(r"[\s*_`\"'.,;}\]]+$")
_LEADING_JUNK = re.compile(r"^[\s*_`\"'\[{]+")


@dataclass(frozen=True, slots=True)
class LabelFields:
    """Values found after labels; ``None`` where no such label was written."""

    country_text: str | None
    answer_text: str | None
    lat: float | None
    lon: float | None
    coords_text: str | None
    invalid_coords_text: str | None  # a coordinate label whose value is not a coordinate


def clean_value(value: str) -> str:
    """Strip markdown, quotes and trailing punctuation around a labelled value."""
    return _TRAILING_JUNK.sub("", _LEADING_JUNK.sub("", value))


def _last_value(pattern: re.Pattern[str], text: str) -> str | None:
    last: str | None = None
    for m in pattern.finditer(text):
        value = clean_value(m.group("value"))
        if value:
            last = value
    return last


def _last_axis(pattern: re.Pattern[str], text: str, axis: str) -> tuple[float | None, str | None]:
    """Return the last number written after a latitude (or longitude) label, and its text."""
    value: float | None = None
    raw: str | None = None
    for m in pattern.finditer(text):
        token = parse_coordinate(_LEADING_JUNK.sub("", m.group("value")))
        if token is None or (token.axis is not None and token.axis != axis):
            continue
        value, raw = token.value, m.group(0).strip()
    return value, raw


def find_labels(text: str) -> LabelFields | None:
    """Return labelled country / coordinate values in ``text``, or None when there are none."""
    lowered_has_colon = ":" in text or "：" in text or "=" in text
    country = _last_value(_COUNTRY_RE, text) if lowered_has_colon else None
    answer = _last_value(_ANSWER_RE, text) if lowered_has_colon else None
    lat: float | None = None
    lon: float | None = None
    coords_text: str | None = None
    invalid: str | None = None
    if has_digit(text):
        pair_value = _last_value(_PAIR_RE, text) if lowered_has_colon else None
        if pair_value is not None:
            pairs = find_coordinate_pairs(pair_value, labelled=True)
            if pairs:
                lat, lon, coords_text = pairs[0].lat, pairs[0].lon, pair_value
            elif has_digit(pair_value):
                invalid = pair_value  # "Coordinates: 48.85" or "12, 34, 56": not a pair
        if lat is None:
            lat, lat_raw = _last_axis(_LAT_RE, text, "lat")
            lon, lon_raw = _last_axis(_LON_RE, text, "lon")
            if lat is not None or lon is not None:
                coords_text = " ".join(r for r in (lat_raw, lon_raw) if r)
    if country is None and answer is None and lat is None and lon is None and invalid is None:
        return None
    return LabelFields(country, answer, lat, lon, coords_text, invalid)
