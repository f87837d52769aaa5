"""Judge mode, the model-free half: the judge prompt, reading its reply, and rule-vs-judge agreement.

A judge is a model preset asked, for one stored answer (its text only, never the image), which
clues the answer cites, as a JSON list of ``{category, evidence, claim}``. Its reply is checked
here: items of an unknown category are dropped and counted, evidence and claims are cut to a
sane length, anything that is not the expected shape is an error kept with the judgement. The
calls themselves (cache, cost caps, resume) go through the shared model-call core in
``analysis.commands.clues_judge``; this module imports no model code.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.clues.taxonomy import CATEGORIES, category_ids

JUDGE_VERSION = "1"
MAX_EVIDENCE_CHARS = 300
MAX_CLAIM_CHARS = 200
MAX_ANSWER_CHARS = 12_000  # longer answers are cut before they are sent (the judge reads text)
AGREEMENT_COLUMNS = ("category", "label", "both", "rule_only", "judge_only", "neither", "agreement")


def _category_lines() -> str:
    return "\n".join(
        f"- {c.id}: {c.description}" for c in (CATEGORIES.get(i) for i in category_ids())
    )


def judge_system() -> str:
    """Return the judge's instructions (the taxonomy's ids and descriptions are part of them)."""
    return (
        "You annotate the reasoning that a geolocation model wrote about a photo. You do not "
        "see the photo and you do not judge whether the model was right. List every piece of "
        "visual evidence the text relies on, using exactly one of these category ids:\n"
        f"{_category_lines()}\n\n"
        "Count only evidence the text says is present. Skip things it says are absent, "
        "unreadable or merely hoped for, and skip the final answer itself.\n"
        "Reply with a JSON list and nothing else. Each item is an object with three keys: "
        '"category" (one id from the list), "evidence" (the words of the text that cite it, '
        'copied exactly, at most 20 words) and "claim" (a checkable fact the clue asserts, '
        'such as "drives on the left", "Cyrillic script", "signs in Portuguese" or "southern '
        'hemisphere", or null). Reply [] when the text cites no evidence.'
    )


def judge_request(answer: str) -> str:
    """Return the user message that hands one answer to the judge."""
    text = answer[:MAX_ANSWER_CHARS]
    return f"The model's reply, between the markers:\n<<<REPLY\n{text}\nREPLY>>>"


def judge_prompt_hash(answer: str) -> str:
    """Return the hash of the whole judge request (version, instructions, answer): a cache key."""
    payload = json.dumps(
        {"judge": JUDGE_VERSION, "system": judge_system(), "user": judge_request(answer)},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def answer_sha256(answer: str) -> str:
    """Return the SHA-256 of an answer: a stored judgement is reused only for the same text."""
    return hashlib.sha256(answer.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class JudgedClue:
    """One clue the judge listed (category is a known id)."""

    category: str
    evidence: str
    claim: str | None


@dataclass(frozen=True)
class JudgeVerdict:
    """The judge's reply as read: kept clues, how many items were dropped, and why if unreadable."""

    clues: tuple[JudgedClue, ...]
    n_dropped: int = 0  # items of an unknown category, or not objects
    error: str | None = None  # the reply held no JSON list at all

    def to_json(self) -> str:
        """Return the kept clues as the JSON stored in ``clue_judgements.clues_json``."""
        return json.dumps(
            [
                {"category": c.category, "evidence": c.evidence, "claim": c.claim}
                for c in self.clues
            ],
            ensure_ascii=False,
        )


_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL | re.IGNORECASE)
_ALIASES = {
    c.label.lower(): c.id for c in (CATEGORIES.get(i) for i in category_ids())
}  # "Driving side" -> driving_side: judges echo labels too


def _normalise_category(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if text in _ALIASES:
        return _ALIASES[text]
    ident = re.sub(r"[\s\-/]+", "_", text.replace("&", "and"))
    return ident if ident in set(category_ids()) else None


def _load_list(text: str) -> list[object] | None:
    """Return the first JSON list in ``text`` (bare, fenced, or under a "clues" key)."""
    candidates = [m.group(1) for m in _FENCE.finditer(text)] + [text]
    decoder = json.JSONDecoder()
    for candidate in candidates:
        for start in (i for i, ch in enumerate(candidate) if ch in "[{"):
            try:
                value, _ = decoder.raw_decode(candidate, start)
            except ValueError:
                continue
            if isinstance(value, dict) and isinstance(value.get("clues"), list):
                return list(value["clues"])
            if isinstance(value, list):
                return value
    return None


def _short(value: object, limit: int) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_judge_reply(text: str | None) -> JudgeVerdict:
    """Read a judge's reply: keep items of a known category, count the others.

    Accepts a bare JSON list, one in a ```json fence or after some words, or an object with a
    ``clues`` list. Category ids are matched after normalising case, spaces and dashes; a
    category label ("Driving side") is accepted too.
    """
    if not text or not text.strip():
        return JudgeVerdict((), 0, "empty reply")
    items = _load_list(text)
    if items is None:
        return JudgeVerdict((), 0, "no JSON list in the reply")
    kept: list[JudgedClue] = []
    dropped = 0
    for item in items:
        cat = _normalise_category(item.get("category")) if isinstance(item, dict) else None
        if cat is None or not isinstance(item, dict):
            dropped += 1
            continue
        claim = item.get("claim")
        claim_text = None if claim in (None, "", "null") else _short(claim, MAX_CLAIM_CHARS)
        kept.append(
            JudgedClue(cat, _short(item.get("evidence") or "", MAX_EVIDENCE_CHARS), claim_text)
        )
    return JudgeVerdict(tuple(kept), dropped)


def judged_categories(clues_json: str | None) -> set[str]:
    """Return the categories of a stored judgement (empty for a missing or broken one)."""
    try:
        items = json.loads(clues_json or "[]")
    except ValueError:
        return set()
    if not isinstance(items, list):
        return set()
    return {str(i["category"]) for i in items if isinstance(i, dict) and "category" in i}


def agreement(
    rule: Mapping[str, Iterable[str]], judge: Mapping[str, Iterable[str]]
) -> pd.DataFrame:
    """Compare, per category, which answers the rules and the judge say cite it.

    Args:
        rule: sample id -> categories the rule-based reader found in that answer.
        judge: sample id -> categories the judge listed; only these samples are compared.

    Returns:
        One row per category (``AGREEMENT_COLUMNS``): answers citing it by both, by the rules
        only, by the judge only, by neither, and ``agreement`` = both / (both + rule only +
        judge only) (NaN when neither reader cites it anywhere).
    """
    rows = []
    samples = list(judge)
    for cat in category_ids():
        by_rule = {s for s in samples if cat in set(rule.get(s, ()))}
        by_judge = {s for s in samples if cat in set(judge[s])}
        both = len(by_rule & by_judge)
        rule_only, judge_only = len(by_rule - by_judge), len(by_judge - by_rule)
        union = both + rule_only + judge_only
        rows.append(
            {
                "category": cat,
                "label": CATEGORIES.get(cat).label,
                "both": both,
                "rule_only": rule_only,
                "judge_only": judge_only,
                "neither": len(samples) - union,
                "agreement": both / union if union else float("nan"),
            }
        )
    return pd.DataFrame(rows, columns=list(AGREEMENT_COLUMNS))
