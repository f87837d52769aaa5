"""Clues cited in a model's reasoning: taxonomy, extraction, fact checks and per-run analysis.

``extract_clues(text)`` reads the clues an answer cites (rules and lexicons, offline);
``check_claim(claim, iso3, lat)`` compares a checkable claim with the true location;
``analysis.clues.stats.clue_summary(frame)`` relates citing a category to country accuracy, per
run (imported from its module: it needs pandas and the metrics engine).
See docs/clues.md.
"""

from analysis.clues.extract import extract_clues, extract_many
from analysis.clues.facts import check_claim
from analysis.clues.taxonomy import CATEGORIES, ClueCategory, category, category_ids
from analysis.clues.types import CLAIM_KINDS, Claim, ClaimKind, Clue, Verdict

__all__ = [
    "CATEGORIES",
    "CLAIM_KINDS",
    "Claim",
    "ClaimKind",
    "Clue",
    "ClueCategory",
    "Verdict",
    "category",
    "category_ids",
    "check_claim",
    "extract_clues",
    "extract_many",
]
