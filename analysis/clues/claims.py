"""Claim patterns: statements a fact table can check (driving side, script, language, hemisphere).

Each rule is a regex with one named group whose text decides the claim's value, and the clue
category the statement belongs to. Right-hand DRIVE vehicles (steering wheel on the right) mean
LEFT-hand traffic: rules for the steering side flip the value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from analysis.clues.folding import CasePattern
from analysis.clues.types import Claim

# English script names -> the claim value; the key is matched case-insensitively.
SCRIPT_NAMES: dict[str, str] = {
    "latin": "Latin", "roman": "Latin", "cyrillic": "Cyrillic", "arabic": "Arabic",
    "persian": "Arabic", "urdu": "Arabic", "greek": "Greek", "hebrew": "Hebrew", "thai": "Thai",
    "devanagari": "Devanagari", "hindi": "Devanagari", "hangul": "Hangul", "korean": "Hangul",
    "hanzi": "Han", "kanji": "Han", "chinese": "Han", "han": "Han", "hiragana": "Kana",
    "katakana": "Kana", "kana": "Kana", "japanese": "Kana", "georgian": "Georgian",
    "armenian": "Armenian", "bengali": "Bengali", "bangla": "Bengali", "tamil": "Tamil",
    "ethiopic": "Ethiopic", "ge'ez": "Ethiopic", "geez": "Ethiopic", "amharic": "Ethiopic",
    "khmer": "Khmer", "lao": "Lao", "sinhala": "Sinhala", "sinhalese": "Sinhala",
    "gurmukhi": "Gurmukhi", "gujarati": "Gujarati", "telugu": "Telugu", "kannada": "Kannada",
    "malayalam": "Malayalam", "burmese": "Myanmar", "myanmar": "Myanmar", "tibetan": "Tibetan",
    "mongolian": "Mongolian", "thaana": "Thaana", "dhivehi": "Thaana", "odia": "Odia",
    "oriya": "Odia", "tifinagh": "Tifinagh",
    # other languages' names for the scripts models mention most
    "cirílico": "Cyrillic", "cirílica": "Cyrillic", "cyrillique": "Cyrillic",
    "kyrillisch": "Cyrillic", "kyrillische": "Cyrillic", "kyrillischen": "Cyrillic",
    "кириллица": "Cyrillic", "кириллицей": "Cyrillic", "кириллицу": "Cyrillic",
    "кириллицы": "Cyrillic", "西里尔字母": "Cyrillic", "キリル文字": "Cyrillic",
    "汉字": "Han", "漢字": "Han", "ハングル": "Hangul", "한글": "Hangul", "韩文": "Hangul",
    "ひらがな": "Kana", "カタカナ": "Kana", "假名": "Kana", "仮名": "Kana",
    "阿拉伯字母": "Arabic", "アラビア文字": "Arabic", "泰文": "Thai", "タイ文字": "Thai",
}
# Names that only ever denote a script: matched alone.
_SCRIPT_ONLY = (
    r"cyrillic|devanagari|hangul|hanzi|kanji|hiragana|katakana|ge'?ez|gurmukhi|thaana|tifinagh"
    r"|cir[ií]lic[oa]s?|cyrillique|kyrillisch\w*|кириллиц\w*"
)
_SCRIPT_CJK = r"西里尔字母|キリル文字|汉字|漢字|ハングル|한글|韩文|ひらがな|カタカナ|假名|仮名|阿拉伯字母|アラビア文字|泰文|タイ文字"
_SCRIPT_OR_LANGUAGE = (
    r"latin|roman|arabic|persian|urdu|greek|hebrew|thai|hindi|korean|chinese|japanese|georgian"
    r"|armenian|bengali|bangla|tamil|ethiopic|amharic|khmer|lao|sinhala|sinhalese|gujarati"
    r"|telugu|kannada|malayalam|burmese|myanmar|tibetan|mongolian|odia|oriya"
)
_SCRIPT_NOUN = (
    r"(?:script|alphabet|letters|characters|glyphs|writing system|writing|lettering|letterforms)"
)

# English language names -> the claim value (CLDR's English name, as in the fact table).
LANGUAGE_NAMES: dict[str, str] = {
    name.lower(): name
    for name in (
        "English", "Spanish", "Portuguese", "French", "German", "Italian", "Dutch", "Russian",
        "Ukrainian", "Belarusian", "Polish", "Czech", "Slovak", "Hungarian", "Romanian",
        "Bulgarian", "Serbian", "Croatian", "Bosnian", "Slovenian", "Macedonian", "Albanian",
        "Greek", "Turkish", "Arabic", "Hebrew", "Persian", "Urdu", "Hindi", "Bengali", "Punjabi",
        "Gujarati", "Marathi", "Tamil", "Telugu", "Kannada", "Malayalam", "Sinhala", "Nepali",
        "Thai", "Lao", "Khmer", "Burmese", "Vietnamese", "Indonesian", "Malay", "Filipino",
        "Chinese", "Cantonese", "Japanese", "Korean", "Mongolian", "Kazakh", "Kyrgyz", "Uzbek",
        "Georgian", "Armenian", "Azerbaijani", "Swedish", "Norwegian", "Danish", "Finnish",
        "Icelandic", "Estonian", "Latvian", "Lithuanian", "Irish", "Welsh", "Catalan", "Basque",
        "Galician", "Maltese", "Luxembourgish", "Afrikaans", "Zulu", "Xhosa", "Swahili",
        "Amharic", "Somali", "Hausa", "Yoruba", "Malagasy", "Quechua", "Guarani", "Maori",
    )
} | {
    "mandarin": "Chinese", "farsi": "Persian", "tagalog": "Filipino", "flemish": "Dutch",
    "castilian": "Spanish", "slovene": "Slovenian", "bahasa": "Indonesian",
    "bahasa indonesia": "Indonesian", "bahasa melayu": "Malay", "sinhalese": "Sinhala",
    # other languages' words for the languages a geolocation answer names most
    "portugués": "Portuguese", "portugais": "Portuguese", "portugiesisch": "Portuguese",
    "português": "Portuguese", "inglés": "English", "anglais": "English", "englisch": "English",
    "inglês": "English", "español": "Spanish", "espagnol": "Spanish", "spanisch": "Spanish",
    "espanhol": "Spanish", "francés": "French", "français": "French", "französisch": "French",
    "francês": "French", "alemán": "German", "allemand": "German", "deutsch": "German",
    "alemão": "German", "ruso": "Russian", "russe": "Russian", "russisch": "Russian",
    "russo": "Russian", "árabe": "Arabic", "arabe": "Arabic", "arabisch": "Arabic",
    "italiano": "Italian", "italien": "Italian", "italienisch": "Italian",
    "японский": "Japanese", "китайский": "Chinese", "английский": "English",
    "русский": "Russian", "немецкий": "German", "испанский": "Spanish",
    "португальский": "Portuguese", "французский": "French",
    "葡萄牙": "Portuguese", "ポルトガル": "Portuguese", "西班牙": "Spanish", "スペイン": "Spanish",
    "英": "English", "法": "French", "フランス": "French", "德": "German", "ドイツ": "German",
    "俄": "Russian", "ロシア": "Russian", "中": "Chinese", "汉": "Chinese", "中国": "Chinese",
    "日": "Japanese", "日本": "Japanese", "韩": "Korean", "韓国": "Korean", "阿拉伯": "Arabic",
    "アラビア": "Arabic", "泰": "Thai", "タイ": "Thai", "意大利": "Italian", "イタリア": "Italian",
}
_EN_LANGS = "|".join(sorted((k for k in LANGUAGE_NAMES if k.isascii()), key=len, reverse=True))
_OTHER_LANGS = (
    r"portugués|portugais|portugiesisch|português|inglés|anglais|englisch|inglês|español"
    r"|espagnol|spanisch|espanhol|francés|français|französisch|francês|alemán|allemand|deutsch"
    r"|alemão|ruso|russe|russisch|russo|árabe|arabe|arabisch|italiano|italien|italienisch"
)
_RU_LANG = r"(?P<ru>японск|китайск|английск|русск|немецк|испанск|португальск|французск)\w*"
_CJK_LANG = (
    r"(?P<zh>葡萄牙|西班牙|阿拉伯|意大利|英|法|德|俄|汉|中|韩|泰|日)(?:语|文)"
    r"|(?P<ja>ポルトガル|スペイン|フランス|ドイツ|ロシア|中国|日本|韓国|アラビア|タイ|イタリア|英)語"
)
_TEXT_WORD = (
    r"(?:texts?|signs?|signage|writing|written|words?|labels?|lettering|inscriptions?|señales"
    r"|billboards?|names?|spelled|spelling|advertisements?|reads?|says|phrases?|captions?"
    r"|letreros?|cartel(?:es)?|texto|escrito|escritos|escrita|panneaux?|texte|écrit|écrits"
    r"|schilder|schild|text|aufschrift|geschrieben|placas?|letreiros?)"
)
_LANG_NOUN = (
    r"(?:text|signs?|signage|writing|words?|language|lettering|inscriptions?|labels?"
    r"|spelling|street names|place names|phrases?|billboards?|advertisements?|words)"
)
_DRIVE = r"(?:driv(?:e|es|ing|en)|travel(?:s|l?ing)?|keep(?:s|ing)?|flows?|moves?|runs?)"
_SUBJECT = r"(?:cars|vehicles|traffic|people|drivers|motorists|they|it)"


@dataclass(frozen=True)
class ClaimRule:
    """A claim pattern: the clue category it belongs to and how its value group becomes a claim.

    The value is the first non-empty named group of the match; ``build(value, matched_text)``
    turns it into a claim, or None when the statement does not assert one.
    """

    category: str
    pattern: CasePattern
    build: Callable[[str, str], Claim | None]
    absorbs: bool = True  # False: terms of other categories inside the match still count

    def claim(self, m: re.Match[str]) -> Claim | None:
        """Return the claim a match of this rule makes (None when it makes none)."""
        value = next((v for v in m.groupdict().values() if v), None)
        return None if value is None else self.build(value, m.group(0))


_SIDE = {
    "left": "left", "right": "right", "izquierda": "left", "derecha": "right", "gauche": "left",
    "droite": "right", "links": "left", "rechts": "right", "esquerda": "left", "direita": "right",
    "лев": "left", "прав": "right", "左": "left", "右": "right", "lht": "left", "rht": "right",
    "lhd": "left", "rhd": "right", "mão inglesa": "left",
}
_FLIP = {"left": "right", "right": "left", "north": "south", "south": "north"}
_HEMI = {
    "north": "north", "northern": "north", "south": "south", "southern": "south",
    "norte": "north", "sur": "south", "sul": "south", "nord": "north", "sud": "south",
    "süd": "south", "nördliche": "north", "südliche": "south", "nördlichen": "north",
    "südlichen": "south", "северн": "north", "южн": "south", "北": "north", "南": "south",
}


def _side(flip: bool) -> Callable[[str, str], Claim | None]:
    def build(value: str, _text: str) -> Claim | None:
        side = _SIDE.get(value.lower())
        if side is None:
            return None
        return Claim("driving_side", _FLIP[side] if flip else side)

    return build


def _script(value: str, _text: str) -> Claim | None:
    raw = value.lower()
    name = SCRIPT_NAMES.get(raw)
    if name is None and raw.startswith(("cir", "cyr", "kyr", "кир")):
        name = "Cyrillic"
    return Claim("script", name) if name else None


def _foreign_script(value: str, text: str) -> Claim | None:
    stem = value.lower()[:3]
    if stem in ("ára", "ara"):
        return Claim("script", "Arabic")
    if stem in ("gri", "gre", "grie"):
        return Claim("script", "Greek")
    return _script(value, text) if stem in ("cir", "cyr", "kyr") else None


_RU_VALUES = {
    "японск": "Japanese", "китайск": "Chinese", "английск": "English", "русск": "Russian",
    "немецк": "German", "испанск": "Spanish", "португальск": "Portuguese",
    "французск": "French",
}
_DENIED_LANGUAGE = re.compile(r"\bnot\b|n['’]t\b|\bno\b|\bpas\b|\bnicht\b|\bnão\b", re.I)


def _language(value: str, text: str) -> Claim | None:
    if _DENIED_LANGUAGE.search(text):
        return None  # "signs are not in English" names a language the text is not in
    name = _RU_VALUES.get(value.lower()) or LANGUAGE_NAMES.get(value.lower())
    return Claim("language", name) if name else None


def _hemisphere(flip: bool) -> Callable[[str, str], Claim | None]:
    def build(value: str, _text: str) -> Claim | None:
        side = _HEMI.get(value.lower())
        if side is None:
            return None
        return Claim("hemisphere", _FLIP[side] if flip else side)

    return build


def _rule(
    category: str,
    pattern: str,
    build: Callable[[str, str], Claim | None],
    absorbs: bool = True,
) -> ClaimRule:
    return ClaimRule(category, CasePattern(pattern), build, absorbs)


_B, _E = r"\b", r"(?!\w)"
CLAIM_RULES: tuple[ClaimRule, ...] = (
    # driving side: the side traffic keeps to
    _rule(
        "driving_side",
        rf"{_B}(?:{_SUBJECT}\s+(?:\w+\s+){{0,2}}?)?(?:{_DRIVE}|(?:is|are)\s+(?:driving|moving"
        rf"|travel\w*))\s+(?:\w+\s+){{0,2}}?on\s+the\s+(?P<v>left|right)(?:[- ]hand)?"
        rf"(?:[- ]side)?(?:\s+(?:side|lane))?(?:\s+of\s+the\s+(?:road|street))?{_E}",
        _side(False),
    ),
    _rule(
        "driving_side",
        rf"{_B}(?P<v>left|right)[- ](?:hand(?:ed)?[- ])?(?:side[- ])?(?:traffic|driving)"
        rf"(?:\s+(?:country|countries|rules?|system))?{_E}|{_B}(?P<v2>lht|rht){_E}",
        _side(False),
    ),
    _rule(
        "driving_side",
        rf"{_B}(?:driving|traffic)[- ]side\W{{0,5}}(?:is\s+|appears to be\s+|seems to be\s+)?"
        rf"(?:on\s+the\s+)?(?P<v>left|right){_E}|{_B}keep[- ](?P<v3>left|right)(?: signs?)?{_E}"
        # "traffic keeps to the left": to the side, not towards it (a road turns to the right)
        rf"|{_B}(?:{_SUBJECT}\s+(?:\w+\s+){{0,2}}?)?keep(?:s|ing)?\s+to\s+the\s+"
        rf"(?P<v5>left|right)(?:[- ]hand)?(?:[- ]side)?{_E}",
        _side(False),
    ),
    _rule(
        "driving_side",
        rf"{_B}(?:(?:cars|vehicles)\s+(?:are|is)\s+(?:\w+\s+)?)?(?P<v>left|right)[- ]hand(?:ed)?"
        rf"[- ]drive(?:\s+(?:cars|vehicles))?{_E}"
        rf"|{_B}(?P<v4>rhd|lhd)(?:\s+(?:cars|vehicles))?{_E}",
        _side(True),
    ),
    _rule(
        "driving_side",
        rf"{_B}{_SUBJECT}\s+(?:\w+\s+)?(?:keeps?|drives?|driving|travels?|stays?)\s+"
        rf"(?P<v>left|right){_E}",
        _side(False),
    ),
    _rule(
        "driving_side",
        rf"{_B}(?:traffic|cars|vehicles)\s+(?:is|are)\s+(?:(?!parked|stopped)\w+\s+)?on\s+the\s+"
        rf"(?P<v>left|right)(?:[- ]hand)?(?:[- ]side)?(?:\s+of\s+the\s+(?:road|street))?{_E}",
        _side(False),
    ),
    _rule(
        "driving_side",
        rf"{_B}steering wheels?\s+(?:\w+\s+){{0,3}}?on\s+the\s+(?P<v>left|right){_E}",
        _side(True),
    ),
    _rule(
        "driving_side",
        rf"{_B}(?:(?:los |les |os |die |as )?(?:coches|carros|vehículos|autos|voitures"
        rf"|véhicules|fahrzeuge|veículos)\s+)?(?:conduc\w+|circula\w*|manej\w+|tráfico|tránsito|dirig\w+|conduz\w*|trânsito"
        rf"|tráfego|mão|conduite|roul\w+|conduis\w*|conduit|fahr\w*|verkehr)\s+(?:\w+\s+){{0,2}}?"
        rf"(?:por|a|en|pela|à|na|à|nach)\s+(?:la\s+)?(?P<v>izquierda|derecha|esquerda|direita"
        rf"|gauche|droite|links|rechts){_E}",
        _side(False),
    ),
    _rule("driving_side", rf"{_B}(?P<v>links|rechts)verkehr{_E}", _side(False)),
    _rule(
        "driving_side",
        rf"{_B}(?:(?:die )?(?:autos|fahrzeuge|wagen)\s+)?(?:fahren|fährt|gefahren)\s+"
        rf"(?:\w+\s+)?(?:auf der\s+|nach\s+)?(?P<v>links|rechts){_E}",
        _side(False),
    ),
    _rule("driving_side", rf"{_B}(?P<v>links|rechts)lenker\w*", _side(True)),
    _rule("driving_side", rf"{_B}(?P<v>mão inglesa){_E}", _side(False)),
    _rule("driving_side", r"(?P<v>лев|прав)осторонн\w+(?:\s+движени\w*)?", _side(False)),
    _rule("driving_side", r"(?P<v>лев|прав)орул\w*", _side(True)),
    _rule(
        "driving_side",
        r"(?:车辆|汽车|車両)?靠(?P<v>左|右)(?:侧)?(?:行驶|通行|行车)|(?P<v5>左|右)侧(?:行驶|通行)"
        r"|(?P<v6>左|右)側(?:通行|を走)",
        _side(False),
    ),
    _rule("driving_side", r"(?P<v>右|左)(?:舵|ハンドル)", _side(True)),
    # scripts
    _rule("text", rf"{_B}(?P<v>{_SCRIPT_OR_LANGUAGE})(?:[- ]based)?\s+{_SCRIPT_NOUN}{_E}", _script),
    _rule("text", rf"{_B}(?P<v>{_SCRIPT_ONLY})(?:\s+{_SCRIPT_NOUN}|\s+text)?{_E}", _script),
    _rule("text", rf"(?P<v>{_SCRIPT_CJK})", _script),
    _rule(
        "text",
        rf"{_B}(?:escritura|alfabeto|letras|écriture|alphabet|lettres|schrift|alfabeto)\s+"
        rf"(?P<v>\w+)",
        _foreign_script,
    ),
    # languages
    _rule(
        "text",
        rf"{_B}(?P<v>{_EN_LANGS})(?:[- ]language)?\s+{_LANG_NOUN}{_E}",
        _language,
    ),
    _rule(
        "text",
        rf"{_B}{_TEXT_WORD}(?:\s+[\w'’]+){{0,4}}?\s+(?:in|en|em|auf)\s+"
        rf"(?P<v>{_EN_LANGS}|{_OTHER_LANGS}){_E}(?![- ]speaking)",
        _language,
        absorbs=False,  # "the text on the shop is in Russian" also cites the shop
    ),
    _rule(
        "text",
        rf"{_B}language\s+(?:\w+\s+){{0,3}}?(?:is|be|looks like|resembles|seems)\s+"
        rf"(?:\w+\s+)?(?P<v>{_EN_LANGS}){_E}",
        _language,
        absorbs=False,
    ),
    _rule("text", rf"{_B}(?P<v>{_EN_LANGS})[- ]language{_E}", _language),
    _rule("text", rf"(?:на|по-)\s*{_RU_LANG}(?:\s+язык\w*)?", _language),
    _rule("text", _CJK_LANG, _language),
    # hemisphere: explicit, from the sun's side, from the shadows' side
    _rule(
        "sun",
        rf"{_B}(?P<v>northern|southern|north|south)\s+hemisphere{_E}"
        rf"|{_B}hemisferio\s+(?P<v7>norte|sur){_E}|{_B}hémisphère\s+(?P<v8>nord|sud){_E}"
        rf"|{_B}(?P<v9>nord|süd)halbkugel{_E}|{_B}(?P<v10>nördlichen?|südlichen?)\s+"
        rf"(?:hemisphäre|halbkugel){_E}|{_B}hemisfério\s+(?P<v11>norte|sul){_E}"
        rf"|(?P<v12>северн|южн)\w*\s+полушари\w*|(?P<v13>北|南)半球",
        _hemisphere(False),
    ),
    _rule(
        "sun",
        rf"{_B}sun(?:light)?\s+(?:\w+\s+){{0,4}}?(?:in|to|toward|towards|from|at)\s+the\s+"
        rf"(?P<v>north|south)(?:ern)?(?:[- ]?(?:east|west))?(?:\s+(?:sky|side))?{_E}",
        _hemisphere(True),
    ),
    _rule(
        "sun",
        rf"{_B}shadows?\s+(?:\w+\s+){{0,4}}?(?:to|toward|towards|pointing|point|points|fall"
        rf"|falling|cast|extend\w*)\s+(?:to\s+|toward\s+|towards\s+)?(?:the\s+)?"
        rf"(?P<v>north|south)(?:ward)?(?:[- ]?(?:east|west))?{_E}",
        _hemisphere(False),
    ),
)

