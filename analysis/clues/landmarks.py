"""Landmark names: famous places matched by name, and the shape of a capitalised place name.

The name list is a small, hand-picked set of places that street-level and tourist photos show
often (with the spellings models use in several languages); it is not meant to be complete.
``NAMED_PLACE_PATTERNS`` catches the rest by shape: capitalised words before a landmark noun
("Wat Arun Temple", "St. Stephen's Cathedral"), or a landmark noun before a capitalised name
("Mount Kilimanjaro", "Catedral de Sevilla", "Plaza de Mayo"). Those are matched case-sensitively,
and style words ("Gothic Cathedral", "Orthodox Church") or generic ones ("Main Square") are
refused, since they name a kind of building, not a place.
"""

from __future__ import annotations

LANDMARK_NAMES: tuple[str, ...] = (
    r"eiffel tower|tour eiffel|torre eiffel|eiffelturm|big ben|tower bridge|london eye",
    r"houses of parliament|buckingham palace|westminster(?: abbey)?|stonehenge|edinburgh castle|sydney opera house",
    r"opera house|harbou?r bridge|golden gate(?: bridge)?|statue of liberty|empire state building",
    r"times square|space needle|cn tower|mount rushmore|hollywood sign|grand canyon|niagara falls",
    r"colosseum|coliseum|colosseo|leaning tower(?: of pisa)?|trevi fountain|st\.? peter'?s"
    r"|vatican|sagrada fam[ií]lia|alhambra|puerta del sol|plaza mayor|acropolis|parthenon",
    r"brandenburg(?:er)? (?:gate|tor)|neuschwanstein|k[öo]lner dom|cologne cathedral|atomium",
    r"manneken pis|arc de triomphe|notre[- ]dame|sacr[ée][- ]c(?:œ|oe)ur|louvre|mont[- ]saint[- ]michel",
    r"kremlin|st\.? basil'?s(?: cathedral)?|charles bridge|matterhorn|tower of london",
    r"hagia sophia|ayasofya|galata tower|burj khalifa|burj al arab|pyramids of giza"
    r"|great pyramid|sphinx|taj mahal|gateway of india|india gate|petronas(?: towers)?",
    r"marina bay sands|merlion|angkor wat|wat arun|wat pho|wat phra kaew|shwedagon|borobudur",
    r"forbidden city|great wall of china|tiananmen|oriental pearl|potala palace|taipei 101",
    r"dome of the rock|qutub minar|hawa mahal|charminar|sigiriya|ha long bay|halong bay"
    r"|registan|cappadocia|pamukkale|meteora|hallgr[ií]mskirkja|giant'?s causeway"
    r"|cliffs of moher|prague castle|old town square|astronomical clock|fernsehturm|reichstag"
    r"|brandenburger tor|sch[öo]nbrunn|stephansdom|fisherman'?s bastion|grand[- ]place"
    r"|rijksmuseum|cristo rei|torre de bel[ée]m|jer[óo]nimos|guggenheim|giralda|mezquita"
    r"|champs[- ][ée]lys[ée]es|versailles|ponte vecchio|rialto bridge|st\.? mark'?s"
    r"|doge'?s palace|lincoln memorial|washington monument|gateway arch|alcatraz"
    r"|teotihuac[aá]n|casa rosada|iguaz[uú] falls|perito moreno|torres del paine|moai"
    r"|salar de uyuni|duomo|little mermaid|sydney harbou?r|mont blanc|space needle|flatiron building|chrysler building|sky ?tree",
    r"victoria (?:peak|harbou?r|falls)|tokyo tower|(?:tokyo )?skytree|mount fuji|mt\.? fuji"
    r"|fuji(?:-?san)?|kinkaku-?ji|fushimi inari|senso-?ji|shibuya crossing|osaka castle",
    r"gyeongbokgung|n seoul tower|namsan tower|lotte world tower|table mountain|kilimanjaro",
    r"christ the redeemer|cristo redentor|sugarloaf(?: mountain)?|p[ãa]o de a[çc][úu]car"
    r"|copacabana|obelisco|chich[eé]n itz[aá]|machu picchu|uluru|ayers rock",
)

# Nouns that make a capitalised name a landmark, in the languages the extractor reads.
_AFTER_NOUNS = (
    r"Cathedral|Basilica|Tower|Bridge|Palace|Castle|Temple|Mosque|Monument|Memorial|Gate"
    r"|Fortress|Citadel|Abbey|Shrine|Pagoda|Stadium|Opera House|Statue|Museum|Square|Falls"
    r"|Canyon|Pyramid|Arch|Minster|Kremlin|Dom|Tor|Turm|Kirche|Schloss|Burg|Brücke"
)
_BEFORE_NOUNS = (
    r"Mount|Mt\.|Lake|Catedral|Basílica|Torre|Palacio|Palácio|Castillo|Castelo|Plaza|Praça"
    r"|Puente|Ponte|Iglesia|Igreja|Mosteiro|Monasterio|Cathédrale|Basilique|Tour|Château|Pont"
    r"|Place|Palais|Église|Schloss|Wat|Masjid|Fort|Mont|Monte|Pico|Cerro|Volcán|Lago|Lac"
)
_CAP = r"[A-ZÀ-ÖØ-Þ][\w'’.-]+"
# Capitalised words that describe a kind of building or place rather than name one.
_GENERIC = (
    r"The|A|An|This|That|These|Those|Its|Their|Our|Gothic|Baroque|Orthodox|Catholic|Romanesque"
    r"|Byzantine|Colonial|Victorian|Buddhist|Hindu|Islamic|Christian|Modern|Old|New|Main|Central"
    r"|Town|City|Village|Market|Local|Small|Large|Big|Tall|Stone|Brick|Wooden|Concrete|Soviet"
    r"|Historic|Medieval|Clock|Water|Bell|Radio|Church|Some|Any|No|Several|Many|Ancient"
    r"|Traditional|Typical|European|Asian|African|American|Japanese|Chinese|Spanish|French"
    r"|German|Italian|Russian|Portuguese|English|British|Arabic|Mediterranean|Famous|Greek"
    r"|Polish|Thai|Korean|Turkish|Mexican|Brazilian|Indian|Dutch|Swiss|Khmer|Balinese|Shinto"
    r"|Sikh|Taoist|Lutheran|Protestant|Anglican|Evangelical|Methodist|Baptist|Road|Street|Rail"
    r"|Railway|Highway|Suspension|Iron|Steel|Pedestrian|Foot|Glass|Office|Apartment|Residential"
    r"|Notable|Visible|Possible|Key|Prominent|Distinctive|Recognizable|Recognisable|Iconic"
    # a sentence may begin with a denial or a hedge: "Not the Eiffel Tower" names the tower
    r"|Not|Nor|Neither|Without|Unlike|Maybe|Perhaps|Probably|Likely|Definitely|Clearly"
)

# Names that are also ordinary phrases in lower case ("a red square sign"): matched as written.
_CASED_NAMES = (
    r"Red Square|Grand Palace|Blue Mosque|Golden Temple|White House|Hermitage|Pyramids"
    r"|the Shard|the Gherkin|Capitol|Great Wall|Sky Tower|Lotus Temple|Western Wall"
    r"|Berlin Wall|Spanish Steps|Pantheon|the Bund|Petra|Mount Everest|Everest"
    # named mountain ranges are named places too
    r"|Dolomites|Alps|Andes|Himalayas|Rockies|Rocky Mountains|Pyrenees|Atlas Mountains"
    r"|Carpathians|Apennines|Caucasus|Urals|Tatras|Drakensberg"
)

NAMED_PLACE_PATTERNS: tuple[str, ...] = (
    rf"\b(?:{_CASED_NAMES})\b",
    # "Wat Arun Temple", "St. Stephen's Cathedral": a name word that is not generic, then the noun
    rf"\b(?:St\.? |Saint |San |Santa |Sankt )?(?!(?:{_GENERIC})\b){_CAP}"
    rf"(?: (?:of |de |del |la |the )?(?!(?:{_GENERIC})\b){_CAP}){{0,2}} (?:{_AFTER_NOUNS})\b",
    # "Mount Kilimanjaro", "Plaza de Mayo", "Torre de Belém"
    rf"\b(?:{_BEFORE_NOUNS}) (?:(?:de|del|de la|do|da|dos|das|du|des|d'|of|of the) ?)?"
    rf"(?!(?:{_GENERIC}|Town|Verde|Coast)\b)[A-ZÀ-ÖØ-Þ][\w'’-]+",
)
