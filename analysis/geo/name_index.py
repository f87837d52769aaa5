"""The lookup tables behind ``names``: every known spelling of every country, normalised.

Sources, in priority order (the first source that knows a spelling decides it):
0. ``aliases.COUNTRY_ALIASES`` and ``REGION_BLOCKERS`` (hand-written, see that module);
1. pycountry: ``name``, ``official_name``, ``common_name`` (+ "Korea, Republic of" reordered
   to "Republic of Korea"), never its fuzzy search;
2. Natural Earth English names (NAME, NAME_LONG, ADMIN, FORMAL_EN, NAME_EN, ...);
3. Natural Earth names in 25 other languages (NAME_DE, NAME_JA, NAME_RU, ...).
A spelling that two countries share within the same source is ambiguous and dropped.
ISO alpha-2/alpha-3 codes live in a separate table: they are only trusted where the text is
clearly a code (a whole answer in capitals, or a labelled field such as ``country = 'fr'``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from analysis.geo import aliases
from analysis.geo.naturalearth import MERGED_INTO_POLYGON, attributes

NE_ENGLISH_COLUMNS = (
    "NAME",
    "NAME_LONG",
    "ADMIN",
    "FORMAL_EN",
    "NAME_EN",
    "NAME_SORT",
    "NAME_ALT",
    "BRK_NAME",
    "GEOUNIT",
    "SUBUNIT",
    "NAME_CIAWF",
)
NE_FOREIGN_COLUMNS = (
    "NAME_AR",
    "NAME_BN",
    "NAME_DE",
    "NAME_ES",
    "NAME_FA",
    "NAME_FR",
    "NAME_EL",
    "NAME_HE",
    "NAME_HI",
    "NAME_HU",
    "NAME_ID",
    "NAME_IT",
    "NAME_JA",
    "NAME_KO",
    "NAME_NL",
    "NAME_PL",
    "NAME_PT",
    "NAME_RU",
    "NAME_SV",
    "NAME_TR",
    "NAME_UK",
    "NAME_UR",
    "NAME_VI",
    "NAME_ZH",
    "NAME_ZHT",
    "FORMAL_FR",
)
TIER_ALIAS, TIER_PYCOUNTRY, TIER_NE_ENGLISH, TIER_NE_FOREIGN = 0, 1, 2, 3

_APOSTROPHES = "'’ʼ‘`´"
_LATIN_FOLD = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ð": "d", "þ": "th", "ł": "l", "ı": "i", "đ": "d", "ħ": "h"}
)
# scripts written without spaces between words: searched as substrings, not as tokens
_NO_SPACE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def fold(text: str) -> str:
    """Fold case, Latin accents, apostrophes and dots; keep other scripts as they are."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_LATIN_FOLD)
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        # drop accents on Latin letters only: NFD would also split Hangul and kana
        if unicodedata.combining(ch) and out and out[-1] < "\u0250":
            continue
        out.append(ch)
    folded = unicodedata.normalize("NFC", "".join(out))
    for ch in _APOSTROPHES + ".":
        folded = folded.replace(ch, "")
    return folded


def normalize(text: str) -> str:
    """Return the lookup key of a name: folded, punctuation to spaces, no leading 'the'."""
    folded = fold(text).replace("&", " and ")
    # punctuation, symbols, separators -> space; marks stay (Devanagari vowel signs are marks)
    spaced = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in folded)
    key = " ".join(spaced.split())
    return key.removeprefix("the ")


def is_no_space_script(key: str) -> bool:
    """Tell whether a key is written in a script without spaces (Chinese, Japanese, Korean)."""
    return _NO_SPACE_SCRIPT.search(key) is not None


@dataclass(frozen=True, slots=True)
class ProseKey:
    """How one spelling may be matched inside running text."""

    iso3: str | None  # None: a blocker ("South America") that only shadows shorter names
    key: str
    case_exact: str | None = None  # abbreviations: the exact capitals required ("US")
    needs_capital: bool = False
    is_city: bool = False  # counts only when no country is named


@dataclass(slots=True)
class NameIndex:
    """Normalised spelling -> ISO3 (None = known non-country or ambiguous)."""

    names: dict[str, str | None] = field(default_factory=dict)
    tiers: dict[str, int] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)  # "FR"/"FRA" (upper case) -> ISO3
    cities: dict[str, str] = field(default_factory=dict)  # normalised city -> ISO3
    ambiguous: dict[str, set[str]] = field(default_factory=dict)
    prose: dict[tuple[str, ...], ProseKey] = field(default_factory=dict)
    no_space_keys: list[ProseKey] = field(default_factory=list)
    max_tokens: int = 1

    def add(self, raw: str, iso3: str | None, tier: int) -> None:
        """Record one spelling unless a higher-priority source already decided it."""
        key = normalize(raw)
        if not key:
            return
        iso3 = MERGED_INTO_POLYGON.get(iso3, iso3) if iso3 else None
        known_tier = self.tiers.get(key)
        if known_tier is None:
            self.names[key], self.tiers[key] = iso3, tier
        elif known_tier == tier and self.names[key] != iso3 and tier != TIER_ALIAS:
            self.ambiguous.setdefault(key, set()).update({self.names[key] or "", iso3 or ""})
            self.names[key] = None


def canonical(iso3: str) -> str:
    """Map an ISO3 without a polygon of its own (REU, SJM...) to the polygon's code."""
    return MERGED_INTO_POLYGON.get(iso3, iso3)


def _pycountry_entries() -> list[tuple[str, str]]:
    import pycountry  # local: only needed while the index is built

    entries: list[tuple[str, str]] = []
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if not value:
                continue
            entries.append((value, country.alpha_3))
            if ", " in value:  # "Korea, Republic of" -> "Republic of Korea"
                head, tail = value.split(", ", 1)
                entries.append((f"{tail} {head}", country.alpha_3))
    return entries


def _codes() -> dict[str, str]:
    import pycountry

    codes: dict[str, str] = {}
    for country in pycountry.countries:
        codes[country.alpha_2] = canonical(country.alpha_3)
        codes[country.alpha_3] = canonical(country.alpha_3)
    codes.update({"XK": "XKX", "XKX": "XKX", "UK": "GBR"})
    return codes


def _prose_entry(
    key: str, iso3: str | None, tier: int, abbreviations: dict[str, str]
) -> ProseKey | None:
    if key in abbreviations:
        return ProseKey(iso3, key, case_exact=abbreviations[key])
    no_space = is_no_space_script(key)
    if key in aliases.NOT_IN_PROSE or (len(key) < 4 and not no_space):
        return None
    if tier == TIER_NE_FOREIGN and len(key) < 5 and not no_space:
        return None  # short foreign spellings collide with English words ("Chad" is fine in EN)
    return ProseKey(iso3, key, needs_capital=key in aliases.NEEDS_CAPITAL_IN_PROSE)


@lru_cache(maxsize=1)
def name_index() -> NameIndex:  # noqa: C901 - one flat pass per name source
    """Build (once per process) the index of every spelling this package knows."""
    index = NameIndex()
    for raw, iso3 in aliases.COUNTRY_ALIASES.items():
        index.add(raw, iso3, TIER_ALIAS)
    for raw in aliases.REGION_BLOCKERS:
        index.add(raw, None, TIER_ALIAS)
    for raw, iso3 in _pycountry_entries():
        index.add(raw, iso3, TIER_PYCOUNTRY)
    rows = attributes()
    sources = ((TIER_NE_ENGLISH, NE_ENGLISH_COLUMNS), (TIER_NE_FOREIGN, NE_FOREIGN_COLUMNS))
    for tier, columns in sources:
        for column in columns:
            for raw, iso3 in zip(rows[column], rows["iso3"], strict=True):
                if isinstance(raw, str) and isinstance(iso3, str):
                    index.add(raw, iso3, tier)
    # saints: "Saint Lucia" is also written "St Lucia" / "St. Lucia"
    for key in [k for k in index.names if k.startswith("saint ")]:
        short = "st " + key[len("saint ") :]
        if short not in index.names:
            index.names[short], index.tiers[short] = index.names[key], index.tiers[key]
    index.codes = _codes()
    abbreviations = {normalize(a): a.replace(".", "") for a in aliases.PROSE_ABBREVIATIONS}
    for key, code in index.names.items():
        if key in index.ambiguous:
            continue
        entry = _prose_entry(key, code, index.tiers[key], abbreviations)
        if entry is None:
            continue
        if is_no_space_script(key):
            index.no_space_keys.append(entry)
        else:
            tokens = tuple(key.split())
            index.prose[tokens] = entry
            index.max_tokens = max(index.max_tokens, len(tokens))
    for raw, code in aliases.CITY_COUNTRY.items():
        key = normalize(raw)
        index.cities[key] = code
        tokens = tuple(key.split())
        if tokens not in index.prose:  # a country spelling never becomes a city
            index.prose[tokens] = ProseKey(code, key, needs_capital=True, is_city=True)
            index.max_tokens = max(index.max_tokens, len(tokens))
    index.no_space_keys.sort(key=lambda e: -len(e.key))
    return index
