"""English clue terms per category, the other senses they must not match, and how they compile.

Terms are regex fragments matched case-insensitively between word boundaries. They are written
from how model answers actually phrase clues ("utility poles", "yellow centre line", "bollards
with a red reflector"), with plural and British / American spellings folded in. Other languages
live in ``lexicon_i18n.py``, named landmarks in ``landmarks.py``.
"""

from __future__ import annotations

import re

from analysis.clues.folding import CasePattern
from analysis.clues.landmarks import LANDMARK_NAMES, NAMED_PLACE_PATTERNS
from analysis.clues.lexicon_i18n import CJK_TERMS, I18N_TERMS

_COLOUR = r"(?:yellow|blue|green|red|white|brown|orange|black|grey|gray)"
_SHAPE = r"(?:diamond|triangular|triangle|circular|round|octagonal|rectangular|square|arrow)"
_SIGN_KIND = (
    r"(?:road|street|traffic|warning|direction(?:al)?|information|highway|motorway|route|metal"
    r"|reflective|regulatory|speed|hazard|guide|destination|overhead|gantry)"
)
_SCRIPT_ADJ = (
    r"(?:chinese|japanese|korean|latin|roman|cyrillic|arabic|thai|greek|hebrew|devanagari"
    r"|georgian|armenian|bengali|tamil|khmer|lao|sinhala|hindi|persian|ethiopic|amharic|burmese"
    r"|asian|non-latin|foreign|accented|special)"
)

EN_TERMS: dict[str, tuple[str, ...]] = {
    "text": (
        r"texts?",
        r"signage",
        r"signs?(?!\s+(?:of|that)\b)",
        r"signboards?",
        r"billboards?",
        r"lettering",
        r"writing",
        r"written",
        r"inscriptions?",
        r"(?:alphabet|script)s?",
        rf"{_SCRIPT_ADJ}(?:[- ]\w+)? characters",
        r"characters (?:on|in) the",
        r"diacritics?|accent marks|umlauts?|tildes?|cedillas?",
        r"words?(?=\s+(?:on|in|like|such|reading|written|visible|painted)\b|\s*[\"'“‘])",
        r"legible|readable|decipherable",
        r"language",
        r"(?:street|place|town|city|shop|store|business|village|road|brand) names?",
        r"names? of the (?:shop|store|street|town|village|business|restaurant|company|station)",
        r"(?:phone|telephone) numbers?|area codes?|(?:house|street|building) numbers?",
        r"(?:web ?site|url|domain)s?",
        r"spell(?:ed|ing|t)",
        r"(?:reads|reading|says|saying)(?=\s*[:\"'“‘])",
        r"kanji|hanzi|hangul|hiragana|katakana|kana|romaji",
    ),
    "driving_side": (
        r"driving[- ]side",
        r"side of the road (?:they|cars|vehicles|traffic|people) (?:drive|travel)s?(?: on)?",
        r"(?:traffic|driving) (?:direction|orientation|flow|side)",
        r"keep[- ](?:left|right) signs?",
    ),
    "road_markings": (
        r"(?:road|lane|line|pavement|street|centre|center|edge|median|surface) markings?",
        r"markings?",
        r"(?:center|centre|middle|edge|lane|road|dividing|median|side|stop|give[- ]way) ?lines?",
        rf"(?:dashed|solid|broken|double|single|continuous|painted|striped|dotted|{_COLOUR})"
        rf"(?:[- ](?:{_COLOUR}|dashed|solid|broken|double))?"
        r"(?: (?:center|centre|edge|lane|road|dividing|median|side))? ?lines?",
        r"zebra crossings?|crosswalks?|pedestrian crossings?|rumble strips?",
    ),
    "road_furniture": (
        r"bollards?",
        r"guard[- ]?rails?|crash barriers?|armco|safety barriers?|(?:metal|concrete|jersey) barriers?",
        r"delineators?|reflector posts?|(?:roadside|marker|snow|reflector|kilometre|kilometer|km"
        r"|mile|distance) (?:posts?|markers?|stones?)",
        r"chevrons?(?: signs?)?",
        r"(?:stop|yield|give[- ]way|warning|speed[- ]limit|no[- ]parking|no[- ]entry|pedestrian"
        r"|directional|direction|regulatory|priority|one[- ]way|route|highway|motorway|hazard"
        r"|street[- ]name|keep[- ](?:left|right)|overhead|gantry) signs?",
        rf"(?:{_COLOUR}(?:[- ](?:and|on)[- ]{_COLOUR})?|{_SHAPE})(?:[- ]shaped)?"
        rf"(?:[- ]{_SHAPE}(?:[- ]shaped)?)?(?:[- ]{_SIGN_KIND})?(?:[- ]{_SIGN_KIND})? signs?",
        r"traffic (?:lights?|signals?)|stop ?lights?",
        rf"{_COLOUR}(?:[- ]and[- ]{_COLOUR})? (?:diamonds?|triangles?|octagons?|rectangles?"
        r"|circles?)|diamond[- ]shaped",
        rf"signs? (?:itself |themselves )?(?:is|are) (?:a |an )?(?:{_COLOUR}|{_SHAPE})",
        r"sign ?posts?|signposts?",
        r"kerbs?|curbs?|curbstones?|kerbstones?",
        r"(?:street|road) furniture|speed bumps?|traffic cones?",
    ),
    "vehicles": (
        r"cars?|vehicles?|automobiles?|trucks?|lorr(?:y|ies)|buses|bus|vans?|minivans?",
        r"motorbikes?|motorcycles?|scooters?|mopeds?|tuk[- ]?tuks?|(?:auto[- ])?rickshaws?",
        r"taxis?|cabs|pick[- ]?ups?|suvs?|sedans?|hatchbacks?|jeepneys?|matatus?|marshrutkas?",
        r"(?:licen[cs]e|number|registration|car|vehicle) plates?|plates",
        r"(?:car|vehicle) (?:models?|makes?|brands?)|kei cars?",
        r"toyota|honda|nissan|hyundai|kia|lada|volkswagen|vw|renault|peugeot|citro[eë]n|fiat"
        r"|chevrolet|chevy|suzuki|mitsubishi|mazda|subaru|[sš]koda|dacia|mahindra|maruti|proton"
        r"|perodua|byd|geely|chery|daewoo|opel|vauxhall|holden|mercedes(?:-benz)?|bmw|audi|volvo"
        r"|uaz|gaz|kamaz|isuzu|hilux|land cruiser|corolla|tata (?:trucks?|cars?|buses)",
        r"(?:google|street ?view|camera|gen(?:eration)? ?[1-4]) (?:car|vehicle)",
        r"traffic",
    ),
    "infrastructure": (
        r"(?:utility|telephone|telegraph|power|electric(?:al|ity)?|wooden|concrete|metal|steel"
        r"|lamp|light|hydro) ?poles?",
        r"poles?",
        r"power ?lines?|(?:electric(?:al)?|telephone|utility|overhead|power) (?:wires|lines|cables)"
        r"|wires|cables|pylons?|transmission (?:lines|towers)",
        r"transformers?",
        r"street ?lights?|street ?lamps?|lamp ?posts?|light ?posts?|street lighting",
        r"(?:road|street) (?:surfaces?|quality|conditions?|width|shoulders?)",
        r"(?:hard|paved|gravel|wide|narrow|dirt) shoulders?",
        r"asphalt|tarmac|blacktop|bitumen|macadam",
        r"(?:dirt|gravel|unpaved|paved|sealed|unsealed|concrete|cobbled|cobblestone|sandy|muddy"
        r"|narrow|rural) (?:roads?|tracks?|streets?|lanes?|paths?)",
        r"cobblestones?|cobbles|potholes?|sidewalks?|pavements?|footpaths?|unpaved|paved|gravel",
        r"bus (?:stops?|shelters?)|(?:petrol|gas) pumps?|windmills?|wind turbines?",
        r"(?:bike|bicycle|cycle|cycling) (?:paths?|lanes?|tracks?)",
        r"manholes?|drainage|gutters?|culverts?|fire hydrants?",
        r"rail(?:way|road)s?(?: tracks?| lines?| crossings?)?|tram(?:way)? (?:tracks?|lines?)",
        r"bridges?|highways?|motorways?|freeways?|expressways?|roundabouts?|overpass(?:es)?",
        r"infrastructure|(?:water|storage) tanks?|water towers?|satellite dishes|solar panels",
        r"(?:mobile|cell|radio|telecom) (?:towers?|masts?)",
    ),
    "vegetation": (
        r"vegetation|flora|foliage|greenery|plants|plant life|trees?|palms?|palm trees?",
        r"pines?|pine trees?|eucalyptus|eucalypts?|birch(?:es)?|conifer(?:s|ous)?|deciduous",
        r"forests?|jungle|rainforest|woodland|grass(?:es|land|lands|y)?|lawns?|meadows?",
        r"shrubs?|shrubbery|bushes|bush|scrub(?:land)?|undergrowth|cact(?:i|us|uses)|succulents?",
        r"bamboo|banana (?:trees?|plants?)|rice (?:paddies|paddy|fields?|terraces?)|paddy fields?",
        r"crops?|plantations?|vineyards?|orchards?|olive (?:trees?|groves?)|cypress(?:es)?",
        r"oaks?|maples?|spruces?|firs?|fir trees|ferns?|moss(?:es|y)?|acacias?|baobabs?|hedges?",
        r"sugar ?cane|tea (?:plantations?|bushes)|savann?ah?s?|wooded|forested|tropical (?:plants|vegetation)",
        r"lush|verdant|farmland|pastures?|cropland|grazing land",
    ),
    "terrain_climate": (
        r"terrain|topography|landscape|relief|geography",
        r"mountains?|mountainous|hills?|hilly|hillsides?|valleys?|plateaus?|cliffs?|canyons?",
        r"(?:flat|open|rolling) (?:terrain|land|landscape|plains?|countryside|fields?)|plains",
        r"deserts?|arid|semi-arid|dry (?:season|climate|landscape|conditions|terrain|grass|soil)",
        r"soil|red (?:soil|dirt|earth|clay)|laterite|sand|sandy|rocky|rocks|volcanic",
        r"climate|temperate|subtropical|humid|humidity|continental climate",
        r"weather|overcast|cloudy|clouds|snow(?:y|-capped)?|rain(?:y|fall)?|fog(?:gy)?|mist(?:y)?",
        r"(?:clear|blue|overcast|cloudy|grey|gray|hazy) sk(?:y|ies)|sunny|haze|hazy",
        r"coast(?:al|line)?|beach(?:es)?|ocean|seaside|sea|lakes?|rivers?|steppe|tundra|altitude"
        r"|elevation|highlands?|lowlands?|riverbanks?|riversides?|waterfront|shoreline|bays?",
    ),
    "architecture": (
        r"architecture|architectural|buildings?|building styles?|houses?|homes|housing|dwellings",
        r"roofs?|rooftops?|roofing|(?:tiled|tin|metal|flat|pitched|gabled|thatched) roofs?",
        r"terracotta|facades?|façades?|bricks?|brickwork|stucco|adobe|plaster(?:ed)?|masonry",
        r"(?:apartment|residential|concrete|housing|tower|panel) (?:blocks?|buildings?|towers?"
        r"|complex(?:es)?)",
        r"(?:onion )?domes?|spires?|steeples?|(?:bell|clock) towers?|towers?|arches|stilt houses?",
        r"soviet[- ]era|khrushchyovkas?|high[- ]rises?|skyscrapers?|cottages?|villas?|bungalows?",
        r"churche?s?|church|mosques?|minarets?|temples?|pagodas?|cathedrals?|chapels?|shrines?",
        r"balcon(?:y|ies)|windows?|shutters|verandas?|porches?|courtyards?|gates?|walls?|fences?",
        r"half[- ]timbered|gothic|baroque|colonial|art nouveau|brutalist|vernacular",
        r"(?:wooden|timber|stone|concrete|brick|mud) (?:houses?|buildings?|structures?|homes)",
    ),
    "landmark": (
        r"landmarks?",
        r"monuments?",
        r"(?:famous|iconic|well[- ]known|recogni[sz]able|renowned|emblematic|historic)"
        r"(?: \w+)? (?:buildings?|towers?|bridges?|churche?s?|cathedrals?|temples?|mosques?"
        r"|monuments?|statues?|skylines?|structures?|squares?|palaces?|castles?|sites?)",
    ),
    "culture": (
        r"people|pedestrians|locals|residents|crowds?|persons|cyclists",
        r"clothing|clothes|attire|dress(?:ed)?|outfits?|headscarf|headscarves|hijabs?|turbans?"
        r"|saris?|robes?|uniforms?",
        r"flags?|business(?:es)?|shops?|stores?|storefronts?|shopfronts?|restaurants?|cafes?|cafés?"
        r"|markets?|stalls?|vendors?|kiosks?|supermarkets?|pharmac(?:y|ies)",
        r"brands?|logos?|advertis\w*|adverts?|ads|chains?",
        r"(?:gas|petrol|fuel) stations?",
        r"mcdonald'?s|kfc|7-eleven|coca-cola|pepsi|oxxo|pemex|petrobras|starbucks|carrefour"
        r"|lidl|aldi|tesco|family ?mart|lawson|circle k",
        r"culture|cultural|religio(?:n|us)|cuisine|customs",
    ),
    "sun": (
        r"sun(?:'s)? (?:position|angle|elevation|direction|height|azimuth|path)",
        r"position of the sun|angle of the sun|solar (?:angle|elevation|position)",
        r"sun|sunlight|shadows?|hemispheres?",
    ),
}

# Phrases where a clue word means something else; a term inside one of these is dropped.
OTHER_SENSES: tuple[str, ...] = (
    r"driving (?:force|factor|forces|factors)",
    r"landmark (?:decisions?|cases?|rulings?|stud(?:y|ies)|moments?|achievements?|agreements?"
    r"|legislation|laws?|events?|years?|victor(?:y|ies)|judge?ments?|deals?|treat(?:y|ies)"
    r"|papers?|reports?|reforms?|bills?|trials?|discover(?:y|ies)|elections?|acts?)",
    r"(?:the )?text of (?:the|this|your) (?:question|prompt|task|request|instructions?)",
    r"(?:prompt|question|input|task|instruction|system) text|text (?:above|below)",
    r"pole position|pole vault|(?:north|south) pole|poles apart",
    r"shadow of (?:a|any) doubt|in the shadow of|shadow (?:cabinet|banking|ban)",
    r"(?:a|an|the|any|no|some|clear|good|bad|strong|sure|positive) signs? (?:of|that)\b",
    r"signs? of (?:life|wear|age|ageing|aging|habitation|human|activity|development|decay)",
    r"culture of|in other words|in a word|word for word|a few words",
    r"(?:all (?:the )?)?signs? (?:all )?points? (?:to|towards?)",
    r"(?:body|visual|design|architectural|sign|programming) language|language models?",
    r"latin america(?:n)?|arabic (?:numerals|numbers|digits)",
    r"(?:power|nuclear|processing|manufacturing) plants?|decision trees?|family trees?"
    r"|palm (?:beach|springs|jumeirah)|sun city",
    r"(?:hard|disk|test) drive|drive (?:the|home|growth|demand)|drive[- ]through",
    r"(?:train|line) of thought|bottom line|(?:the )?lines? of (?:reasoning|evidence)"
    r"|along (?:the|these|those) lines|in line with|online|timeline|deadline|guidelines?",
    r"chain of (?:thought|reasoning)|supply chains?|(?:the )?market (?:share|value)",
    r"(?:the )?people's republic|(?:visual|image|photo) (?:quality|resolution)",
)


def _word_alternation(fragments: tuple[str, ...]) -> str:
    return r"\b(?:" + "|".join(fragments) + r")(?!\w)"


def compile_category_patterns() -> dict[str, CasePattern]:
    """Compile one pattern per category from every language's terms (matched ignoring case)."""
    out: dict[str, CasePattern] = {}
    for cat in EN_TERMS:
        words = EN_TERMS[cat] + I18N_TERMS.get(cat, ())
        parts = [_word_alternation(words)]
        cjk = CJK_TERMS.get(cat, ())
        if cjk:
            parts.append("(?:" + "|".join(cjk) + ")")
        if cat == "landmark":
            parts.append(_word_alternation(LANDMARK_NAMES))
        out[cat] = CasePattern("|".join(parts))
    return out


def compile_named_places() -> re.Pattern[str]:
    """Compile the case-sensitive pattern of capitalised place names ("Wat Arun", "Red Square")."""
    return re.compile("|".join(NAMED_PLACE_PATTERNS))


def compile_other_senses() -> CasePattern:
    """Compile the phrases in which clue words mean something else."""
    return CasePattern(_word_alternation(OTHER_SENSES))
