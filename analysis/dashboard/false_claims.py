"""The false facts a run's answers state most often: what misleads a model, and where.

Each checkable claim of an answer (driving side, script, language, hemisphere, a landmark's
country) is checked against that answer's truth (``analysis.clues.facts``). Counting the
contradicted ones per claim, with the true countries they were made about and the countries
guessed, turns single wrong answers into a pattern: "signs in Spanish" said of Brazil, then
Brazil guessed as Argentina.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import pandas as pd

from analysis.clues.types import Verdict
from analysis.dashboard.clues import RunClues, claim_text

FALSE_CLAIM_COLUMNS = (
    "run", "claim", "n_contradicted", "n_checkable", "true_countries", "guessed_countries",
)  # fmt: skip
TOP_COUNTRIES = 2  # countries named per cell (the table must fit a screen); the rest: "+N more"


def _countries(codes: Sequence[object], names: Mapping[str, str]) -> str:
    """ "Brazil 12, Portugal 3, +2 more": the most frequent first (ties by code)."""
    counts = Counter(c for c in codes if isinstance(c, str) and c)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = [f"{names.get(code, code)} {n:,}" for code, n in ranked[:TOP_COUNTRIES]]
    rest = len(ranked) - TOP_COUNTRIES
    none = len(codes) - sum(counts.values())  # no guess (refused, failed)
    return ", ".join(
        [*shown, *([f"+{rest} more"] if rest > 0 else []), *([f"none {none:,}"] if none else [])]
    )


def false_claims(
    readings: Sequence[RunClues], names: Mapping[str, str], top: int = 5
) -> pd.DataFrame:
    """Return each run's most often contradicted claims (``FALSE_CLAIM_COLUMNS``).

    An answer counts once per claim, however often it repeats it. ``n_checkable`` is how many
    answers made that claim where it could be checked; rows come per run in the order of
    ``readings``, most contradicted first (ties by claim), at most ``top`` per run.
    """
    rows: list[dict[str, object]] = []
    checked = {Verdict.CONSISTENT.value, Verdict.CONTRADICTED.value}
    for reading in readings:
        table = reading.table
        if table.empty:
            continue
        mine = table[table["verdict"].isin(checked)]
        mine = mine.drop_duplicates(["row", "claim_kind", "claim_value"])
        groups = []
        for (kind, value), group in mine.groupby(["claim_kind", "claim_value"], sort=True):
            bad = group.loc[group["verdict"] == Verdict.CONTRADICTED.value, "row"].astype(int)
            if not bad.empty:
                groups.append((kind, value, bad.tolist(), len(group)))
        groups.sort(key=lambda g: (-len(g[2]), str(g[0]), str(g[1])))
        frame = reading.frame
        for kind, value, bad_rows, n_checkable in groups[:top]:
            rows.append(
                {
                    "run": reading.run,
                    "claim": claim_text(kind, value),
                    "n_contradicted": len(bad_rows),
                    "n_checkable": n_checkable,
                    "true_countries": _countries(
                        frame["true_country"].iloc[bad_rows].tolist(), names
                    ),
                    "guessed_countries": _countries(
                        frame["pred_country"].iloc[bad_rows].tolist(), names
                    ),
                }
            )
    return pd.DataFrame(rows, columns=list(FALSE_CLAIM_COLUMNS))


def false_claims_display(frame: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """Return ``false_claims`` as the page's columns: run label, claim, "41 of 67", countries."""
    return pd.DataFrame(
        {
            "run": [labels.get(str(run), str(run)) for run in frame["run"]],
            "claim": frame["claim"],
            "contradicted": [
                f"{int(bad):,} of {int(n):,}"
                for bad, n in zip(frame["n_contradicted"], frame["n_checkable"], strict=True)
            ],
            "true country": frame["true_countries"],
            "guessed": frame["guessed_countries"],
        }
    )
