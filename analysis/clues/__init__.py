"""Clues cited in a model's reasoning: taxonomy, extraction, fact checks and per-run analysis.

``extract_clues(text)`` reads the clues an answer cites (rules and lexicons, offline);
``check_claim(claim, iso3, lat)`` compares a checkable claim with the true location;
``clue_summary(frame)`` relates citing a category to country accuracy, per run.
See docs/clues.md.
"""

from analysis.clues.extract import extract_clues, extract_many
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
    "extract_clues",
    "extract_many",
]
