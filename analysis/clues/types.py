"""Named results of clue extraction and fact checking."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

ClaimKind = Literal["driving_side", "script", "language", "hemisphere", "landmark"]
CLAIM_KINDS: tuple[ClaimKind, ...] = (
    "driving_side", "script", "language", "hemisphere", "landmark",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Claim:
    """A checkable statement made by a clue.

    Values: driving_side ``left`` / ``right`` (the side traffic keeps to); script an English
    script name (``Cyrillic``, ``Han``, ``Kana`` ...); language an English language name
    (``Portuguese``); hemisphere ``north`` / ``south``; landmark the ISO3 code of the country
    a named landmark stands in (``FRA``), several joined by ``+`` for one on a border
    (``CAN+USA``, Niagara Falls).
    """

    kind: ClaimKind
    value: str


@dataclass(frozen=True, slots=True)
class Clue:
    """One cited clue: its category id, the span of text citing it and what it claims."""

    category: str
    evidence: str
    start: int  # offsets into the original text: text[start:end] == evidence
    end: int
    claim: Claim | None = None


class Verdict(StrEnum):
    """How a claim compares with the sample's true location."""

    CONSISTENT = "consistent"
    CONTRADICTED = "contradicted"
    NOT_CHECKABLE = "not_checkable"
