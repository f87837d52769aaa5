"""SIMULATED reasoning for the demo's fake answers: a few clue sentences before each guess.

Part of the simulated demo (``analysis.demo``): no model wrote these texts and no photo was
looked at. They exist so the Clues page has something to show on first launch. A fake answer
cites clues that fit the country it *guesses*: its driving side, a language written there, the
hemisphere of its representative point, and scenery typical of its continent. A wrong guess
therefore makes claims the true location may contradict, as a real confused model does.
Answers that turn out right cite legible text more often and vague scenery less often, so the
accuracy lift of text is positive, as it tends to be in real runs.
"""

from __future__ import annotations

import numpy as np

from analysis.clues.facts import country_facts

# Scenery by continent (Natural Earth's CONTINENT): one sentence each, several categories.
_SCENERY: dict[str, tuple[str, ...]] = {
    "Europe": (
        "Terracotta roofs on whitewashed houses.",
        "Black-and-white bollards along the verge.",
        "Dense pine forest on both sides of the road.",
        "Overcast sky and green rolling hills.",
        "Dashed white centre line and solid edge lines.",
        "Soviet-era apartment blocks in the background.",
    ),
    "Asia": (
        "Tangled power lines on concrete poles.",
        "Rice paddies beside the road.",
        "A minaret rises behind the houses.",
        "Snow-capped mountains in the distance.",
        "Corrugated metal roofs on low houses.",
        "Palm trees and lush tropical vegetation.",
    ),
    "Africa": (
        "A red dirt road through dry scrub.",
        "Corrugated metal roofs on small houses.",
        "Acacia trees scattered over dry grass.",
        "Palm trees and lush tropical vegetation.",
        "Adobe houses on arid, rocky ground.",
    ),
    "North America": (
        "A double yellow centre line.",
        "Wooden utility poles carry the wires.",
        "Wide lanes and large pickup trucks.",
        "Dense pine forest on both sides of the road.",
        "Adobe houses on arid, rocky ground.",
    ),
    "South America": (
        "A red dirt road through farmland.",
        "Palm trees and lush tropical vegetation.",
        "Snow-capped mountains in the distance.",
        "Concrete utility poles with ladder holes.",
        "Yellow centre lines on a narrow road.",
    ),
    "Oceania": (
        "Eucalyptus trees and dry grass.",
        "A red dirt road through dry scrub.",
        "Wide roads with white edge lines.",
        "Palm trees and lush tropical vegetation.",
    ),
}
_DEFAULT_SCENERY = _SCENERY["Europe"]
# How a non-Latin script is named in a sentence the clue reader understands.
_SCRIPT_WORDS = {
    "Cyrillic": "Cyrillic lettering",
    "Greek": "Greek letters",
    "Hebrew": "Hebrew script",
    "Han": "Chinese characters",
    "Hangul": "Hangul",
    "Devanagari": "Devanagari script",
    "Georgian": "Georgian script",
    "Armenian": "Armenian script",
    "Thai": "Thai script",
    "Arabic": "Arabic script",
}
_OPENERS = (
    "Looking at the picture:",
    "Here is what I can see.",
    "Several details stand out.",
    "Reasoning from the scene:",
)
_NO_TEXT = (
    "No legible text is visible.",
    "There are no readable signs.",
)


def _text_sentence(rng: np.random.Generator, iso3: str) -> str | None:
    """Return a sentence about signs in a language (or script) used in ``iso3``."""
    facts = country_facts(iso3)
    if facts is None or not facts.languages:
        return None
    scripts = sorted(s for s in facts.scripts if s in _SCRIPT_WORDS)
    if scripts and rng.random() < 0.5:
        return f"The signs use {_SCRIPT_WORDS[scripts[int(rng.integers(0, len(scripts)))]]}."
    languages = sorted(facts.languages)
    language = languages[int(rng.integers(0, len(languages)))]
    where = ("The signs are written in", "A shop sign is written in", "A billboard in")
    return f"{where[int(rng.integers(0, len(where)))]} {language}."


def _driving_sentence(iso3: str) -> str | None:
    facts = country_facts(iso3)
    if facts is None or facts.driving_side is None:
        return None
    return f"Traffic drives on the {facts.driving_side}."


def _sun_sentence(rep_lat: float) -> str | None:
    if not np.isfinite(rep_lat) or abs(rep_lat) < 5:  # near the equator shadows say little
        return None
    half = "northern" if rep_lat > 0 else "southern"
    return f"The shadows suggest the {half} hemisphere."


def reasoning_text(
    rng: np.random.Generator,
    guess_iso3: str,
    guess_continent: str | None,
    guess_rep_lat: float,
    *,
    correct: bool,
    extra_clues: int = 0,
) -> str:
    """Write a short SIMULATED reasoning paragraph citing clues that fit the guessed country.

    Args:
        rng: the generator of this one answer (the demo seeds one per sample).
        guess_iso3: the country the fake model answers.
        guess_continent: its continent (picks the scenery), None for the default.
        guess_rep_lat: latitude of its representative point, degrees (picks the hemisphere).
        correct: whether the guess is the true country (right answers cite text more often).
        extra_clues: more sentences (a prompt listing clues to look for makes answers longer).
    """
    sentences: list[str] = []
    p_text = 0.65 if correct else 0.3
    text = _text_sentence(rng, guess_iso3) if rng.random() < p_text else None
    if text is not None:
        sentences.append(text)
    elif rng.random() < 0.3:
        sentences.append(_NO_TEXT[int(rng.integers(0, len(_NO_TEXT)))])
    if rng.random() < 0.35:
        driving = _driving_sentence(guess_iso3)
        if driving is not None:
            sentences.append(driving)
    if rng.random() < 0.15:
        sun = _sun_sentence(guess_rep_lat)
        if sun is not None:
            sentences.append(sun)
    scenery = _SCENERY.get(guess_continent or "", _DEFAULT_SCENERY)
    n_scenery = int(rng.integers(1, 3)) + extra_clues + (0 if correct else 1)
    picks = rng.choice(len(scenery), size=min(n_scenery, len(scenery)), replace=False)
    sentences += [scenery[int(i)] for i in picks]
    order = rng.permutation(len(sentences))
    opener = _OPENERS[int(rng.integers(0, len(_OPENERS)))]
    return " ".join([opener, *(sentences[int(i)] for i in order)])
