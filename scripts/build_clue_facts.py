"""Build analysis/clues/data/country_languages.csv from CLDR, read through Babel.

For every territory CLDR describes, keep the languages a sign there is likely to be written in:
official or de facto official ones, regional official ones spoken by at least 1 % of the
population, and any other spoken by at least 10 %. Each row carries the language's script
(from the CLDR key, "sr_Latn", or else its likely script) and English names. Run it again after
upgrading Babel (the CLDR version is written in the data README):

    .venv/bin/python scripts/build_clue_facts.py
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from babel import Locale, __version__
from babel.core import get_global

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.geo.names import iso2_to_iso3  # noqa: E402

OUT = ROOT / "analysis" / "clues" / "data" / "country_languages.csv"
MIN_REGIONAL_PCT = 1.0
MIN_UNOFFICIAL_PCT = 10.0
OFFICIAL = {"official", "de_facto_official"}

# ISO 15924 code -> the script names claims use ("+" joins scripts written together).
SCRIPT_NAMES = {
    "Latn": "Latin", "Cyrl": "Cyrillic", "Arab": "Arabic", "Grek": "Greek", "Hebr": "Hebrew",
    "Thai": "Thai", "Deva": "Devanagari", "Hang": "Hangul", "Kore": "Hangul+Han",
    "Jpan": "Han+Kana", "Hans": "Han", "Hant": "Han", "Hani": "Han", "Geor": "Georgian",
    "Armn": "Armenian", "Beng": "Bengali", "Taml": "Tamil", "Ethi": "Ethiopic", "Khmr": "Khmer",
    "Laoo": "Lao", "Sinh": "Sinhala", "Guru": "Gurmukhi", "Gujr": "Gujarati", "Telu": "Telugu",
    "Knda": "Kannada", "Mlym": "Malayalam", "Mymr": "Myanmar", "Tibt": "Tibetan",
    "Mong": "Mongolian", "Thaa": "Thaana", "Orya": "Odia", "Tfng": "Tifinagh",
}


def _script_of(key: str, likely: dict[str, str]) -> str:
    parts = key.split("_")
    if len(parts) > 1 and len(parts[1]) == 4:
        return parts[1]
    full = likely.get(parts[0], "")
    pieces = full.split("_")
    return pieces[1] if len(pieces) > 1 and len(pieces[1]) == 4 else ""


_ENGLISH = Locale("en")


def _english_name(lang: str) -> str:
    name = _ENGLISH.languages.get(lang)
    return str(name) if name else lang


def main() -> int:
    """Write the country -> language -> script table; print how many rows it has."""
    territories = get_global("territory_languages")
    likely = get_global("likely_subtags")
    rows: list[dict[str, str]] = []
    for iso2, languages in sorted(territories.items()):
        iso3 = iso2_to_iso3(iso2) if len(iso2) == 2 and iso2.isalpha() else None
        if iso3 is None:
            continue
        for key, info in languages.items():
            pct = float(info.get("population_percent") or 0.0)
            status = info.get("official_status") or ""
            keep = (
                status in OFFICIAL
                or (status == "official_regional" and pct >= MIN_REGIONAL_PCT)
                or pct >= MIN_UNOFFICIAL_PCT
            )
            if not keep:
                continue
            base = key.split("_")[0]
            code = _script_of(key, likely)
            rows.append(
                {
                    "iso3": iso3,
                    "language_code": key,
                    "language": _english_name(base),
                    "script_code": code,
                    "script": SCRIPT_NAMES.get(code, code),
                    "population_percent": f"{pct:g}",
                    "official_status": status,
                }
            )
    rows.sort(key=lambda r: (r["iso3"], -float(r["population_percent"]), r["language_code"]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows for {len({r['iso3'] for r in rows})} countries to {OUT}")
    print(f"babel {__version__}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
