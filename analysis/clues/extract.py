"""extract_clues: the clues a reasoning text cites, with their spans and checkable claims.

Pipeline (one pass per pattern, no model, no network):
1. JSON fields are located in the raw text; keys and answer fields ("country", "lat") are
   masked with spaces, so offsets still point into the original text.
2. Sentences that only state the final answer ("Final answer: Brazil.") are masked too.
3. Every category's terms, the landmark names and the claim rules are matched; a term inside
   a phrase that uses it in another sense ("the driving force") is dropped; overlapping matches
   keep the longest ("yellow diamond warning sign" over "sign").
4. Terms the text denies ("no visible text", "Landmark: none") are dropped (``negation.py``).
5. A JSON field named after a category cites it when its value is substantive; an empty one
   ("none", null, "N/A") cites nothing of that category inside it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace

from analysis.clues.claims import CLAIM_RULES, LANGUAGE_NAMES, SCRIPT_NAMES
from analysis.clues.facts import landmark_countries
from analysis.clues.folding import Folded
from analysis.clues.json_fields import ANSWER_KEYS, JsonField, find_fields, is_substantive
from analysis.clues.lexicon import (
    compile_category_patterns,
    compile_named_places,
    compile_other_senses,
)
from analysis.clues.negation import Span, denied_spans
from analysis.clues.types import Claim, Clue

_PATTERNS = compile_category_patterns()
_NAMED = compile_named_places()
_OTHER = compile_other_senses()
_SENTENCE = re.compile(r"[^.!?\n。！？]+[.!?。！？]*")
_ANSWER_SENTENCE = re.compile(
    r"[\s*#>\-•\d.)]*(?:(?:my |the )?(?:final |best )?(?:answer|guess|prediction|conclusion"
    r"|verdict)|country|location|respuesta|réponse|antwort|resposta|ответ|答案|回答)\b"
    r"\W{0,3}(?:is\b|:)",
    re.IGNORECASE,
)
_REASON = re.compile(
    r"\b(?:because|since|due to|given|based on|thanks to|as evidenced|owing to|considering"
    r"|judging by|from the|with (?:the|its|their))\b",
    re.IGNORECASE,
)
_GENERIC_TEXT_CHARS = 300
_SIDE_VALUE = re.compile(r"\W*(left|right)\b", re.IGNORECASE)
_HEMI_VALUE = re.compile(r"\W*(north|south)(?:ern)?\b", re.IGNORECASE)
_WORD_VALUE = re.compile(r"\W*([^\W\d_]+(?: [^\W\d_]+)?)")


@dataclass(frozen=True, slots=True)
class _Match:
    start: int
    end: int
    category: str
    claim: Claim | None
    priority: int  # lower wins a tie in length: claim rules before plain terms
    absorbs: bool = True  # False: other categories' terms inside this match are kept


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    """Return ``text`` with each span blanked to spaces (same length, same offsets)."""
    if not spans:
        return text
    parts: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        start = max(start, pos)
        if end <= start:
            continue
        parts.append(text[pos:start])
        parts.append(" " * (end - start))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _answer_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of sentences that only state the final answer."""
    out: list[tuple[int, int]] = []
    for m in _SENTENCE.finditer(text):
        sentence = m.group(0)
        if _ANSWER_SENTENCE.match(sentence) and not _REASON.search(sentence):
            out.append((m.start(), m.end()))
    return out


# A claim rule of these categories can only match a text containing one of these words: the
# cheap substring test skips most of the rules for most texts.
_CLAIM_GATES: dict[str, tuple[str, ...]] = {
    "driving_side": (
        "left", "right", "lht", "rht", "lhd", "rhd", "links", "rechts", "izquierda", "derecha",
        "gauche", "droite", "esquerda", "direita", "mão inglesa", "лев", "прав", "左", "右",
    ),
    "sun": (
        "hemisph", "halbkugel", "полушари", "半球", "north", "south", "nord", "süd", "norte",
        "sur", "sul", "sud",
    ),
}  # fmt: skip


def _candidates(scan: str, folded: Folded) -> list[_Match]:
    found: list[_Match] = []
    lower = folded.text if folded.folded else folded.text.lower()
    open_gates = {
        cat: any(word in lower for word in words) for cat, words in _CLAIM_GATES.items()
    }
    for cat, pattern in _PATTERNS.items():
        found.extend(_Match(m.start(), m.end(), cat, None, 2) for m in pattern.finditer(folded))
    found.extend(_Match(m.start(), m.end(), "landmark", None, 1) for m in _NAMED.finditer(scan))
    for rule in CLAIM_RULES:
        if not open_gates.get(rule.category, True):
            continue
        for m in rule.pattern.finditer(folded):
            claim = rule.claim(m)
            found.append(_Match(m.start(), m.end(), rule.category, claim, 0, rule.absorbs))
    others = [(m.start(), m.end()) for m in _OTHER.finditer(folded)]
    if others:
        found = [c for c in found if not any(s <= c.start and c.end <= e for s, e in others)]
    return [c for c in found if c.end > c.start]


def _compatible(c: _Match, k: _Match) -> bool:
    """Return True when two matches may both be kept (apart, or nested in a wide claim)."""
    if c.end <= k.start or c.start >= k.end:
        return True
    nested = k.start <= c.start and c.end <= k.end
    if not nested and c.category != k.category:  # "red dirt road": soil and road share a word
        return True
    return nested and not k.absorbs and c.category != k.category


def _longest_first(found: list[_Match]) -> list[_Match]:
    """Keep non-overlapping matches, longest first; return them sorted by start.

    Kept matches are held sorted by start; a candidate can only overlap those starting less
    than the longest match's length before it, so each test looks at a few neighbours.
    """
    if not found:
        return []
    longest = max(c.end - c.start for c in found)
    starts: list[int] = []
    kept: list[_Match] = []
    for c in sorted(found, key=lambda c: (c.start - c.end, c.priority, c.start)):
        hi = bisect_left(starts, c.end)
        lo = bisect_left(starts, c.start - longest)
        if all(_compatible(c, kept[i]) for i in range(lo, hi)):
            at = bisect_right(starts, c.start)
            starts.insert(at, c.start)
            kept.insert(at, c)
    return kept


def _field_claim(field: JsonField, value: str) -> Claim | None:
    """Read a bare value ("left", "Cyrillic", "Southern") under a field that names its kind."""
    key = field.key
    if field.category == "driving_side":
        m = _SIDE_VALUE.match(value)
        return Claim("driving_side", m.group(1).lower()) if m else None
    if "hemisphere" in key:
        m = _HEMI_VALUE.match(value)
        return Claim("hemisphere", m.group(1).lower()) if m else None
    word = _WORD_VALUE.match(value)
    if word is None:
        return None
    names = [word.group(1).lower(), word.group(1).split()[0].lower()]
    if "script" in key or "alphabet" in key:
        script = next((SCRIPT_NAMES[n] for n in names if n in SCRIPT_NAMES), None)
        return Claim("script", script) if script else None
    if "language" in key:
        language = next((LANGUAGE_NAMES[n] for n in names if n in LANGUAGE_NAMES), None)
        return Claim("language", language) if language else None
    return None


def _apply_fields(text: str, fields: list[JsonField], clues: list[Clue]) -> list[Clue]:
    """Add the clues that category-named fields cite; drop those inside empty ones.

    ``clues`` must be sorted by start.
    """
    starts = [c.start for c in clues]
    emptied: list[tuple[int, int, str]] = []
    added: list[Clue] = []
    dropped: set[int] = set()
    for field in fields:
        cat = field.category
        if cat is None:
            continue
        items = [(s, e) for s, e in field.items if is_substantive(text[s:e])]
        if field.key == "text" and any(e - s > _GENERIC_TEXT_CHARS for s, e in items):
            continue  # {"text": "<the whole answer>"} is a content field, not a clue category
        if not items:  # "landmark": "none" cites no landmark, whatever its text says
            emptied.append((field.value_start, field.value_end, cat))
            continue
        for start, end in items:
            lo, hi = bisect_left(starts, start), bisect_left(starts, end)
            claimed = any(clues[i].claim is not None for i in range(lo, hi))
            claim = None if claimed else _field_claim(field, text[start:end])
            added.append(Clue(cat, text[start:end], start, end, claim))
    for start, end, cat in emptied:
        lo, hi = bisect_left(starts, start), bisect_left(starts, end)
        for i in range(lo, hi):
            if clues[i].category == cat:
                dropped.add(i)
    return [c for i, c in enumerate(clues) if i not in dropped] + added


def _with_landmark_claim(clue: Clue) -> Clue:
    """A named landmark claims its country, when the landmark table knows where it stands."""
    if clue.category != "landmark" or clue.claim is not None:
        return clue
    where = landmark_countries(clue.evidence)
    return clue if where is None else replace(clue, claim=Claim("landmark", where))


def extract_clues(text: str | None) -> tuple[Clue, ...]:
    """Return the clues ``text`` cites, in order of appearance (empty for None or "")."""
    if not text:
        return ()
    fields = find_fields(text)
    masks = [(f.key_start, f.key_end) for f in fields]
    masks += [(f.value_start, f.value_end) for f in fields if ANSWER_KEYS.fullmatch(f.key)]
    masks += _answer_sentences(text)
    scan = _mask(text, masks)
    folded = Folded(scan)
    kept = _longest_first(_candidates(scan, folded))
    denied = denied_spans(folded, [Span(c.start, c.end, c.category) for c in kept])
    clues = [
        Clue(c.category, text[c.start : c.end], c.start, c.end, c.claim)
        for c, no in zip(kept, denied, strict=True)
        if not no
    ]
    if fields:
        clues = _apply_fields(text, fields, clues)
    clues = [_with_landmark_claim(c) for c in clues]
    unique = {(c.category, c.start, c.end): c for c in clues}
    return tuple(sorted(unique.values(), key=lambda c: (c.start, c.end, c.category)))


def extract_many(texts: list[str | None]) -> list[tuple[Clue, ...]]:
    """Extract the clues of each text, in order."""
    return [extract_clues(text) for text in texts]
