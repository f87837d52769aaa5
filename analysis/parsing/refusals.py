"""Recognise replies that decline to answer, that say the place cannot be told, or that hedge.

Three families of phrases, in English, French, Spanish, German, Chinese and Japanese:
- *refusal*: the model will not do the task ("I can't help identify where this photo was taken");
- *unknown*: the model tried and cannot tell ("there are not enough clues to determine the country");
- *guess*: the model commits to an answer despite a caveat ("but my best guess is Portugal").
They complement ``analysis.geo.names`` (which classifies short values and English prose) for
whole replies in other languages, and let the parser tell a country named while declining
("I can't help with that; if you like Italy, ...") from a committed guess. Each family is one
precompiled alternation.
"""

from __future__ import annotations

import re

_NEG = (
    r"(?:can ?not|can'?t|can’t|could ?not|couldn'?t|couldn’t|am unable to|am not able to|"
    r"'m unable to|'m not able to|’m unable to|’m not able to|won'?t|won’t|will not|"
    r"unable to|not able to|do not|don'?t|don’t)"
)
_REFUSAL_PATTERNS = (
    # English
    (
        rf"\b{_NEG} (?:help|assist)(?: you)?(?: with)?(?: (?:identify|identifying|determin|locat|"
        r"pinpoint|geolocat|find|guess|that|this|the request|requests?)\w*)"
    ),
    (
        rf"\b{_NEG} (?:provide|share|give|offer|disclose|speculate)(?: you)?(?: with)? "
        r"(?:the |a |an |any |its |specific |precise |exact |information about )*"
        r"(?:location|whereabouts|geolocation|place|speculation)"
    ),
    (
        rf"\b{_NEG} (?:identify|determine|reveal|infer|guess) (?:the )?(?:real[- ]world )?"
        r"locations? (?:of|from|in|shown in|depicted in) (?:images|photos|pictures|people|"
        r"individuals|private)"
    ),
    r"\bi(?:'m| am|’m) not (?:allowed|permitted|comfortable)",
    r"\b(?:against|violates?) (?:my|our|the) (?:guidelines|polic(?:y|ies)|usage polic)",
    r"\b(?:for|due to|out of respect for|to protect) (?:\w+ )?privacy\b",
    r"\bi (?:must|have to) (?:decline|refrain)",
    r"\bi (?:do not|don't|don’t) (?:identify|geolocate|locate|determine) (?:the )?locations?",
    r"\bnot (?:something|a task) i can (?:help|assist)",
    r"\bi can(?:not|'t|’t) (?:comply|fulfil|fulfill|do that|do this)",
    # French, Spanish, German
    r"\bje ne (?:peux|suis pas en mesure de) pas (?:vous )?aider",
    r"\bje ne peux pas (?:vous aider|répondre à cette demande|identifier (?:des|les) lieux)",
    r"\bno puedo (?:ayudar|ayudarte|asistir)",
    r"\b(?:kann|darf|können)(?: \w+){0,4}? nicht (?:helfen|behilflich)",
    # Chinese, Japanese
    r"(?:抱歉|对不起|對不起)[，,]?\s*(?:我)?(?:不能|无法|無法)(?:协助|協助|帮助|幫助|提供)",
    r"(?:我)?(?:不能|无法|無法)(?:协助|協助|帮助|幫助)",
    r"お手伝いできません|お答えできません|回答を控え",
)
_UNKNOWN_PATTERNS = (
    # English
    (
        rf"\b{_NEG} (?:(?!help\b|assist\b)\w+ )?(?:determine|tell|identify|say|pinpoint|know|"
        r"figure out|be (?:certain|sure)|ascertain|establish|infer|conclude|guess|narrow)"
    ),
    (
        r"\b(?:impossible|difficult|hard|not possible|challenging) to (?:\w+ )?(?:determine|tell|"
        r"identify|say|pinpoint|know|judge)"
    ),
    (
        r"(?:\bnot|n't|\binsufficient|\btoo few|\bno) (?:enough )?(?:information|clues|context|"
        r"details|evidence|distinctive|identifiable|visible|clear|obvious|specific|unique)"
    ),
    r"\bcould be (?:almost |nearly |just about )?anywhere\b",
    r"\b(?:unknown|undetermined|indeterminate|unclear|uncertain|inconclusive)\b",
    r"\bi(?:'m| am|’m) not (?:sure|certain)\b",
    r"\bi (?:do not|don't|don’t) know\b",
    r"\bno way to (?:know|tell)\b",
    r"\bcannot be determined\b",
    # French
    r"\b(?:impossible|difficile) de (?:déterminer|dire|savoir|identifier)",
    r"\bje ne (?:peux|sais) pas (?:déterminer|dire|identifier|savoir)",
    r"\b(?:inconnu|indéterminé)e?\b",
    r"\bpas (?:assez|suffisamment) d['’](?:indices|informations)",
    # Spanish
    r"\bno (?:puedo|es posible|se puede) (?:\w+ )?(?:determinar|decir|identificar|saber)",
    r"\b(?:desconocido|indeterminado)\b",
    r"\b(?:difícil|imposible) (?:de )?(?:determinar|saber|decir)",
    # German
    (
        r"\b(?:kann|lässt sich|können)(?: \w+){0,6}? nicht (?:\w+ )?(?:bestimmen|sagen|erkennen|"
        r"feststellen|zuordnen|ermitteln)"
    ),
    r"\b(?:unbekannt|unklar|nicht (?:möglich|eindeutig))\b",
    # Chinese, Japanese
    r"无法确定|無法確定|无法判断|無法判斷|不确定|不確定|未知|不知道|难以确定|難以確定|无法识别|無法識別",
    r"特定できません|判断できません|わかりません|分かりません|不明|特定は困難|断定できません",
)
_GUESS_PATTERNS = (
    # English
    r"\b(?:most |quite |very |highly )?(?:likely|probably|probable)\b",
    r"\b(?:my |best |educated |final )guess\b",
    r"\bi(?:'d| would)? (?:guess|say|estimate|lean towards?|go with|suspect)\b",
    (
        r"\b(?:suggests|suggesting|indicates|indicating|points to|consistent with|typical of|"
        r"characteristic of)\b"
    ),
    r"\b(?:appears|seems) to be\b|\blooks like\b",
    r"\bi (?:think|believe)\b",
    r"\b(?:final )?answer\s*(?:is|:)",
    # French, Spanish, German
    r"\b(?:probablement|vraisemblablement|sans doute|je dirais|semble|suggère|indique)\b",
    r"\b(?:probablemente|seguramente|diría|parece|sugiere|indica)\b",
    r"\b(?:wahrscheinlich|vermutlich|vermute|deutet|tippe|spricht für|scheint)\b",
    # Chinese, Japanese
    r"可能是|很可能|应该是|應該是|估计|估計|推测|推測|猜测|猜測|看起来|看起來|最有可能|我认为|我認為",
    r"おそらく|恐らく|たぶん|多分|思われ|と思います|可能性が高い|推測",
)


def _compile(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_REFUSAL_RE = _compile(_REFUSAL_PATTERNS)
_UNKNOWN_RE = _compile(_UNKNOWN_PATTERNS)
_GUESS_RE = _compile(_GUESS_PATTERNS)


def _normalise(text: str) -> str:
    # Curly apostrophes are common in chat output; patterns are written with both, but folding
    # them keeps the alternations short where they are not.
    return text.replace("’", "'").replace("‘", "'")


def find_refusal(text: str) -> str | None:
    """Return the phrase by which ``text`` declines the task, or None."""
    m = _REFUSAL_RE.search(_normalise(text))
    return m.group(0) if m else None


def find_unknown(text: str) -> str | None:
    """Return the phrase by which ``text`` says the place cannot be told, or None."""
    m = _UNKNOWN_RE.search(_normalise(text))
    return m.group(0) if m else None


def find_guess(text: str) -> str | None:
    """Return the phrase by which ``text`` commits to a guess, or None."""
    m = _GUESS_RE.search(_normalise(text))
    return m.group(0) if m else None
