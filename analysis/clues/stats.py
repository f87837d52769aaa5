"""Clues versus accuracy, per run: what each category's citation says about getting it right.

Input: an evaluation frame with the raw answers, as ``Store.run_frame(run, with_raw=True)`` or
``Store.runs_frame(runs, with_raw=True)`` return it (``sample_id, location_id, true_country,
true_lat, pred_country, raw_response`` and, for several runs, ``run``). A sample is correct when
its predicted country equals the true one (no guess counts wrong, as in country accuracy).

Intervals come from the project's location-clustered bootstrap (``analysis.metrics.resample``):
all categories of a run share the same resamples, and the lift's interval is the percentile
interval of the per-resample difference, not a difference of intervals.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.clues.extract import extract_clues
from analysis.clues.facts import check_claim
from analysis.clues.taxonomy import category, category_ids
from analysis.clues.types import Clue, Verdict
from analysis.errors import InputError
from analysis.metrics.compute import check_bootstrap_args
from analysis.metrics.data import DEFAULT_CLUSTER, cluster_codes
from analysis.metrics.resample import percentile_interval, resample_terms
from analysis.metrics.terms import Ratio, Term, evaluate

CLUE_COLUMNS = (
    "row", "sample_id", "category", "evidence", "start", "end", "claim_kind", "claim_value",
    "verdict",
)  # fmt: skip
SUMMARY_COLUMNS = (
    "run", "category", "label", "n", "n_cited", "citation_rate", "acc_cited", "acc_cited_low",
    "acc_cited_high", "acc_not_cited", "acc_not_cited_low", "acc_not_cited_high", "lift",
    "lift_low", "lift_high", "n_claims", "n_checkable", "n_contradicted", "contradiction_rate",
)  # fmt: skip
WRONG_COLUMNS = (
    "run", "true_country", "category", "n_wrong", "n_wrong_citing", "share_of_wrong", "example",
)  # fmt: skip
_REQUIRED = ("true_country", "pred_country")


def _check_frame(frame: pd.DataFrame, text_column: str) -> None:
    missing = [c for c in (*_REQUIRED, text_column) if c not in frame.columns]
    if missing:
        raise InputError(
            f"clue analysis needs the columns {', '.join(missing)}; "
            "read the run with run_frame(run, with_raw=True)"
        )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _lat(value: object) -> float | None:
    try:
        lat = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return lat if np.isfinite(lat) else None


def _country(value: object) -> str | None:
    return value.strip().upper() or None if isinstance(value, str) else None


def correct_array(frame: pd.DataFrame) -> np.ndarray:
    """Return 1.0 where the predicted country is the true one, else 0.0 (float64)."""

    # vectorised (a Python loop over a 1M-row run took ~2.7 s); same rule as ``_country``
    def codes(column: str) -> pd.Series:
        values = frame[column]
        if not pd.api.types.is_string_dtype(values.dtype) or values.dtype == object:
            values = values.where(values.map(lambda v: isinstance(v, str)), None)
        text = values.astype("string")
        code: pd.Series = text.str.strip().str.upper()
        return code.mask(code == "")

    true, pred = codes("true_country"), codes("pred_country")
    return (true.notna() & (true == pred)).fillna(False).to_numpy(dtype=float)


def clue_table(frame: pd.DataFrame, text_column: str = "raw_response") -> pd.DataFrame:
    """Return one row per clue found in each answer, with its claim's verdict.

    Columns (``CLUE_COLUMNS``): row (position in ``frame``), sample_id, category, evidence,
    start, end (offsets into the answer), claim_kind, claim_value (None without a claim),
    verdict (consistent / contradicted / not_checkable; None without a claim).
    """
    _check_frame(frame, text_column)
    ids = _column(frame, "sample_id")
    lats = _column(frame, "true_lat")
    countries = frame["true_country"].to_numpy(dtype=object)
    # runs repeat answers ("France."): read each distinct text once, then visit only the rows
    # whose text cites something (a 1M-row run without reasoning costs one factorize)
    codes, uniques = pd.factorize(frame[text_column], use_na_sentinel=True)
    found = [extract_clues(t) if (t := _text(u)) else () for u in uniques.tolist()]
    citing = np.flatnonzero(np.array([bool(c) for c in found] + [False])[codes])
    records: list[tuple[object, ...]] = []
    for row in citing.tolist():
        for clue in found[codes[row]]:
            records.append(_record(row, ids[row], clue, countries[row], lats[row]))
    return pd.DataFrame.from_records(records, columns=list(CLUE_COLUMNS))


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name in frame.columns:
        return frame[name].to_numpy(dtype=object)
    return np.full(len(frame), None, dtype=object)


def _record(
    row: int, sample_id: object, clue: Clue, true_country: object, true_lat: object
) -> tuple[object, ...]:
    claim = clue.claim
    verdict = (
        None if claim is None else check_claim(claim, _country(true_country), _lat(true_lat)).value
    )
    return (
        row, sample_id, clue.category, clue.evidence, clue.start, clue.end,
        None if claim is None else claim.kind, None if claim is None else claim.value, verdict,
    )  # fmt: skip


def _groups(frame: pd.DataFrame, by: Sequence[str]) -> list[tuple[str | None, np.ndarray]]:
    keys = [c for c in by if c in frame.columns]
    if not keys:
        return [(None, np.arange(len(frame)))]
    labels = frame[keys].astype(str).agg(" / ".join, axis=1) if len(keys) > 1 else frame[keys[0]]
    out: list[tuple[str | None, np.ndarray]] = []
    for label in pd.unique(labels):
        out.append((str(label), np.flatnonzero((labels == label).to_numpy())))
    return out


def _summarise_group(
    run: str | None,
    sub: pd.DataFrame,
    cited: dict[str, np.ndarray],
    claims: pd.DataFrame,
    options: tuple[int, int, float, str | None],
) -> list[dict[str, object]]:
    n_resamples, seed, level, cluster = options
    correct = correct_array(sub)
    cats = category_ids()
    # a category nobody cites has no "cited" accuracy and its "not cited" accuracy is the run's
    # accuracy: one shared term instead of two per category (most runs cite a few categories)
    overall = Ratio(correct, np.ones(len(sub)))
    terms: list[Term] = [overall]
    slots: dict[str, tuple[int, int]] = {}
    for cat in cats:
        yes = cited[cat]
        if yes.any():
            slots[cat] = (len(terms), len(terms) + 1)
            terms += [Ratio(correct * yes, yes), Ratio(correct * (1.0 - yes), 1.0 - yes)]
    codes, n_clusters = cluster_codes(sub.reset_index(drop=True), cluster)
    draws = resample_terms(terms, codes, n_clusters, n_resamples, seed)
    nan_draws = np.full(draws.shape[0], np.nan)
    rows: list[dict[str, object]] = []
    n = len(sub)
    for cat in cats:
        yes = cited[cat]
        if cat in slots:
            i_yes, i_no = slots[cat]
            acc_yes, acc_no = evaluate(terms[i_yes]), evaluate(terms[i_no])
            yes_draws, no_draws = draws[:, i_yes], draws[:, i_no]
        else:
            acc_yes, acc_no = np.nan, evaluate(overall)
            yes_draws, no_draws = nan_draws, draws[:, 0]
        low_yes, high_yes = percentile_interval(yes_draws, level)
        low_no, high_no = percentile_interval(no_draws, level)
        low_lift, high_lift = percentile_interval(yes_draws - no_draws, level)
        # clues without a claim are not claims: they must not dilute the contradiction rate
        mine = claims[(claims["category"] == cat) & claims["claim_kind"].notna()]
        checkable = mine[mine["verdict"] != Verdict.NOT_CHECKABLE.value]
        contradicted = int((checkable["verdict"] == Verdict.CONTRADICTED.value).sum())
        rows.append(
            {
                "run": run, "category": cat, "label": category(cat).label, "n": n,
                "n_cited": int(yes.sum()), "citation_rate": float(yes.mean()) if n else np.nan,
                "acc_cited": acc_yes, "acc_cited_low": low_yes, "acc_cited_high": high_yes,
                "acc_not_cited": acc_no, "acc_not_cited_low": low_no,
                "acc_not_cited_high": high_no, "lift": acc_yes - acc_no,
                "lift_low": low_lift, "lift_high": high_lift, "n_claims": len(mine),
                "n_checkable": len(checkable), "n_contradicted": contradicted,
                "contradiction_rate": contradicted / len(checkable) if len(checkable) else np.nan,
            }
        )  # fmt: skip
    return rows


def clue_summary(
    frame: pd.DataFrame,
    n_resamples: int = 1000,
    seed: int = 0,
    level: float = 0.95,
    cluster: str | None = DEFAULT_CLUSTER,
    by: Sequence[str] = ("run",),
    text_column: str = "raw_response",
    clues: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Relate citing each clue category to country accuracy, per run (one row per category).

    Columns (``SUMMARY_COLUMNS``): run (None for a frame without ``by`` columns), category,
    label, n (samples), n_cited, citation_rate (share of samples citing the category at least
    once), acc_cited / acc_not_cited (country accuracy of samples that cite / do not cite it,
    NaN when there are none) each with _low/_high percentile bootstrap bounds resampling
    ``cluster``, lift = acc_cited - acc_not_cited with its bounds, n_claims (claims in that
    category), n_checkable (not ``not_checkable``), n_contradicted, contradiction_rate
    (n_contradicted / n_checkable, NaN when nothing is checkable).

    Args:
        clues: the frame's ``clue_table`` when already computed (saves extracting twice).
    """
    check_bootstrap_args(n_resamples, level)
    _check_frame(frame, text_column)
    table = clue_table(frame, text_column) if clues is None else clues
    rows: list[dict[str, object]] = []
    for run, idx in _groups(frame, by):
        sub = frame.iloc[idx]
        mine = table[table["row"].isin(idx)]
        cited = {cat: np.zeros(len(idx)) for cat in category_ids()}
        # idx is sorted (flatnonzero / arange): a row's position in the group by binary search
        positions = np.searchsorted(idx, mine["row"].to_numpy(dtype=np.int64))
        for position, cat in zip(positions.tolist(), mine["category"], strict=True):
            if cat in cited:
                cited[cat][position] = 1.0
        rows += _summarise_group(run, sub, cited, mine, (int(n_resamples), seed, level, cluster))
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def wrong_answer_clues(
    frame: pd.DataFrame,
    top_k: int = 3,
    by: Sequence[str] = ("run",),
    text_column: str = "raw_response",
    clues: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return, per run and true country, the categories most often cited by wrong answers.

    Columns (``WRONG_COLUMNS``): run, true_country, category, n_wrong (wrong answers for that
    country), n_wrong_citing (of them, those citing the category), share_of_wrong
    (n_wrong_citing / n_wrong), example (the most frequent evidence text). At most ``top_k``
    categories per country, most cited first (ties by category order).
    """
    _check_frame(frame, text_column)
    table = clue_table(frame, text_column) if clues is None else clues
    wrong = correct_array(frame) == 0.0
    order = {cat: i for i, cat in enumerate(category_ids())}
    out: list[dict[str, object]] = []
    for run, idx in _groups(frame, by):
        wrong_idx = idx[wrong[idx]]
        countries = [_country(v) for v in frame["true_country"].iloc[wrong_idx]]
        mine = table[table["row"].isin(wrong_idx)]
        for iso3 in sorted({c for c in countries if c is not None}):
            rows_here = {int(r) for r, c in zip(wrong_idx, countries, strict=True) if c == iso3}
            here = mine[mine["row"].isin(rows_here)]
            citing = here.drop_duplicates(["row", "category"])["category"].value_counts()
            ranked = sorted(citing.items(), key=lambda kv: (-kv[1], order.get(str(kv[0]), 99)))
            for cat, count in ranked[:top_k]:
                evidence = Counter(here.loc[here["category"] == cat, "evidence"].str.lower())
                out.append(
                    {
                        "run": run, "true_country": iso3, "category": cat,
                        "n_wrong": len(rows_here), "n_wrong_citing": int(count),
                        "share_of_wrong": int(count) / len(rows_here),
                        "example": evidence.most_common(1)[0][0],
                    }
                )  # fmt: skip
    return pd.DataFrame(out, columns=list(WRONG_COLUMNS))
