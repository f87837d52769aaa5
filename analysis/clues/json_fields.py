"""JSON answers: find each field's key and value spans in the raw text, offsets preserved.

Model replies wrap JSON in prose and code fences, and the clue spans must point into the
original text, so fields are located with a small scanner over the raw text instead of
``json.loads``. A field named after a category ("landmark", "text_and_signage",
"cultural_indicators") cites that category when its value is substantive, and cites nothing
when the value is empty, null, "none", "N/A" or "not visible".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_KEY = re.compile(r"\"([^\"\\\n]{1,80})\"\s*:\s*")
_MAX_FIELDS = 200  # a reply with more keys than this is data, not an answer
_MAX_VALUE_CHARS = 20_000  # an unclosed [ or { is not followed further than this

# Field names -> category; checked on the normalised key (lower case, "_" between words).
_KEY_CATEGORIES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"(?:^|_)(?:{pattern})(?:_|$)"), cat)
    for pattern, cat in (
        (r"driving\w*|traffic_side|road_side|side_of_(?:the_)?road", "driving_side"),
        (r"road_?markings?|lane_?markings?|road_lines|line_markings|markings", "road_markings"),
        (
            r"road_?furniture|bollards?|guard_?rails?|barriers|traffic_lights|sign_shapes?"
            r"|sign_colou?rs?|road_signs_style",
            "road_furniture",
        ),
        (r"text|sign(?:s|age)?|language|script|writing|lettering|inscriptions?", "text"),
        (r"vehicles?|cars?|licen[cs]e_plates?|number_plates?|plates", "vehicles"),
        (
            r"infrastructure|utility_poles?|poles?|power_lines|road_surface|street_?lights?"
            r"|roads?",
            "infrastructure",
        ),
        (r"vegetation|flora|plants?|trees?|foliage", "vegetation"),
        (r"terrain|climate|weather|landscape|topography|geography|soil|environment", "terrain_climate"),
        (r"architectur\w*|buildings?|building_style|housing|houses?", "architecture"),
        (r"landmarks?|monuments?|notable_places?|famous_places?", "landmark"),
        (
            r"cultur\w*|people|clothing|flags?|businesses|brands?|shops?|stores|commerce"
            r"|religio\w*",
            "culture",
        ),
        (r"sun|shadows?|hemisphere|lighting|solar", "sun"),
    )
)
# Fields that state the answer: their values are masked (a city name is not a clue).
ANSWER_KEYS = re.compile(
    r"(?:predicted_|guessed_|final_|best_)?(?:country|country_code|iso\d?|city|region|state"
    r"|province|continent|lat|latitude|lon|lng|longitude|coordinates|coords|confidence"
    r"|answer|guess|prediction)$"
)
_EMPTY = re.compile(
    r"(?:none|n/?a|na|null|nil|nothing|no|unknown|unclear|false|-+|—|–|\?+|not applicable"
    r"|(?:none|nothing|not|no)[\s_-]+(?:visible|applicable|available|present|identified"
    r"|identifiable|detected|observed|seen|discernible|legible|readable|clear|determinable"
    r"|obvious|notable|apparent|found|evident|recogni[sz]able|determined)"
    r"|cannot be determined|can't be determined|indeterminate|undetermined|unidentified"
    r"|ninguno|ninguna|nada|aucun|aucune|rien|keine|keiner|nenhum|nenhuma|нет|отсутствует"
    r"|无|没有|なし|無し|不明)\W*",
    re.IGNORECASE,
)
_DENIAL_START = re.compile(
    r"(?:no|none|nothing|not|ninguna?|aucune?|keine?|nenhuma?|нет|没有|无)(?![\w-])"
    r"(?!\s+(?:sure|certain|only|just|doubt)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class JsonField:
    """One ``"key": value`` pair located in the raw text."""

    key: str  # normalised
    key_start: int  # span of the quoted key
    key_end: int
    value_start: int
    value_end: int
    items: tuple[tuple[int, int], ...]  # spans of the string values (one, or a list's items)

    @property
    def category(self) -> str | None:
        """Return the category this field's name stands for, or None."""
        return key_category(self.key)


def key_category(key: str) -> str | None:
    """Return the clue category a (normalised) JSON key names, or None."""
    if ANSWER_KEYS.fullmatch(key):
        return None
    for pattern, cat in _KEY_CATEGORIES:
        if pattern.search(key):
            return cat
    return None


def _string_end(text: str, i: int) -> int:
    """Return the index of the closing quote of the string whose opening quote is at i - 1."""
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == '"' or ch == "\n":  # JSON strings do not span raw lines: a stray quote
            return i
        i += 1
    return n


def _container_items(text: str, i: int) -> tuple[int, tuple[tuple[int, int], ...]]:
    """Scan a [...] or {...} at i; return its end and the spans of its string values."""
    depth = 0
    items: list[tuple[int, int]] = []
    n = min(len(text), i + _MAX_VALUE_CHARS)
    while i < n:
        ch = text[i]
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                return i + 1, tuple(items)
        elif ch == '"':
            end = _string_end(text, i + 1)
            after = text[end + 1 : end + 40].lstrip()
            if not after.startswith(":"):  # a value, not a nested key
                items.append((i + 1, end))
            i = end
        i += 1
    return n, tuple(items)


def find_fields(text: str) -> list[JsonField]:
    """Locate every ``"key": value`` pair in ``text`` (bare, fenced or inside prose)."""
    if "{" not in text or '"' not in text:
        return []
    fields: list[JsonField] = []
    for m in _KEY.finditer(text):
        if len(fields) >= _MAX_FIELDS:
            break
        key = m.group(1).strip().lower().replace(" ", "_").replace("-", "_")
        i = m.end()
        if i >= len(text):
            continue
        ch = text[i]
        if ch == '"':
            end = _string_end(text, i + 1)
            fields.append(JsonField(key, m.start(), m.end(), i + 1, end, ((i + 1, end),)))
        elif ch in "[{":
            end, items = _container_items(text, i)
            fields.append(JsonField(key, m.start(), m.end(), i, end, items))
        else:  # null, true, false, a number: nothing to cite
            word = re.match(r"[\w.+-]*", text[i:])
            end = i + (word.end() if word else 0)
            fields.append(JsonField(key, m.start(), m.end(), i, end, ()))
    return fields


def is_substantive(value: str) -> bool:
    """Return True when a field value says something (not empty, "none", "N/A", "No ...")."""
    stripped = value.strip().strip("\"'`*.[]{}() ")
    if not stripped or _EMPTY.fullmatch(stripped):
        return False
    return _DENIAL_START.match(stripped) is None
