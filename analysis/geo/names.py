"""Free text -> ISO3: read the country a model wrote, or tell that it could not or would not say.

``resolve_country`` tries, in order: the whole answer as a name ("Brasil", "U.S.A.", "日本");
the whole answer as an ISO code in capitals ("FR", "DEU"); a whole-answer "unknown" form;
a labelled field ("Country: France", ``"country": "fr"``: codes in any case are trusted
there); a country named in prose (after a concluding phrase such as "final answer" if there is
one; among several, the last one introduced decisively - "I'd say", "makes me think it's" -
else the first); a big city when no country is named ("london", "a street in Tokyo"); then
refusal and uncertainty phrases. A named country wins
over an uncertainty phrase ("hard to say, but probably Peru" is a guess of Peru); a country
mentioned only in a negated or hedged clause ("not Spain", "whether this is Japan") counts only
when the text contains no refusal or uncertainty phrase.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from analysis.geo import aliases
from analysis.geo.name_index import (
    ProseKey,
    canonical,
    fold,
    name_index,
    normalize,
)
from analysis.geo.name_index import is_no_space_script as has_no_space

__all__ = [
    "CountryMatch",
    "MatchOutcome",
    "find_country_in_text",
    "iso2_to_iso3",
    "normalize",
    "resolve_country",
    "to_iso3",
]


class MatchOutcome(StrEnum):
    """What a piece of text says about the country."""

    COUNTRY = "country"
    UNKNOWN = "unknown"  # the model says it cannot tell
    REFUSED = "refused"  # the model declines to answer
    NO_MATCH = "no_match"  # nothing recognisable


@dataclass(frozen=True, slots=True)
class CountryMatch:
    """Result of reading a country from text; ``matched`` is the span of text that decided it."""

    iso3: str | None
    outcome: MatchOutcome
    matched: str


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    iso3: str | None
    text: str
    weak: bool = False  # negated or hedged ("not Spain", "whether it is Japan")
    decisive: bool = False  # introduced as the answer ("I'd say Peru")
    is_city: bool = False


_NO_MATCH = CountryMatch(None, MatchOutcome.NO_MATCH, "")
# a word: an abbreviation with dots (U.S.A.), or letters/digits joined by apostrophes (d'Ivoire)
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?:['’ʼ][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’ʼ]s$", re.IGNORECASE)
_FLAG = re.compile("[\U0001f1e6-\U0001f1ff]{2}")
_MARKDOWN = re.compile(r"[*_#`>~]+")
_LABEL = re.compile(
    r"(?im)(?:^|[\s{,\"'(\[|])(?P<label>final[ _]answer|answer|country(?:[ _-]?(?:code|name|iso"
    r"(?:[ _]?a?[23])?|guess|prediction))?|iso(?:[ _]?(?:code|a?[23]))?|predicted[ _]country"
    r"|prediction|guess|nation)[\"']?\s*[:=]\s*(?P<value>[^\n]+)"
)
_WEAK_BEFORE = re.compile(
    r"(?:\bnot\b|n[’']t\b|\brather than\b|\binstead of\b|\bunlike\b|\bthan\b|\bexcept\b"
    r"|\bexcluding\b|\brul(?:e|ed|ing) out\b|\bwhether\b|\bif\b|\bnor\b|\bneither\b)"
    r"(?:\s+[\w'’]+){0,4}\s*$",  # same clause only: a comma ends the negation
    re.IGNORECASE,
)
_CONCLUSION = re.compile(
    r"\b(final answer|in conclusion|conclusion|therefore|overall|in summary|my answer|answer)\b",
    re.IGNORECASE,
)
# a decisive phrase right before a name ("makes me think it's Switzerland", "I'd say Peru"):
# when several countries are named, the last one introduced this way is the answer
_DECISIVE_BEFORE = re.compile(
    r"\b(?:think|believe|guess|say|bet|conclude|go with|leaning towards?|lean towards?|must be"
    r"|most likely|is likely|probably|definitely|certainly|clearly|country is|answer is"
    r"|located in)(?:\s+[\w'’]+)?\s*$",
    re.IGNORECASE,
)
_US_CONTEXT = re.compile(
    r"\b(atlanta|savannah|u\.?\s?s\.? state|state of georgia|georgia,? (usa|us|u\.s\.a?\.?))\b",
    re.IGNORECASE,
)
_REFUSAL = [re.compile(p) for p in aliases.REFUSAL_PATTERNS]
_UNKNOWN = [re.compile(p) for p in aliases.UNKNOWN_PATTERNS]


def _flag_to_iso3(flag: str) -> str | None:
    letters = "".join(chr(ord(ch) - 0x1F1E6 + ord("A")) for ch in flag)
    return name_index().codes.get(letters)


def _lookup_name(text: str) -> str | None:
    return name_index().names.get(normalize(text))


def _lookup_code(text: str, any_case: bool) -> str | None:
    code = re.sub(r"[^A-Za-z]", "", text)
    if len(code) not in (2, 3) or len(code) != len(text.strip(" \t\"'`*()[]{}.,;:!?")):
        return None
    if not any_case and not code.isupper():
        return None
    return name_index().codes.get(code.upper())


_UNKNOWN_ANSWERS = frozenset(normalize(a) for a in aliases.UNKNOWN_ANSWERS)


def _whole_text_phrase(text: str) -> MatchOutcome | None:
    key = normalize(text)
    if key in _UNKNOWN_ANSWERS or re.fullmatch(r"[\W_]+", text):
        return MatchOutcome.UNKNOWN
    return None


def _phrase_outcome(text: str) -> MatchOutcome | None:
    key = " ".join(fold(text).split())
    key = re.sub(r"[^\w\s]", " ", key)
    if any(p.search(key) for p in _REFUSAL):
        return MatchOutcome.REFUSED
    if any(p.search(key) for p in _UNKNOWN):
        return MatchOutcome.UNKNOWN
    return None


def _mentions(text: str) -> list[_Mention]:
    """Find every country name in ``text``; longer names shadow the names inside them."""
    index = name_index()
    has_upper = any(ch.isupper() for ch in text)
    tokens: list[tuple[str, int, int]] = []
    for m in _TOKEN.finditer(text):
        word = _POSSESSIVE.sub("", m.group())
        tokens.append((fold(word), m.start(), m.start() + len(word)))
    found: list[tuple[_Mention, ProseKey]] = []
    for i in range(len(tokens)):
        for n in range(min(index.max_tokens, len(tokens) - i), 0, -1):
            entry = index.prose.get(tuple(t[0] for t in tokens[i : i + n]))
            if entry is not None:
                start, end = tokens[i][1], tokens[i + n - 1][2]
                mention = _Mention(start, end, entry.iso3, text[start:end], is_city=entry.is_city)
                found.append((mention, entry))
    folded = unicodedata.normalize("NFKC", text).casefold()
    no_space = [e for e in index.no_space_keys if e.key in folded] if has_no_space(text) else []
    for entry in no_space:
        for m in re.finditer(re.escape(entry.key), folded):
            mention = _Mention(m.start(), m.end(), entry.iso3, text[m.start() : m.end()])
            found.append((mention, entry))
    for m in _FLAG.finditer(text):
        iso3 = _flag_to_iso3(m.group())
        if iso3:
            found.append((_Mention(m.start(), m.end(), iso3, m.group()), ProseKey(iso3, "")))
    kept: list[_Mention] = []
    taken: list[tuple[int, int]] = []
    for mention, entry in sorted(found, key=lambda f: (-(f[0].end - f[0].start), f[0].start)):
        if any(mention.start < e and s < mention.end for s, e in taken):
            continue  # inside a longer name: "Guinea" in "Papua New Guinea"
        taken.append((mention.start, mention.end))
        if entry.case_exact is not None and mention.text.replace(".", "") != entry.case_exact:
            continue  # "us" the pronoun is not "US"
        if entry.needs_capital and has_upper and not mention.text[:1].isupper():
            continue  # "a turkey farm"
        if mention.iso3 is not None:
            kept.append(mention)
    return sorted(kept, key=lambda m: m.start)


def _with_context(text: str, mentions: list[_Mention]) -> list[_Mention]:
    us_named = any(m.iso3 == "USA" for m in mentions) or _US_CONTEXT.search(text) is not None
    out = []
    for m in mentions:
        iso3 = "USA" if m.iso3 == "GEO" and normalize(m.text) == "georgia" and us_named else m.iso3
        before = text[max(0, m.start - 60) : m.start]
        weak = _WEAK_BEFORE.search(before) is not None
        decisive = _DECISIVE_BEFORE.search(before) is not None
        out.append(_Mention(m.start, m.end, iso3, m.text, weak, decisive, m.is_city))
    return out


def _best_mention(text: str) -> tuple[_Mention | None, bool]:
    """Return the most confident mention and whether it is only a weak (negated) one."""
    mentions = _with_context(text, _mentions(text))
    countries_named = [m for m in mentions if not m.is_city]
    mentions = countries_named or mentions  # a city counts only when no country is named
    if not mentions:
        return None, False
    conclusions = list(_CONCLUSION.finditer(text))
    after = conclusions[-1].end() if conclusions else 0
    strong = [m for m in mentions if not m.weak]
    for pool in ([m for m in strong if m.start >= after], strong):
        if pool:
            decisive = [m for m in pool if m.decisive]
            return (decisive[-1] if decisive else pool[0]), False
    return mentions[0], True


def find_country_in_text(text: str | None) -> str | None:
    """Return the ISO3 of the country a piece of prose names most confidently, or None."""
    if not text:
        return None
    mention, _weak = _best_mention(text)
    return mention.iso3 if mention else None


def _resolve_value(value: str) -> CountryMatch | None:
    """Resolve the value of a labelled field, where ISO codes in any case are trusted."""
    value = value.strip().strip("\"'`[](){}<>").strip()
    candidates = [value, re.split(r"[,;|(/]| - ", value, maxsplit=1)[0]]
    for candidate in candidates:
        candidate = candidate.strip().strip("\"'`.!?").strip()
        if not candidate:
            continue
        iso3 = _lookup_name(candidate) or _lookup_code(candidate, any_case=True)
        if iso3:
            return CountryMatch(iso3, MatchOutcome.COUNTRY, candidate)
        outcome = _whole_text_phrase(candidate)
        if outcome:
            return CountryMatch(None, outcome, candidate)
    mention, weak = _best_mention(value)
    if mention and not weak:
        return CountryMatch(mention.iso3, MatchOutcome.COUNTRY, mention.text)
    outcome = _phrase_outcome(value)
    return CountryMatch(None, outcome, value) if outcome else None


def resolve_country(text: str | None) -> CountryMatch:
    """Read the country named in a model's answer, or classify it as unknown or refused."""
    if text is None or not text.strip():
        return _NO_MATCH
    stripped = text.strip()
    bare = _MARKDOWN.sub("", stripped).strip().strip("\"'`()[]{}").strip()
    bare = bare.rstrip(".!?;:,").strip()
    if bare:
        iso3 = (
            _lookup_name(bare)
            or _lookup_code(bare, any_case=False)
            or name_index().cities.get(normalize(bare))
        )
        if iso3:
            return CountryMatch(iso3, MatchOutcome.COUNTRY, bare)
        if _FLAG.fullmatch(bare) and _flag_to_iso3(bare):
            return CountryMatch(_flag_to_iso3(bare), MatchOutcome.COUNTRY, bare)
    outcome = _whole_text_phrase(bare or stripped)
    if outcome:
        return CountryMatch(None, outcome, stripped)
    labelled = sorted(
        _LABEL.finditer(_MARKDOWN.sub("", stripped)),
        key=lambda m: (not m.group("label").lower().startswith(("country", "iso")), m.start()),
    )
    for m in labelled:
        found = _resolve_value(m.group("value"))
        if found is not None:
            return found
    mention, weak = _best_mention(stripped)
    phrase = _phrase_outcome(stripped)
    if mention and not (weak and phrase):
        return CountryMatch(mention.iso3, MatchOutcome.COUNTRY, mention.text)
    if phrase:
        return CountryMatch(None, phrase, stripped)
    return _NO_MATCH


def to_iso3(text: str | None) -> str | None:
    """Return the ISO3 code a text names, or None (unknown, refused or unrecognised)."""
    return resolve_country(text).iso3


def iso2_to_iso3(code: str | None) -> str | None:
    """Convert an ISO 3166-1 alpha-2 code (any case; also XK and UK) to this project's ISO3."""
    if not code:
        return None
    code = code.strip().upper()
    if len(code) != 2:
        return None
    return name_index().codes.get(code)


def canonical_iso3(code: str | None) -> str | None:
    """Return the polygon code for an ISO3 (REU -> FRA, SJM -> NOR); None stays None."""
    if not code:
        return None
    code = code.strip().upper()
    return canonical(code) if code in name_index().codes else None
