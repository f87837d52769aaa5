"""Negation scope: which cited terms a text actually denies ("no visible text", "Landmark: none").

A term is denied when
- a negation cue comes shortly before it (at most ``PRE_MAX_WORDS`` words) with no clause break
  between them and no other category's term in the way ("no cars on the dirt road" denies the
  cars, not the road);
- a denial follows it closely ("the sign is too blurry to read", "Landmarks: none");
- it is listed together with a denied term ("no text, signs, or landmarks";
  "Text/Signage: none"). A comma followed by a term and a verb starts a new clause instead
  ("No text visible, vegetation is lush").
Clause breaks are sentence ends, semicolons, line breaks (real or JSON-escaped) and contrast or
cause words ("but", "however", "so", "because", "pero", "mais", "aber", "но", "但是").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.clues.folding import CasePattern, Folded

PRE_MAX_WORDS = 6
POST_MAX_WORDS = 5

_NOT_A_DENIAL = (
    r"(?!\s+(?:doubt|question|wonder|matter|only|just|sure|certain|entirely|completely|fully"
    r"|necessarily|exactly|100%|quite|clearly|conclusive|definitive)\b)"
)
PRE_CUES = CasePattern(
    r"(?<![\w-])(?:no|not|none|nothing|neither|nor|without|lack(?:s|ing|ed)?(?: of)?"
    r"|absence of|absent|devoid of|zero|never|hardly any|barely any|no longer|cannot|can ?not"
    r"|can['’]t|couldn['’]t|could not|don['’]t|doesn['’]t|didn['’]t|do not|does not|did not"
    r"|isn['’]t|aren['’]t|wasn['’]t|weren['’]t|there['’]s no|unable to|impossible to|hard to"
    r"|difficult to|too \w+ to|illegible|unreadable|indecipherable|sin|ningún|ninguna|ninguno|ningunos"
    r"|nada|ni|ilegibles?|carece de|ausencia de|falta de|pas|aucun|aucune|sans|rien|nul|nulle"
    r"|illisibles?|absence de|manque de|kein|keine|keinen|keinem|keiner|keines|ohne|nicht"
    r"|nichts|unleserlich|unlesbar|não|sem|nenhum|nenhuma|nem|ilegíve(?:l|is)|ausência de"
    r"|нет|не|без|никаких|никакого|никакой|ни|отсутству\w*|нечитаем\w*|неразборчив\w*)"
    rf"(?![\w-]){_NOT_A_DENIAL}"
    r"|没有|沒有|无法|無法|并无|缺乏|缺少|未见|未发现|看不到|看不见|看不清|无|無"
)
_SEEN = (
    r"(?:visible|legible|readable|present|discernible|clear|identifiable|recogni[sz]able"
    r"|apparent|evident|shown|seen|decipherable|distinguishable|available|there|in view"
    r"|in sight|captured|obvious|determinable|detectable|noticeable)"
)
POST_CUES = CasePattern(
    r"(?:(?:is|are|was|were|appears?|seems?|looks?|be)\s+)?(?:not|n['’]t)\s+"
    r"(?:(?:very|really|clearly|easily|fully|readily|particularly|at all)\s+)?"
    + _SEEN
    + r"|(?<![\w-])(?:illegible|unreadable|indecipherable|invisible|absent|missing|lacking"
    r"|nonexistent|non-existent|obscured|unclear|indistinct|nowhere to be seen"
    r"|too (?:blurry|blurred|small|far|distant|pixelated|pixellated|low[- ]?res\w*|faded"
    r"|grainy|out of focus)"
    r"|(?:cannot|can ?not|can['’]t|couldn['’]t|could not)\s+(?:be\s+)?(?:read|seen|made out"
    r"|identified|determined|deciphered|discerned|distinguished|assessed|judged|recogni[sz]ed"
    r"|make out|see|identify|determine|tell)"
    r"|(?:hard|difficult|impossible) to (?:read|see|make out|tell|determine|discern|identify"
    r"|judge)"
    # a wished-for clue is not a cited one: "a landmark would help"
    r"|(?:would|could|might)\s+(?:\w+\s+)?(?:help|have helped|be (?:useful|helpful|needed)"
    r"|make (?:it|this) easier)"
    r"|no (?:son|es|está|están|se (?:ve|ven|puede|pueden|aprecia|aprecian|distingue|distinguen))"
    r"(?:\s+(?:visibles?|legibles?|leer|identificar))?|ilegibles?"
    r"|(?:ne|n['’])\s*(?:sont|est|se)?\s*(?:\w+\s+)?pas\s+(?:lisibles?|visibles?|présents?"
    r"|identifiables?)|illisibles?|invisibles?|absents?|absentes?"
    r"|(?:ist|sind)?\s*nicht\s+(?:lesbar|sichtbar|erkennbar|vorhanden|zu sehen)|unleserlich"
    r"|unlesbar|fehlen|fehlt"
    r"|não\s+(?:(?:é|são|está|estão)\s+)?(?:visíve(?:l|is)|legíve(?:l|is))|ilegíve(?:l|is)"
    r"|ausentes?"
    r"|не\s+(?:видн\w*|читаю?тся|различим\w*|разобрать|просматрива\w*)|отсутству\w*|нет)"
    r"(?![\w-])"
    r"|看不清|看不到|不清楚|不可见|无法辨认|无法识别|不明显|模糊不清|未见"
    r"|(?:は|が|も)?(?:ない|無い|なし|ありません|見当たらない|見当たりません|見えない|見えません"
    r"|読めない|読めません|確認できない|確認できません|特定できない|不明)"
    # a label with an empty value: "Landmarks: none", "**Text**: N/A", "Vegetation:\n- None"
    # "there is a sign, but it is too blurry to read": the denial reaches back over the "but"
    r"|(?:\s+(?:is|are|was|were)\s+(?:present|visible|there|seen))?[,;]?\s*(?:but|though"
    r"|although|however|yet)\s+(?:(?:it|they|its text|their text|the text|the writing"
    r"|the words)\s*(?:is|are|was|were|['’]s|['’]re)\s+|(?:is|are|was|were)\s+)?"
    r"(?:too \w+ to (?:read|make out)|not\s+" + _SEEN + r"|illegible|unreadable"
    r"|indecipherable|blurry|blurred)"
    r"|[,;]?\s*(?:but|though|although|however|yet)\s+(?:i|we)\s+(?:can['’]t|cannot|couldn['’]t"
    r"|could not|am unable to|was unable to)\s+(?:read|make out|decipher)\s+(?:it|them|the text"
    r"|the words|the writing|what (?:it|they) says?)"
    # ... or a heading alone on its line followed by a denying line ("### Landmarks\nNone.")
    r"|(?:\W{0,4}?[:：=–—-]\W{0,6}?(?:\n\s*[-*•]?\s*)?|[*_#:\s]*\n\s*(?:[-*•]\s*)?)"
    r"(?:i (?:don['’]t|do not|can['’]t|cannot|couldn['’]t|could not) (?:see|find|read|spot"
    r"|identify|make out|notice|detect)|there (?:are|is|were|was) no|there['’]s no"
    r"|(?:unable|impossible|hard|difficult) to|cannot|can['’]t|could not|couldn['’]t"
    r"|none|n/?a|nil|null|nothing|unknown|unclear"
    r"|indeterminate|undetermined|no\b|not (?:visible|applicable|present|identified|identifiable"
    r"|detected|observed|seen|discernible|legible|readable|clear|available|determinable"
    r"|obvious)|ninguno|ninguna|nada|aucune?|rien|keine?|nenhuma?|нет|无|なし)(?![\w-])"
)
_BREAK_WORDS = (
    r"but|however|although|though|whereas|while|yet|except|instead|nevertheless|nonetheless"
    r"|so|because|since|therefore|thus|hence|which|whose|where|that|meanwhile|otherwise|just"
    r"|only|besides|apart from|other than|aber"
    r"|jedoch|sondern|weil|pero|aunque|porque|mais|cependant|pourtant|car|mas|porém|contudo"
    r"|embora|но|однако|хотя|потому"
)
BREAKS = CasePattern(
    r"[.!?;；。！？\n]|\\n|\"\s*[,:}\]]|[\[{]\s*\"|，|\s[–—-]\s"
    rf"|(?<![\w-])(?:{_BREAK_WORDS})(?![\w-])"
    r"|(?<![\w-])and (?:the|a|an|there|it|this|these|those|i|we|they|its|their|some|many)\b"
    r"|但是|但|不过|然而|可是|しかし|けれど|ただし"
)
_LIST_GLUE = re.compile(
    r"[\s,/&*()]*(?:(?:and|or|nor|and/or|y|o|ni|et|ou|und|oder|noch|e|nem|и|или|ни|、|和|或|及"
    r"|や|と|も)[\s*]*)?(?:(?:any|no|other|visible|clear|obvious|distinctive|notable|readable"
    r"|legible|identifiable|recogni[sz]able|specific|prominent|discernible|famous|distinct"
    r"|significant|major|particular|unique|tell-?tale|characteristic|definitive|the|of)\s+)*",
    re.IGNORECASE,
)
# a list item may carry up to two modifiers of its own: "no text, road signs, or plates"
_LOOSE_GLUE = re.compile(
    r"\s*(?:,|/|(?:,\s*)?(?:and|or|nor|and/or|y|o|ni|et|ou|und|oder|e|nem|и|или|ни))\s+"
    r"(?:(?!(?:the|a|an|this|that|these|those|is|are|was|were|it|they|there|i|we)\b)"
    r"[^\W\d_]+[\s-]+){0,2}",
    re.IGNORECASE,
)
_CONJUNCTION = re.compile(r"(?<![\w-])(?:or|nor|and|ni|o|ou|oder|noch|nem|или|ни)(?![\w-])|[、和或及やと]")
_VERB_NEXT = re.compile(
    r"\s*(?:is|are|was|were|looks?|appears?|seems?|suggests?|indicates?|points?|shows?|has|have"
    r"|had|grows?|lines?|covers?|dominates?|includes?|can|could|would|will|might|may|must"
    r"|resembles?|es|son|est|sont|ist|sind|é|são)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Span:
    """A matched term's position and category, as seen by the negation pass."""

    start: int
    end: int
    category: str


class _Scope:
    """Cue and break positions of one text, for fast "is there a break between" queries."""

    def __init__(self, folded: Folded) -> None:
        self.text = folded.text
        self.breaks = [m.start() for m in BREAKS.finditer(folded)]
        self.pre = [(m.start(), m.end()) for m in PRE_CUES.finditer(folded)]
        self.pre_ends = [end for _, end in self.pre]
        self.post = [(m.start(), m.end()) for m in POST_CUES.finditer(folded)]
        self.post_starts = [start for start, _ in self.post]

    def broken(self, a: int, b: int) -> bool:
        i = bisect_left(self.breaks, a)
        return i < len(self.breaks) and self.breaks[i] < b


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _denied_before(scope: _Scope, spans: Sequence[Span], k: int) -> bool:
    span = spans[k]
    i = bisect_left(scope.pre_ends, span.start + 1) - 1
    if i < 0:
        return False
    cue_end = scope.pre_ends[i]
    gap = scope.text[cue_end : span.start]
    if "," in gap or scope.broken(cue_end, span.start) or _words(gap) > PRE_MAX_WORDS:
        return False
    # another category's term between the cue and this one takes the denial
    j = k - 1
    while j >= 0 and spans[j].end > cue_end:
        if spans[j].category != span.category:
            return False
        j -= 1
    return True


def _denied_after(scope: _Scope, span: Span) -> bool:
    j = bisect_left(scope.post_starts, span.start) - 1
    if j >= 0 and scope.post[j][1] >= span.end:  # inside a denial: "but their text is illegible"
        return True
    i = bisect_left(scope.post_starts, span.end)
    if i >= len(scope.post):
        return False
    cue_start = scope.post_starts[i]
    gap = scope.text[span.end : cue_start]
    return not scope.broken(span.end, cue_start) and _words(gap) <= POST_MAX_WORDS


def _listed_together(scope: _Scope, left: Span, right: Span) -> tuple[bool, bool]:
    """Return (are they one list, is there a conjunction) for two consecutive terms."""
    if right.start < left.end:  # nested in a wide claim: not a list
        return False, False
    gap = scope.text[left.end : right.start]
    if scope.broken(left.end, right.start):
        return False, False
    glue = _LIST_GLUE.match(gap)
    if (glue is None or glue.end() != len(gap)) and _LOOSE_GLUE.fullmatch(gap) is None:
        return False, False
    return True, _CONJUNCTION.search(gap) is not None


_LABEL_END = re.compile(r"[*_\s]*[:：]")


def _deny_labels(scope: _Scope, spans: Sequence[Span], denied: list[bool]) -> None:
    """Deny a label ("**Signage**:") when every same-category term on its line is denied."""
    text = scope.text
    for k, span in enumerate(spans):
        if denied[k] or _LABEL_END.match(text, span.end) is None:
            continue
        line_end = text.find("\n", span.end)
        line_end = len(text) if line_end < 0 else line_end
        same = [
            j
            for j in range(k + 1, len(spans))
            if spans[j].start < line_end and spans[j].category == span.category
        ]
        if same and all(denied[j] for j in same):
            denied[k] = True


def denied_spans(folded: Folded, spans: Sequence[Span]) -> list[bool]:
    """Return, for each span (sorted by start, not overlapping), whether the text denies it."""
    if not spans:
        return []
    scope = _Scope(folded)
    text = folded.text
    after = [_denied_after(scope, span) for span in spans]
    denied = [after[k] or _denied_before(scope, spans, k) for k in range(len(spans))]
    links = [_listed_together(scope, a, b) for a, b in zip(spans, spans[1:], strict=False)]
    for k, (listed, conj) in enumerate(links):  # forward: "no text, signs, or landmarks"
        if listed and denied[k] and not denied[k + 1]:
            new_clause = not conj and _VERB_NEXT.match(text, spans[k + 1].end) is not None
            denied[k + 1] = not new_clause
    _deny_labels(scope, spans, denied)
    # backward, only from a denial that follows: "text and signs are not legible"
    for k in range(len(links) - 1, -1, -1):
        if links[k][0] and after[k + 1] and not denied[k]:
            denied[k] = after[k] = True
    return denied
