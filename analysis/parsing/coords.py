"""Read coordinates written by people and models: decimal, signed, N/S/E/W, degrees-minutes-seconds.

A single reading is a ``CoordToken`` (value, axis hint, strength); a pair is matched by one
precompiled regex so that ``48°51'24"N 2°21'03"E``, ``(48.85, 2.35)``, ``2.35 E, 48.85 N`` and
``北纬39.9°，东经116.4°`` all come out as ``(lat, lon)``. Ranges are *not* checked here: the caller
decides what an out-of-range value means (``invalid_coordinates``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Axis = Literal["lat", "lon"]

# Hemisphere words and letters -> (axis, sign). A lone "O" is deliberately absent: it means west
# in French/Spanish (ouest/oeste) but east in German (Ost), so guessing would flip a sign.
_HEMISPHERES: dict[str, tuple[Axis, int]] = {
    "n": ("lat", 1),
    "north": ("lat", 1),
    "nord": ("lat", 1),
    "norte": ("lat", 1),
    "s": ("lat", -1),
    "south": ("lat", -1),
    "sud": ("lat", -1),
    "süd": ("lat", -1),
    "sur": ("lat", -1),
    "e": ("lon", 1),
    "east": ("lon", 1),
    "est": ("lon", 1),
    "este": ("lon", 1),
    "ost": ("lon", 1),
    "w": ("lon", -1),
    "west": ("lon", -1),
    "ouest": ("lon", -1),
    "oeste": ("lon", -1),
    "北纬": ("lat", 1),
    "北緯": ("lat", 1),
    "南纬": ("lat", -1),
    "南緯": ("lat", -1),
    "东经": ("lon", 1),
    "東経": ("lon", 1),
    "東經": ("lon", 1),
    "西经": ("lon", -1),
    "西経": ("lon", -1),
    "西經": ("lon", -1),
}

_CJK_PREFIX = r"北纬|北緯|南纬|南緯|东经|東経|東經|西经|西経|西經"
_WORD_SUFFIX = r"north|south|east|west|nord|sud|süd|est|ouest|norte|sur|este|oeste|ost"
_DEG_MARK = r"°|º|˚|deg(?:rees?|\.)?(?![a-z])|度"
_MIN_MARK = r"'|′|’|‘|´|分"
_SEC_MARK = r"\"|″|”|“|''|′′|’’|秒"
_SIGNS = "-+−–"


def _token_pattern(tag: str, spaced_letter_is_suffix: bool = False) -> str:
    """Return the regex of one coordinate reading; group names end with ``tag``."""
    # The decimal comma ("48,85") is accepted only before a degree sign or hemisphere letter:
    # elsewhere "48,2" is as likely a pair as a number.
    # A marker glued to the number or written after a degree sign ("12°N", "40.4° N") is a
    # suffix. A spaced letter after a bare number that is followed by another number is read as
    # the next reading's prefix ("S 33.9 E 151.2"), unless ``spaced_letter_is_suffix``: the pair
    # finder retries with that reading when the first one is inconsistent ("33.9 S 151.2 E").
    marker = rf"(?:{_WORD_SUFFIX}|[NSEWO])(?![A-Za-zà-ÿ])"
    spaced_guard = "" if spaced_letter_is_suffix else r"(?!\s?[-+]?\d)"
    return (
        # Not inside a word or number, nor glued to a degree / minute mark ("2°21'": minutes).
        rf"(?<![A-Za-z0-9_.°º˚'′\"″])"
        rf"(?:(?P<hpre{tag}>[NSEW]|{_CJK_PREFIX})\s?)?"
        rf"(?P<sign{tag}>[{_SIGNS}])?\s?"
        # Scientific notation needs a signed exponent ("1e-05", as Python prints tiny floats):
        # "2.35E5" could be a glued hemisphere, so an unsigned exponent is not read at all.
        rf"(?P<deg{tag}>\d{{1,3}}(?:\.\d+)?[eE][-+]\d{{1,3}}(?!\d)"
        rf"|\d{{1,3}}\.\d+(?!\d|\.\d|[eE][-+]?\d)"
        rf"|\d{{1,3}},\d+(?=\s?(?:{_DEG_MARK}|[NSEW]\b))"
        rf"|\d{{1,3}}(?!\d|[.,]\d|[eE][-+]?\d))"
        rf"(?:\s?(?P<dm{tag}>{_DEG_MARK}))?"
        rf"(?:\s?(?P<min{tag}>\d{{1,2}}(?:[.,]\d+)?)\s?(?:{_MIN_MARK})"
        rf"(?:\s?(?P<sec{tag}>\d{{1,2}}(?:[.,]\d+)?)\s?(?:{_SEC_MARK}))?)?"
        rf"(?:(?P<hpost{tag}>(?<=[\d°º˚'′\"″度]){marker}|(?<=[°º˚'′\"″度])\s{marker})"
        rf"|\s(?P<hposts{tag}>{marker}{spaced_guard}))?"
        rf"(?:\s?(?P<ax{tag}>latitude|longitude|lat|lon|lng)(?![a-z]|\s?[:=]?\s?[-+]?\d))?"
    )


_FLAGS = re.IGNORECASE
_TOKEN_RE = re.compile(_token_pattern(""), _FLAGS)
_SEP = r"\s*(?:[,;/|，、]|\band\b|\bet\b|\by\b|\bund\b)?\s*"
_PAIR_RE = re.compile(_token_pattern("1") + rf"(?P<sep>{_SEP})" + _token_pattern("2"), _FLAGS)
_PAIR_SUFFIX_RE = re.compile(
    _token_pattern("1", True) + rf"(?P<sep>{_SEP})" + _token_pattern("2", True), _FLAGS
)


@dataclass(frozen=True, slots=True)
class CoordToken:
    """One coordinate reading: signed decimal degrees and what the text said about its axis."""

    value: float
    axis: Axis | None  # from a hemisphere marker; None when only position can tell
    marked: bool  # a degree sign, minutes, or hemisphere was written (strong evidence)
    has_fraction: bool  # a decimal part was written ("48.85", not "48")


@dataclass(frozen=True, slots=True)
class CoordPair:
    """A (lat, lon) reading plus how sure the text made us that it is one."""

    lat: float
    lon: float
    marked: bool
    raw: str
    start: int = 0  # offset of the match in the searched text


def _num(text: str) -> float:
    return float(text.replace(",", "."))


def _hemisphere(raw: str | None) -> tuple[Axis, int] | None | Literal[False]:
    """Return (axis, sign), None when absent, False when the marker is unusable."""
    if raw is None:
        return None
    if len(raw) == 1 and not raw.isupper():
        return False  # lower-case single letter: prose ("2.35 e ..."), not a hemisphere
    return _HEMISPHERES.get(raw.lower(), False)


def _make_token(m: re.Match[str], tag: str) -> CoordToken | None:
    """Build a token from the groups of one match; None when the groups are inconsistent."""
    deg_text = m.group("deg" + tag)
    if deg_text is None:
        return None
    minutes_text, seconds_text = m.group("min" + tag), m.group("sec" + tag)
    value = _num(deg_text)
    if minutes_text is not None:
        minutes = _num(minutes_text)
        if minutes >= 60 or not deg_text.isdigit():
            return None
        value += minutes / 60.0
    if seconds_text is not None:
        seconds = _num(seconds_text)
        if seconds >= 60:
            return None
        value += seconds / 3600.0
    post_raw = (m.group("hpost" + tag) or m.group("hposts" + tag) or "").strip() or None
    if post_raw == "O":
        return None  # ouest/oeste (west) or Ost (east): refuse to guess the sign
    pre, post = _hemisphere(m.group("hpre" + tag)), _hemisphere(post_raw)
    if pre is False:
        pre = None
    if post is False:
        post = None
    if pre is not None and post is not None and pre != post:
        return None  # "N 48.85 S": contradictory
    hemi = pre or post
    sign = -1.0 if m.group("sign" + tag) in ("-", "−", "–") else 1.0
    axis: Axis | None = None
    axis_word = m.group("ax" + tag)
    if axis_word is not None:
        axis = "lat" if axis_word.lower().startswith("lat") else "lon"
    if hemi is not None:
        if axis is not None and axis != hemi[0]:
            return None  # "48.85 E latitude": contradictory
        axis = hemi[0]
        if hemi[1] < 0:
            sign = -1.0  # "-33.9 S" and "33.9 S" both mean south
    marked = axis is not None or m.group("dm" + tag) is not None or minutes_text is not None
    has_fraction = any(c in deg_text for c in ".,eE") or minutes_text is not None
    return CoordToken(sign * value, axis, marked, has_fraction)


def parse_coordinate(text: str) -> CoordToken | None:
    """Read one coordinate at the start of ``text`` (e.g. ``48°51'24"N``, ``-2.35``, ``2.35 W``)."""
    m = _TOKEN_RE.match(text.strip())
    if m is None:
        return None
    return _make_token(m, "")


def _assign(first: CoordToken, second: CoordToken) -> tuple[float, float] | None:
    """Order two readings as (lat, lon) using hemisphere markers, else their written order."""
    a1, a2 = first.axis, second.axis
    if a1 is not None and a1 == a2:
        return None  # "48 N, 2 N": not a pair
    if a1 == "lon" or a2 == "lat":
        return second.value, first.value
    return first.value, second.value


def _pair_from_match(m: re.Match[str], labelled: bool = False) -> CoordPair | None:
    first, second = _make_token(m, "1"), _make_token(m, "2")
    if first is None or second is None:
        return None
    ordered = _assign(first, second)
    if ordered is None:
        return None
    marked = first.marked or second.marked
    if not marked and not labelled:
        # Bare numbers are weak evidence: demand decimals and a real separator ("48.85, 2.35"),
        # so "version 3.5 4.0" or "between 10 and 20" are not read as a place.
        sep = m.group("sep").strip()
        if not (first.has_fraction and second.has_fraction) or not sep or sep.isalpha():
            return None
    return CoordPair(ordered[0], ordered[1], marked, m.group(0), m.start())


def parse_coordinate_pair(text: str) -> CoordPair | None:
    """Read a (lat, lon) pair at the start of ``text``, e.g. the value of ``Coordinates:``."""
    m = _PAIR_RE.match(text.strip())
    if m is None:
        return None
    return _pair_from_match(m, labelled=True)


def find_coordinate_pairs(text: str, labelled: bool = False) -> list[CoordPair]:
    """Return every plausible (lat, lon) pair written anywhere in ``text``, in order.

    Args:
        text: any prose.
        labelled: the text follows a coordinates label, so bare integers ("12, 45") count.
    """
    found: list[CoordPair] = []
    if not has_digit(text):
        return found
    pos = 0
    while True:
        m = _PAIR_RE.search(text, pos)
        if m is None:
            return found
        pair = _pair_from_match(m, labelled)
        if pair is None:
            alt = _PAIR_SUFFIX_RE.match(text, m.start())
            pair = _pair_from_match(alt, labelled) if alt is not None else None
            m = alt if pair is not None and alt is not None else m
        if pair is not None:
            found.append(pair)
            pos = m.end()
        else:
            # Retry from the second number: "12.5 and 48.85, 2.35" holds a pair after the first.
            pos = m.start("deg1") + len(m.group("deg1"))


_DIGIT_RE = re.compile(r"\d")


def has_digit(text: str) -> bool:
    """Return True when ``text`` contains a digit (a cheap gate before the pair regexes)."""
    return _DIGIT_RE.search(text) is not None


def in_range(lat: float, lon: float) -> bool:
    """Return True when lat is in [-90, 90] and lon in [-180, 180]."""
    return -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0
