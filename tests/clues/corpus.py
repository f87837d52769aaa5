"""Hand-labelled model reasoning texts for scoring the clue extractor (analysis/clues).

Every text was written for this corpus in the manner of the model families GeoScope runs (GPT-4o,
Claude, Gemini): free prose, bullet lists, JSON answers, adversarial replies and replies in other
languages. None is a copy of a real transcript. The labels were decided by reading each text as a
careful person would, without running or reading the extractor:

``cited``
    The clue categories the text uses as evidence for (or to shape) its guess, even weakly or
    hedged. Negated or absent mentions ("no visible text", "Landmark: none", an empty or "N/A"
    JSON field), clue words in another sense ("the driving force", "a landmark decision",
    "the text of your question", "a shadow of a doubt") and a bare final answer cite nothing.
    A named, recognised place used as evidence is ``landmark``; a generic church is
    ``architecture``. The steering-wheel side counts as ``driving_side``; kerbs, walls, fences
    and the road surface as ``infrastructure``; a brand or shop chain as ``culture``.
``claims``
    Facts the text states affirmatively as evidence: ``driving_side`` (left/right), ``script``
    (e.g. Cyrillic, Han, Japanese (kana)), ``language`` (an English language name) and
    ``hemisphere`` (north/south). A fact only implied ("cars are not driving on the left") or
    shown only by a quoted word ("a sign says ALTO") is not a claim.

``UNCITED_MENTIONS`` (at the end) records, per case, the categories the text mentions without
citing them (negated, absent, empty fields, other senses), so that false positives can be read
by category.
"""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES: tuple[str, ...] = (
    "text",
    "driving_side",
    "road_markings",
    "road_furniture",
    "vehicles",
    "infrastructure",
    "vegetation",
    "terrain_climate",
    "architecture",
    "landmark",
    "culture",
    "sun",
)
STYLES: tuple[str, ...] = ("prose", "bullets", "json", "adversarial", "multilingual")
CLAIM_KEYS: tuple[str, ...] = ("driving_side", "script", "language", "hemisphere")


@dataclass(frozen=True)
class ClueCase:
    name: str  # unique: <model>_<style or language code>_<place>_<nn>
    style: str  # "prose" | "bullets" | "json" | "adversarial" | "multilingual"
    text: str  # the model's reasoning/answer text
    cited: frozenset[str]  # the clue category ids the text actually cites as evidence
    claims: tuple[tuple[str, str], ...] = ()  # checkable facts stated affirmatively


CLUE_CASES: list[ClueCase] = [
    ClueCase(
        name="gpt_prose_brazil_01",
        style="prose",
        text=(
            "The image shows a two-lane road with a dashed yellow centre line and low, "
            'colourful concrete houses with terracotta roofs. A shop sign reads "Mercadinho '
            'São José", which is Portuguese. Tall, dense tropical vegetation lines the road, '
            "and the red soil on the shoulder is typical of the interior. Based on these "
            "clues, I believe this photo was taken in Brazil, likely in the state of Minas "
            "Gerais."
        ),
        cited=frozenset({"architecture", "road_markings", "terrain_climate", "text", "vegetation"}),
        claims=(("language", "Portuguese"),),
    ),
    ClueCase(
        name="claude_prose_japan_01",
        style="prose",
        text=(
            "This appears to be a narrow residential street in Japan. The key evidence: "
            "vehicles are driving on the left, the utility poles are concrete with a dense "
            "tangle of overhead wires, and a small kei truck is parked outside a house with "
            "grey glazed roof tiles. The small signs on the fence are written in Japanese "
            "kana. I'd estimate somewhere in suburban Osaka."
        ),
        cited=frozenset({"architecture", "driving_side", "infrastructure", "text", "vehicles"}),
        claims=(("driving_side", "left"), ("script", "Japanese (kana)")),
    ),
    ClueCase(
        name="gemini_prose_france_01",
        style="prose",
        text=(
            "The Eiffel Tower is clearly visible in the background above the rooftops, so this "
            "is Paris, France. The Haussmann-style buildings with cream limestone facades and "
            "wrought-iron balconies confirm it."
        ),
        cited=frozenset({"architecture", "landmark"}),
    ),
    ClueCase(
        name="gpt_prose_russia_01",
        style="prose",
        text=(
            "The signs are written in Cyrillic, and the text on the bus shelter appears to be "
            "Russian. The Soviet-era panel apartment blocks and the birch trees between them "
            "point to Russia. Snow is piled up along the roadside, suggesting a cold "
            "continental climate. My guess: Yekaterinburg, Russia."
        ),
        cited=frozenset({"architecture", "terrain_climate", "text", "vegetation"}),
        claims=(("script", "Cyrillic"), ("language", "Russian")),
    ),
    ClueCase(
        name="claude_prose_australia_01",
        style="prose",
        text=(
            "I can see the Sydney Harbour Bridge in the distance, which makes this an easy "
            "one: Sydney, Australia. Traffic is on the left, consistent with that, and the "
            "eucalyptus trees along the footpath fit too."
        ),
        cited=frozenset({"driving_side", "landmark", "vegetation"}),
        claims=(("driving_side", "left"),),
    ),
    ClueCase(
        name="gpt_prose_kenya_01",
        style="prose",
        text=(
            "This rural road has red laterite soil, acacia trees, and a matatu minibus "
            "decorated with bright graphics. Vehicles keep to the left. There is a roadside "
            "kiosk painted in Safaricom green. These clues suggest Kenya, perhaps near Nakuru."
        ),
        cited=frozenset({"culture", "driving_side", "terrain_climate", "vegetation", "vehicles"}),
        claims=(("driving_side", "left"),),
    ),
    ClueCase(
        name="gemini_prose_usa_01",
        style="prose",
        text=(
            "The road has a double solid yellow centre line and white edge lines, and there's "
            "a green rectangular highway sign. The wooden utility poles and the large pickup "
            "trucks strongly suggest the United States. The dry grassland and distant mesas "
            "point to the Southwest, maybe New Mexico."
        ),
        cited=frozenset(
            {
                "infrastructure",
                "road_furniture",
                "road_markings",
                "terrain_climate",
                "vegetation",
                "vehicles",
            }
        ),
    ),
    ClueCase(
        name="claude_prose_thailand_01",
        style="prose",
        text=(
            "Several clues point to Thailand. The shop signs are in Thai script, there is a "
            "7-Eleven on the corner, and the golden temple roof with ornate spires in the "
            "distance is characteristic of Thai Buddhist architecture. Cars drive on the left, "
            "and the kerbs are painted red and white."
        ),
        cited=frozenset({"architecture", "culture", "driving_side", "infrastructure", "text"}),
        claims=(("script", "Thai"), ("driving_side", "left")),
    ),
    ClueCase(
        name="gpt_prose_argentina_01",
        style="prose",
        text=(
            "The image shows a wide avenue with the Obelisco de Buenos Aires towering over the "
            "intersection. Combined with the Spanish signage and the black-and-yellow taxis, "
            "this is almost certainly Buenos Aires, Argentina."
        ),
        cited=frozenset({"landmark", "text", "vehicles"}),
        claims=(("language", "Spanish"),),
    ),
    ClueCase(
        name="gemini_prose_norway_01",
        style="prose",
        text=(
            "Steep mountains drop straight into a fjord, the houses are painted red and white "
            "with wooden cladding, and the road has a yellow dashed centre line. The black "
            "delineator posts with yellow reflectors along the edge are distinctively "
            "Norwegian. I would guess western Norway, near Bergen."
        ),
        cited=frozenset({"architecture", "road_furniture", "road_markings", "terrain_climate"}),
    ),
    ClueCase(
        name="claude_prose_india_01",
        style="prose",
        text=(
            "This is a busy street with auto-rickshaws, motorcycles and a colourful truck with "
            '"Horn OK Please" painted on the back. The signs are in Devanagari script and '
            "English. Traffic appears to be on the left side. I'd say northern India, possibly "
            "Uttar Pradesh."
        ),
        cited=frozenset({"driving_side", "text", "vehicles"}),
        claims=(("script", "Devanagari"), ("language", "English"), ("driving_side", "left")),
    ),
    ClueCase(
        name="gpt_prose_southafrica_01",
        style="prose",
        text=(
            "Table Mountain's flat summit dominates the skyline, so this must be Cape Town, "
            "South Africa. The minibus taxis and the left-hand traffic support that."
        ),
        cited=frozenset({"driving_side", "landmark", "vehicles"}),
        claims=(("driving_side", "left"),),
    ),
    ClueCase(
        name="gemini_prose_mexico_01",
        style="prose",
        text=(
            "The image shows a small-town street with brightly painted single-storey buildings "
            'and an OXXO convenience store. A sign at the junction says "ALTO", the word used '
            "on Mexican stop signs. The hilly, dry terrain with scattered cacti suggests "
            "central Mexico, perhaps Guanajuato."
        ),
        cited=frozenset({"architecture", "culture", "terrain_climate", "text", "vegetation"}),
    ),
    ClueCase(
        name="claude_prose_uk_01",
        style="prose",
        text=(
            "Big Ben and the Houses of Parliament are visible across the river, which pins "
            "this to Westminster, London. The red double-decker bus is another giveaway."
        ),
        cited=frozenset({"landmark", "vehicles"}),
    ),
    ClueCase(
        name="gpt_prose_indonesia_01",
        style="prose",
        text=(
            "Lush rice terraces, coconut palms and a mosque with a green dome suggest "
            "Indonesia. Motorbikes dominate the road, traffic keeps left, and a warung sign in "
            'Indonesian reads "Warung Makan Bu Sri". My best guess is Central Java.'
        ),
        cited=frozenset({"architecture", "driving_side", "text", "vegetation", "vehicles"}),
        claims=(("driving_side", "left"), ("language", "Indonesian")),
    ),
    ClueCase(
        name="gemini_prose_germany_01",
        style="prose",
        text=(
            "I can see the Brandenburg Gate at the end of the boulevard, which places this in "
            "Berlin, Germany."
        ),
        cited=frozenset({"landmark"}),
    ),
    ClueCase(
        name="claude_prose_chile_01",
        style="prose",
        text=(
            "The road runs through an extremely arid landscape with no vegetation at all, just "
            "brown hills under a cloudless sky, typical of the northern desert regions. A "
            "white kilometre post and the black-on-white road signs typical of Chile support "
            "that. I'd place this somewhere near Calama, Chile."
        ),
        cited=frozenset({"road_furniture", "terrain_climate"}),
    ),
    ClueCase(
        name="gpt_prose_egypt_01",
        style="prose",
        text=(
            "The Pyramids of Giza are visible on the horizon behind the apartment blocks, and "
            "the signs are in Arabic. This is Giza, on the western edge of Cairo, Egypt."
        ),
        cited=frozenset({"landmark", "text"}),
        claims=(("language", "Arabic"),),
    ),
    ClueCase(
        name="claude_prose_canada_01",
        style="prose",
        text=(
            'There are bilingual French/English stop signs reading "ARRÊT / STOP", which is a '
            "strong indicator of Quebec, Canada. The houses have shiny metal roofs, and the "
            "forest behind them is mostly spruce and birch. I'd guess somewhere in the Eastern "
            "Townships."
        ),
        cited=frozenset({"architecture", "text", "vegetation"}),
        claims=(("language", "French"), ("language", "English")),
    ),
    ClueCase(
        name="gemini_prose_peru_01",
        style="prose",
        text=(
            "Machu Picchu's terraces and the peak of Huayna Picchu are unmistakable in this "
            "photo. This is the Cusco region of Peru."
        ),
        cited=frozenset({"landmark"}),
    ),
    ClueCase(
        name="gpt_prose_poland_01",
        style="prose",
        text=(
            "The street has a mix of pre-war tenement buildings and communist-era blocks. Text "
            'on the shops reads "Apteka" and "Żabka" — a Polish convenience chain — and the '
            "Polish diacritics (ż, ł) are distinctive. The Palace of Culture and Science is "
            "visible at the end of the street, so this is Warsaw."
        ),
        cited=frozenset({"architecture", "culture", "landmark", "text"}),
        claims=(("language", "Polish"),),
    ),
    ClueCase(
        name="claude_prose_newzealand_01",
        style="prose",
        text=(
            "Green pastures, left-hand traffic, and a white edge line with a yellow no-passing "
            "line all point to New Zealand. The road sign is a yellow diamond with a black "
            "arrow, the style used in Australia and New Zealand. The symmetrical volcanic cone "
            "on the horizon looks like Mount Taranaki, so I'd guess Taranaki region."
        ),
        cited=frozenset(
            {
                "driving_side",
                "landmark",
                "road_furniture",
                "road_markings",
                "vegetation",
            }
        ),
        claims=(("driving_side", "left"),),
    ),
    ClueCase(
        name="gpt_prose_vietnam_01",
        style="prose",
        text=(
            "Hundreds of motorbikes fill the street, the shop signs use the Latin alphabet "
            "with the heavy diacritics typical of Vietnamese, and the narrow 'tube houses' are "
            "very characteristic. Power lines hang in thick bundles from concrete poles. This "
            "is Vietnam, probably Hanoi."
        ),
        cited=frozenset({"architecture", "infrastructure", "text", "vehicles"}),
        claims=(("script", "Latin"), ("language", "Vietnamese")),
    ),
    ClueCase(
        name="gemini_prose_spain_01",
        style="prose",
        text=(
            "The Sagrada Família's spires rise above the apartment blocks — this is Barcelona, "
            "Spain. The yellow-and-black taxis match as well."
        ),
        cited=frozenset({"landmark", "vehicles"}),
    ),
    ClueCase(
        name="claude_prose_finland_01",
        style="prose",
        text=(
            "The landscape is flat with dense pine and birch forest, and the two-lane road has "
            "a yellow dashed centre line. A red wooden house with white trim sits by a lake. "
            "This combination is very typical of Finland."
        ),
        cited=frozenset({"architecture", "road_markings", "terrain_climate", "vegetation"}),
    ),
    ClueCase(
        name="gpt_prose_turkey_01",
        style="prose",
        text=(
            "The Hagia Sophia and its minarets are visible across the square, and the signs "
            "are in Turkish. This is Sultanahmet in Istanbul, Turkey."
        ),
        cited=frozenset({"landmark", "text"}),
        claims=(("language", "Turkish"),),
    ),
    ClueCase(
        name="claude_prose_ghana_01",
        style="prose",
        text=(
            "The unpaved road is a rough dirt track with red-orange soil, there are mango "
            "trees, and a roadside shop is painted in MTN yellow. People are wearing colourful "
            "wax-print clothing. Vehicles drive on the right. I believe this is southern Ghana."
        ),
        cited=frozenset(
            {
                "culture",
                "driving_side",
                "infrastructure",
                "terrain_climate",
                "vegetation",
            }
        ),
        claims=(("driving_side", "right"),),
    ),
    ClueCase(
        name="gemini_prose_southkorea_01",
        style="prose",
        text=(
            "The signs are in Hangul, the apartment towers have large block numbers painted on "
            "their sides, and N Seoul Tower sits on the hill in the background. This is Seoul, "
            "South Korea."
        ),
        cited=frozenset({"architecture", "landmark", "text"}),
        claims=(("script", "Hangul"),),
    ),
    ClueCase(
        name="gpt_prose_australia_02",
        style="prose",
        text=(
            "The sun is high and to the north, with shadows falling toward the south, which "
            "indicates the southern hemisphere. The dry red earth, spinifex grass and a road "
            "train on the highway strongly suggest outback Australia, likely the Northern "
            "Territory."
        ),
        cited=frozenset({"sun", "terrain_climate", "vegetation", "vehicles"}),
        claims=(("hemisphere", "south"),),
    ),
    ClueCase(
        name="claude_prose_uae_01",
        style="prose",
        text=(
            "The Burj Khalifa dominates the skyline on the right, so this is downtown Dubai, "
            "United Arab Emirates. The road signs are bilingual Arabic and English, which fits."
        ),
        cited=frozenset({"landmark", "text"}),
        claims=(("language", "Arabic"), ("language", "English")),
    ),
    ClueCase(
        name="gpt_prose_italy_01",
        style="prose",
        text=(
            "The Colosseum is partially visible on the left, and there is a Vespa parked at "
            "the curb. This is Rome."
        ),
        cited=frozenset({"landmark", "vehicles"}),
    ),
    ClueCase(
        name="gemini_prose_mongolia_01",
        style="prose",
        text=(
            "Vast, rolling grassland with no trees, a white ger (yurt) in the distance and a "
            "sign in Mongolian Cyrillic suggest Mongolia, probably not far from Ulaanbaatar."
        ),
        cited=frozenset({"architecture", "terrain_climate", "text", "vegetation"}),
        claims=(("script", "Cyrillic"), ("language", "Mongolian")),
    ),
    ClueCase(
        name="claude_prose_philippines_01",
        style="prose",
        text=(
            "A brightly decorated jeepney is driving on the right, there are coconut palms "
            "everywhere, and a small sari-sari store sits by the road. This points to the "
            "Philippines, probably Luzon."
        ),
        cited=frozenset({"culture", "driving_side", "vegetation", "vehicles"}),
        claims=(("driving_side", "right"),),
    ),
    ClueCase(
        name="gpt_prose_iceland_01",
        style="prose",
        text=(
            "There are no obvious landmarks, but the landscape is barren volcanic lava fields "
            "covered in moss, with no trees. The road has yellow edge posts with reflectors "
            "and a white dashed centre line. This looks like Iceland, somewhere on the Ring "
            "Road."
        ),
        cited=frozenset({"road_furniture", "road_markings", "terrain_climate", "vegetation"}),
    ),
    ClueCase(
        name="claude_prose_portugal_01",
        style="prose",
        text=(
            "I can't make out any readable text in the image. The architecture, though — "
            "whitewashed houses with blue trim and terracotta roofs — along with cork oaks and "
            "the rolling dry hills, points to southern Portugal, the Alentejo."
        ),
        cited=frozenset({"architecture", "terrain_climate", "vegetation"}),
    ),
    ClueCase(
        name="gemini_prose_china_01",
        style="prose",
        text=(
            "The signs use simplified Chinese characters, and the wide road has a double "
            "yellow centre line with white lane dividers. The uniform high-rise residential "
            "towers are very typical of a Chinese city. I'd guess Chengdu, China."
        ),
        cited=frozenset({"architecture", "road_markings", "text"}),
        claims=(("script", "Han"),),
    ),
    ClueCase(
        name="gpt_prose_greece_01",
        style="prose",
        text=(
            "The Acropolis with the Parthenon sits on the hill above the street, and the signs "
            "are in Greek. This is Athens."
        ),
        cited=frozenset({"landmark", "text"}),
        claims=(("language", "Greek"),),
    ),
    ClueCase(
        name="claude_prose_colombia_01",
        style="prose",
        text=(
            "The image shows a steep mountain road with very lush vegetation, banana plants "
            "and a small house with a corrugated metal roof. A yellow diamond-shaped sign "
            "warns of a curve. The yellow licence plate on the car ahead and the Spanish sign "
            '"Curva peligrosa" confirm Colombia, likely the coffee region.'
        ),
        cited=frozenset(
            {
                "architecture",
                "road_furniture",
                "terrain_climate",
                "text",
                "vegetation",
                "vehicles",
            }
        ),
        claims=(("language", "Spanish"),),
    ),
    ClueCase(
        name="gemini_prose_singapore_01",
        style="prose",
        text="Marina Bay Sands is visible across the water. Singapore.",
        cited=frozenset({"landmark"}),
    ),
    ClueCase(
        name="gpt_prose_morocco_01",
        style="prose",
        text=(
            "The buildings are ochre-red earthen structures, the signs are in Arabic and "
            "French, and there's a small petit taxi painted in the local colour. Snow-capped "
            "mountains are visible in the distance. This looks like Marrakesh, Morocco."
        ),
        cited=frozenset({"architecture", "terrain_climate", "text", "vehicles"}),
        claims=(("language", "Arabic"), ("language", "French")),
    ),
    ClueCase(
        name="claude_prose_russia_02",
        style="prose",
        text=(
            "The sun is low in the southern sky and the long shadows point north, which "
            "suggests we are fairly far into the northern hemisphere. The onion-domed Orthodox "
            "church, the Cyrillic signage and the old Lada parked by the road point to rural "
            "Russia."
        ),
        cited=frozenset({"architecture", "sun", "text", "vehicles"}),
        claims=(("hemisphere", "north"), ("script", "Cyrillic")),
    ),
    ClueCase(
        name="gpt_prose_brazil_02",
        style="prose",
        text=(
            "Christ the Redeemer is visible on top of the mountain in the background, so this "
            'is Rio de Janeiro, Brazil. The Portuguese street sign ("Rua Jardim Botânico") '
            "confirms the country."
        ),
        cited=frozenset({"landmark", "text"}),
        claims=(("language", "Portuguese"),),
    ),
    ClueCase(
        name="gemini_prose_nigeria_01",
        style="prose",
        text=(
            "Yellow danfo buses crowd the road, there are okada motorcycle taxis, and a "
            "billboard advertises in English with a +234 phone number. This is Lagos, Nigeria."
        ),
        cited=frozenset({"text", "vehicles"}),
        claims=(("language", "English"),),
    ),
    ClueCase(
        name="claude_prose_netherlands_01",
        style="prose",
        text=(
            "Flat terrain, a canal, red brick row houses and a dedicated red asphalt bike lane "
            "— classic Netherlands. The shark-teeth give-way markings painted on the road "
            "confirm it. Probably a town in South Holland."
        ),
        cited=frozenset({"architecture", "infrastructure", "road_markings", "terrain_climate"}),
    ),
    ClueCase(
        name="gpt_prose_usa_02",
        style="prose",
        text=(
            "The Golden Gate Bridge spans the bay in the background, so this is San Francisco. "
            "The steep street and the cable car are consistent with that."
        ),
        cited=frozenset({"landmark", "terrain_climate", "vehicles"}),
    ),
    ClueCase(
        name="gemini_prose_cambodia_01",
        style="prose",
        text=(
            "The temple towers of Angkor Wat rise behind the trees, and tuk-tuks wait along "
            "the road. This is Siem Reap, Cambodia."
        ),
        cited=frozenset({"landmark", "vehicles"}),
    ),
    ClueCase(
        name="claude_prose_sweden_01",
        style="prose",
        text=(
            "The road has white dashed centre lines, and the warning triangle has a yellow "
            "background with a red border, which is characteristic of Sweden. Falu-red wooden "
            "houses, spruce forest and a Volvo estate in the driveway all fit. I'd say central "
            "Sweden, maybe Dalarna."
        ),
        cited=frozenset(
            {
                "architecture",
                "road_furniture",
                "road_markings",
                "vegetation",
                "vehicles",
            }
        ),
    ),
    ClueCase(
        name="gpt_prose_hungary_01",
        style="prose",
        text=(
            "The Hungarian Parliament Building is visible across the Danube, so this is "
            "Budapest."
        ),
        cited=frozenset({"landmark"}),
    ),
    ClueCase(
        name="gemini_prose_ukraine_01",
        style="prose",
        text=(
            "The text on the shopfronts is Cyrillic but includes the letters 'і' and 'ї', "
            "which are specific to Ukrainian. The Soviet-style apartment blocks and the "
            "marshrutka minibus are consistent. I'd guess Kyiv, Ukraine."
        ),
        cited=frozenset({"architecture", "text", "vehicles"}),
        claims=(("script", "Cyrillic"), ("language", "Ukrainian")),
    ),
    ClueCase(
        name="claude_prose_israel_01",
        style="prose",
        text=(
            "Signs are in Hebrew, Arabic and English, the buildings are clad in pale Jerusalem "
            "stone, and the vegetation is Mediterranean scrub with olive trees. This is almost "
            "certainly Jerusalem."
        ),
        cited=frozenset({"architecture", "text", "vegetation"}),
        claims=(("language", "Hebrew"), ("language", "Arabic"), ("language", "English")),
    ),
    ClueCase(
        name="gpt_prose_argentina_02",
        style="prose",
        text=(
            "Nothing in the image is a recognisable landmark. The pampas here are completely "
            "flat, with tall grass and eucalyptus windbreaks, and the road has a double yellow "
            "centre line. I'd go with Buenos Aires Province, Argentina."
        ),
        cited=frozenset({"road_markings", "terrain_climate", "vegetation"}),
    ),
    ClueCase(
        name="claude_prose_taiwan_01",
        style="prose",
        text=(
            "Taipei 101 is visible above the skyline, and the signs use traditional Chinese "
            "characters. Taipei, Taiwan."
        ),
        cited=frozenset({"landmark", "text"}),
        claims=(("script", "Han"),),
    ),
    ClueCase(
        name="gemini_prose_ireland_01",
        style="prose",
        text=(
            "The road signs are bilingual in Irish and English, and the yellow diamond warning "
            "signs are typical of Ireland. Dry-stone walls border the bright green fields, and "
            "traffic is on the left. I'd guess County Galway."
        ),
        cited=frozenset({"driving_side", "infrastructure", "road_furniture", "text", "vegetation"}),
        claims=(("language", "Irish"), ("language", "English"), ("driving_side", "left")),
    ),
    ClueCase(
        name="gpt_prose_canada_02",
        style="prose",
        text=(
            "The CN Tower is visible at the end of the street. That places this in downtown "
            "Toronto."
        ),
        cited=frozenset({"landmark"}),
    ),
    ClueCase(
        name="claude_prose_brazil_03",
        style="prose",
        text=(
            "Judging from the shadows, the sun is in the northern part of the sky, which "
            "points to the southern hemisphere. The scrubby, twisted trees and the red soil "
            "look like the Brazilian cerrado. I'll guess Goiás, Brazil."
        ),
        cited=frozenset({"sun", "terrain_climate", "vegetation"}),
        claims=(("hemisphere", "south"),),
    ),
    ClueCase(
        name="gemini_prose_japan_02",
        style="prose",
        text=(
            "Mount Fuji's snow-capped peak is visible behind the town, and the street has "
            "Japanese signage. This is likely Fujiyoshida in Yamanashi Prefecture."
        ),
        cited=frozenset({"landmark", "text"}),
        claims=(("language", "Japanese"),),
    ),
    ClueCase(
        name="gpt_prose_austria_01",
        style="prose",
        text=(
            "There's no visible text, but the alpine scenery, the chalet-style houses with "
            "flower boxes on the balconies and the white delineator posts with black tops "
            "suggest Austria, maybe Tyrol."
        ),
        cited=frozenset({"architecture", "road_furniture", "terrain_climate"}),
    ),
    ClueCase(
        name="claude_prose_czech_01",
        style="prose",
        text=(
            "Charles Bridge with its statues is in the foreground and Prague Castle sits on "
            "the hill behind it, so this is Prague, Czech Republic."
        ),
        cited=frozenset({"landmark"}),
    ),
    ClueCase(
        name="gemini_prose_saudi_01",
        style="prose",
        text=(
            "Flat sandy desert on both sides, a wide divided highway with concrete barriers, a "
            "white Toyota Land Cruiser, and green highway signs in Arabic and English. This "
            "looks like Saudi Arabia, perhaps between Riyadh and Dammam."
        ),
        cited=frozenset(
            {
                "infrastructure",
                "road_furniture",
                "terrain_climate",
                "text",
                "vehicles",
            }
        ),
        claims=(("language", "Arabic"), ("language", "English")),
    ),
    ClueCase(
        name="gpt_prose_romania_01",
        style="prose",
        text=(
            "Let me go through the clues. The village houses have tall, carved wooden gates "
            "and tin roofs, a horse-drawn cart is on the road, and the utility poles are "
            "concrete with a distinctive pattern of holes. The road has a broken white centre "
            'line. A shop sign reads "Magazin Mixt", which is Romanian. Rolling hills and corn '
            "fields surround the village. Putting this together, I think this is Romania, "
            "probably in Maramureș."
        ),
        cited=frozenset(
            {
                "architecture",
                "infrastructure",
                "road_markings",
                "terrain_climate",
                "text",
                "vegetation",
                "vehicles",
            }
        ),
        claims=(("language", "Romanian"),),
    ),
    ClueCase(
        name="claude_prose_peru_02",
        style="prose",
        text=(
            "The key driver of my guess is the architecture: unfinished brick houses with "
            "rebar sticking out of the roofs, which is extremely common in Peru. The coastal "
            "hills are bare desert, and there's a mototaxi on the street. I'd say the "
            "outskirts of Lima."
        ),
        cited=frozenset({"architecture", "terrain_climate", "vehicles"}),
    ),
    ClueCase(
        name="gemini_prose_malaysia_01",
        style="prose",
        text="The Petronas Twin Towers are unmistakable. Kuala Lumpur, Malaysia.",
        cited=frozenset({"landmark"}),
    ),
    ClueCase(
        name="gpt_prose_denmark_01",
        style="prose",
        text=(
            'A sign reading "Udkørsel" is Danish. The flat farmland, the thatched-roof '
            "farmhouse and the row of wind turbines on the horizon fit Denmark well — probably "
            "Jutland."
        ),
        cited=frozenset(
            {
                "architecture",
                "infrastructure",
                "terrain_climate",
                "text",
                "vegetation",
            }
        ),
        claims=(("language", "Danish"),),
    ),
    ClueCase(
        name="claude_prose_southafrica_02",
        style="prose",
        text=(
            "There's no famous landmark here, but the clues are strong: left-hand traffic, a "
            "yellow edge line along the shoulder, and a white minibus taxi. The dry grassland "
            "and flat-topped hills look like the Highveld. South Africa, somewhere in "
            "Mpumalanga."
        ),
        cited=frozenset(
            {
                "driving_side",
                "road_markings",
                "terrain_climate",
                "vegetation",
                "vehicles",
            }
        ),
        claims=(("driving_side", "left"),),
    ),
    ClueCase(
        name="gemini_prose_france_02",
        style="prose",
        text=(
            "The road has white dashed centre lines and the signs use the French style with a "
            'red border; one of them reads "Toutes directions". The plane trees along the road '
            "and the stone farmhouses suggest southern France, perhaps Provence."
        ),
        cited=frozenset({"architecture", "road_furniture", "road_markings", "text", "vegetation"}),
    ),
    ClueCase(
        name="gpt_prose_chile_02",
        style="prose",
        text=("The Costanera Center tower stands out on the skyline. This is Santiago, Chile."),
        cited=frozenset({"landmark"}),
    ),
    ClueCase(
        name="claude_prose_usa_03",
        style="prose",
        text=(
            "Shadows fall to the north, so the sun is in the south — we're in the northern "
            "hemisphere. The road has a yellow centre line and the forest is deciduous, with "
            "lots of maples turning red. This looks like New England, maybe Vermont."
        ),
        cited=frozenset({"road_markings", "sun", "vegetation"}),
        claims=(("hemisphere", "north"),),
    ),
    ClueCase(
        name="gemini_prose_ethiopia_01",
        style="prose",
        text=(
            "The shop signs are in the Ge'ez (Ethiopic) script, there are blue-and-white "
            "minibus taxis, and the highland terrain is hilly and cool. This is Addis Ababa, "
            "Ethiopia."
        ),
        cited=frozenset({"terrain_climate", "text", "vehicles"}),
        claims=(("script", "Ethiopic"),),
    ),
    ClueCase(
        name="gpt_prose_georgia_01",
        style="prose",
        text=(
            "The signs are in the Georgian alphabet, with its distinctive rounded letters. The "
            "Holy Trinity Cathedral on the hill suggests Tbilisi."
        ),
        cited=frozenset({"landmark", "text"}),
        claims=(("script", "Georgian"),),
    ),
    ClueCase(
        name="claude_prose_srilanka_01",
        style="prose",
        text=(
            "Signs are in Sinhala and Tamil scripts, a red Ceylon Transport Board bus and "
            "several three-wheelers are on the road, traffic keeps left, and coconut palms "
            "line the street. Sri Lanka, probably near Colombo."
        ),
        cited=frozenset({"driving_side", "text", "vegetation", "vehicles"}),
        claims=(("script", "Sinhala"), ("script", "Tamil"), ("driving_side", "left")),
    ),
    ClueCase(
        name="gemini_prose_poland_02",
        style="prose",
        text="Based on the road markings and the vegetation, I'd guess Poland.",
        cited=frozenset({"road_markings", "vegetation"}),
    ),
    ClueCase(
        name="claude_prose_bangladesh_01",
        style="prose",
        text=(
            "The cycle rickshaws are densely packed, the shop signs are in Bengali script, and "
            "the humid, flat delta landscape with water everywhere fits Bangladesh. Dhaka "
            "seems likely."
        ),
        cited=frozenset({"terrain_climate", "text", "vehicles"}),
        claims=(("script", "Bengali"),),
    ),
    ClueCase(
        name="gemini_prose_bolivia_01",
        style="prose",
        text=(
            "I don't see any landmarks or legible signs. The high-altitude, treeless plateau "
            "with snow-capped peaks in the distance and the women wearing bowler hats and "
            "layered skirts suggest the Bolivian Altiplano, near La Paz."
        ),
        cited=frozenset({"culture", "terrain_climate"}),
    ),
    ClueCase(
        name="claude_prose_italy_02",
        style="prose",
        text=(
            "The direction sign is too blurry to read, but it's blue, which in Italy indicates "
            "an ordinary road (motorway signs are green). Stone pines and terracotta-roofed "
            "villas suggest central Italy, near Rome."
        ),
        cited=frozenset({"architecture", "road_furniture", "vegetation"}),
    ),
    ClueCase(
        name="claude_prose_kenya_02",
        style="prose",
        text=(
            "Part of the Street View car is visible at the bottom of the frame, with a snorkel "
            "on the roof, which I've seen in Kenyan coverage. Combined with the red earth and "
            "the acacia trees, I'd go with Kenya."
        ),
        cited=frozenset({"terrain_climate", "vegetation", "vehicles"}),
    ),
    ClueCase(
        name="gemini_prose_argentina_03",
        style="prose",
        text=(
            'A billboard lists a website ending in ".com.ar" and a phone number starting with '
            "+54, which points to Argentina. The very flat terrain suggests the pampas, maybe "
            "near Córdoba."
        ),
        cited=frozenset({"terrain_climate", "text"}),
    ),
    ClueCase(
        name="gpt_prose_kyrgyzstan_01",
        style="prose",
        text=(
            "The image shows a valley road with huge, bare mountains on both sides and a few "
            "yurts with horses nearby. A man in a tall white kalpak hat stands by a roadside "
            "stall. The signs are in Cyrillic. These clues suggest Kyrgyzstan, maybe near Lake "
            "Issyk-Kul."
        ),
        cited=frozenset({"architecture", "culture", "terrain_climate", "text"}),
        claims=(("script", "Cyrillic"),),
    ),
    ClueCase(
        name="claude_prose_lithuania_01",
        style="prose",
        text=(
            "The yellow warning triangles with red borders and the concrete utility poles are "
            'typical of the Baltics. The forest is mixed pine and birch. A sign reads "Vilnius '
            '42", and the diacritics on another sign (ė, ų) are Lithuanian. Lithuania.'
        ),
        cited=frozenset({"infrastructure", "road_furniture", "text", "vegetation"}),
        claims=(("language", "Lithuanian"),),
    ),
    ClueCase(
        name="gpt_prose_china_02",
        style="prose",
        text=(
            "The Forbidden City's red walls and the Tiananmen gate with its portrait are "
            "visible, and the banners use Chinese characters. This is Beijing, China."
        ),
        cited=frozenset({"landmark", "text"}),
        claims=(("script", "Han"),),
    ),
    ClueCase(
        name="gpt_bullets_brazil_01",
        style="bullets",
        text=(
            "Here's my analysis:\n"
            "\n"
            '1. **Language**: The signs are in Portuguese ("Rua", "Farmácia").\n'
            "2. **Vegetation**: Tropical, with banana trees and palms.\n"
            "3. **Road markings**: Yellow centre line, white edge lines.\n"
            "4. **Landmarks**: None visible.\n"
            "\n"
            "**Conclusion**: Brazil, likely São Paulo state."
        ),
        cited=frozenset({"road_markings", "text", "vegetation"}),
        claims=(("language", "Portuguese"),),
    ),
    ClueCase(
        name="claude_bullets_japan_01",
        style="bullets",
        text=(
            "Key observations:\n"
            "- Vehicles drive on the left\n"
            "- Compact kei cars and a white delivery van\n"
            "- Overhead wires on concrete poles\n"
            "- Signs in Japanese\n"
            "- Tokyo Tower is visible in the distance\n"
            "\n"
            "This is Tokyo, Japan."
        ),
        cited=frozenset({"driving_side", "infrastructure", "landmark", "text", "vehicles"}),
        claims=(("driving_side", "left"), ("language", "Japanese")),
    ),
    ClueCase(
        name="gemini_bullets_usa_01",
        style="bullets",
        text=(
            "## Clues\n"
            "* **Road markings:** double yellow centre line\n"
            "* **Road furniture:** yellow diamond warning signs in the MUTCD style\n"
            "* **Vehicles:** large pickup trucks, a yellow school bus\n"
            "* **Text:** N/A — nothing legible\n"
            "* **Landmark:** none\n"
            "\n"
            "## Answer\n"
            "United States, Midwest (Iowa?)"
        ),
        cited=frozenset({"road_furniture", "road_markings", "vehicles"}),
    ),
    ClueCase(
        name="gpt_bullets_france_01",
        style="bullets",
        text=(
            "1. **Landmark**: The Arc de Triomphe is visible at the end of the avenue.\n"
            "2. **Architecture**: Haussmannian apartment buildings.\n"
            "3. **Vehicles**: Renault and Peugeot cars with French plates (blue EU band on the "
            "left, blue département band on the right).\n"
            '4. **Text**: The street sign reads "Avenue de la Grande Armée".\n'
            "\n"
            "Final answer: Paris, France (48.874, 2.289)."
        ),
        cited=frozenset({"architecture", "landmark", "text", "vehicles"}),
    ),
    ClueCase(
        name="claude_bullets_russia_01",
        style="bullets",
        text=(
            "**Analysis**\n"
            "- Script: Cyrillic on the shop signs\n"
            "- Architecture: five-storey Khrushchev-era apartment blocks\n"
            "- Vegetation: birch and poplar\n"
            "- Climate: snow on the ground, overcast\n"
            "- Landmarks: nothing identifiable\n"
            "\n"
            "**Guess**: Novosibirsk, Russia"
        ),
        cited=frozenset({"architecture", "terrain_climate", "text", "vegetation"}),
        claims=(("script", "Cyrillic"),),
    ),
    ClueCase(
        name="gemini_bullets_australia_01",
        style="bullets",
        text=(
            "- Driving side: left\n"
            "- Road markings: white dashed centre line, no yellow lines\n"
            "- Road signs: yellow diamond warning sign with a kangaroo silhouette\n"
            "- Vegetation: eucalyptus and dry grass\n"
            "- Terrain: flat, red soil\n"
            "\n"
            "Conclusion: rural Australia, probably Western Australia."
        ),
        cited=frozenset(
            {
                "driving_side",
                "road_furniture",
                "road_markings",
                "terrain_climate",
                "vegetation",
            }
        ),
        claims=(("driving_side", "left"),),
    ),
    ClueCase(
        name="gpt_bullets_india_02",
        style="bullets",
        text=(
            "Observations:\n"
            "1. The India Gate monument is visible at the end of the road.\n"
            "2. Traffic drives on the left.\n"
            "3. Green-and-yellow auto-rickshaws.\n"
            "4. Signs in Hindi and English.\n"
            "\n"
            "Location: New Delhi, India"
        ),
        cited=frozenset({"driving_side", "landmark", "text", "vehicles"}),
        claims=(("driving_side", "left"), ("language", "Hindi"), ("language", "English")),
    ),
    ClueCase(
        name="claude_bullets_spain_02",
        style="bullets",
        text=(
            "Let me list what I can see:\n"
            "- No landmarks or famous buildings\n"
            "- Whitewashed houses with terracotta tiles\n"
            "- Olive groves on dry, rolling hills\n"
            '- A sign reading "Ayuntamiento" (Spanish)\n'
            "- Cars drive on the right\n"
            "\n"
            "I'd guess Andalusia, Spain."
        ),
        cited=frozenset({"architecture", "driving_side", "terrain_climate", "text", "vegetation"}),
        claims=(("language", "Spanish"), ("driving_side", "right")),
    ),
    ClueCase(
        name="gemini_bullets_uk_02",
        style="bullets",
        text=(
            "**Clues identified:**\n"
            "1. Tower Bridge spans the river in the background\n"
            "2. A red double-decker bus\n"
            "3. Left-hand traffic\n"
            "4. Double yellow lines along the kerb\n"
            "\n"
            "**Location:** London, UK"
        ),
        cited=frozenset({"driving_side", "landmark", "road_markings", "vehicles"}),
        claims=(("driving_side", "left"),),
    ),
    ClueCase(
        name="gpt_bullets_thailand_02",
        style="bullets",
        text=(
            "- **Text**: none visible\n"
            "- **Vegetation**: banana plants, palms\n"
            "- **Architecture**: wooden stilt house\n"
            "- **Vehicles**: pickup truck with a passenger canopy, driving on the left\n"
            "- **Utility poles**: concrete, with many cables\n"
            "\n"
            "→ Thailand (Isan region)"
        ),
        cited=frozenset(
            {
                "architecture",
                "driving_side",
                "infrastructure",
                "vegetation",
                "vehicles",
            }
        ),
        claims=(("driving_side", "left"),),
    ),
    ClueCase(
        name="claude_bullets_kenya_02",
        style="bullets",
        text=(
            "1. **Terrain**: dry savanna with flat-topped acacias\n"
            "2. **Landmark**: Mount Kilimanjaro is visible on the horizon — seen from the "
            "north, so this could be the Kenyan side\n"
            "3. **Driving side**: left\n"
            "4. **Vehicles**: safari Land Cruiser with a pop-up roof\n"
            "\n"
            "Best guess: Amboseli area, southern Kenya."
        ),
        cited=frozenset({"driving_side", "landmark", "terrain_climate", "vegetation", "vehicles"}),
        claims=(("driving_side", "left"),),
    ),
    ClueCase(
        name="gemini_bullets_germany_02",
        style="bullets",
        text=(
            "### Observations\n"
            '- **Signage**: German; one sign reads "Ausfahrt"\n'
            "- **Road furniture**: white delineator posts with black bands\n"
            "- **Road markings**: white dashed centre line\n"
            "- **Landmark**: Cologne Cathedral's twin spires in the distance\n"
            "\n"
            "### Answer\n"
            "Cologne, Germany"
        ),
        cited=frozenset({"landmark", "road_furniture", "road_markings", "text"}),
        claims=(("language", "German"),),
    ),
    ClueCase(
        name="gpt_bullets_mexico_02",
        style="bullets",
        text=(
            "Clues:\n"
            '- Spanish text on shop signs ("Abarrotes", "Tortillería")\n'
            "- An OXXO store on the corner\n"
            "- Colourful concrete buildings with flat roofs\n"
            "- Dry hills with cacti\n"
            "- Sun: shadows point north, so northern hemisphere, fairly low latitude\n"
            "\n"
            "Answer: Mexico (probably Jalisco)"
        ),
        cited=frozenset(
            {
                "architecture",
                "culture",
                "sun",
                "terrain_climate",
                "text",
                "vegetation",
            }
        ),
        claims=(("language", "Spanish"), ("hemisphere", "north")),
    ),
    ClueCase(
        name="claude_bullets_italy_03",
        style="bullets",
        text=(
            "**Landmark:** Leaning Tower of Pisa, clearly visible.\n"
            "**Text:** Italian signage.\n"
            "**Verdict:** Pisa, Italy."
        ),
        cited=frozenset({"landmark", "text"}),
        claims=(("language", "Italian"),),
    ),
    ClueCase(
        name="gemini_bullets_indonesia_02",
        style="bullets",
        text=(
            "1. Vegetation — dense tropical jungle, rice paddies\n"
            "2. Driving side — left\n"
            "3. Vehicles — many scooters, an angkot minivan\n"
            '4. Text — Indonesian: "Jalan", "Toko"\n'
            "5. Landmark — none\n"
            "\n"
            "Guess: Bali, Indonesia"
        ),
        cited=frozenset({"driving_side", "text", "vegetation", "vehicles"}),
        claims=(("driving_side", "left"), ("language", "Indonesian")),
    ),
    ClueCase(
        name="gpt_bullets_turkey_02",
        style="bullets",
        text=(
            "- The Blue Mosque with its six minarets is visible\n"
            "- Turkish signage\n"
            "- Trams running along the street\n"
            "\n"
            "Istanbul, Turkey"
        ),
        cited=frozenset({"landmark", "text", "vehicles"}),
        claims=(("language", "Turkish"),),
    ),
    ClueCase(
        name="claude_bullets_canada_03",
        style="bullets",
        text=(
            "## Evidence\n"
            "- **Text**: Bilingual English/French signs\n"
            "- **Road furniture**: black-on-white speed limit sign in km/h\n"
            "- **Vegetation**: boreal forest (spruce, fir)\n"
            "- **Landmarks**: I don't see any\n"
            "\n"
            "## Conclusion\n"
            "Northern Ontario, Canada"
        ),
        cited=frozenset({"road_furniture", "text", "vegetation"}),
        claims=(("language", "English"), ("language", "French")),
    ),
    ClueCase(
        name="gemini_bullets_peru_03",
        style="bullets",
        text=(
            "Clues:\n"
            "1. Mototaxis\n"
            "2. Adobe houses\n"
            "3. Arid coastal desert\n"
            '4. "Se vende" painted on a wall — Spanish\n'
            "\n"
            "Answer: Peru"
        ),
        cited=frozenset({"architecture", "terrain_climate", "text", "vehicles"}),
        claims=(("language", "Spanish"),),
    ),
    ClueCase(
        name="gpt_bullets_norway_02",
        style="bullets",
        text=(
            "**Analysis:**\n"
            "- Road markings: yellow centre line, as used in Norway\n"
            "- Bollards: black posts with yellow reflectors\n"
            "- Houses: wooden, painted red and white\n"
            "- Terrain: mountains and a fjord\n"
            "- Landmark: none identifiable\n"
            "- Text: none\n"
            "\n"
            "**Answer:** Norway"
        ),
        cited=frozenset({"architecture", "road_furniture", "road_markings", "terrain_climate"}),
    ),
    ClueCase(
        name="claude_bullets_brazil_03",
        style="bullets",
        text=(
            "- Christ the Redeemer atop Corcovado in the background\n"
            "- Portuguese signs\n"
            "- A favela of brick houses stacked on the hillside\n"
            "\n"
            "→ Rio de Janeiro, Brazil"
        ),
        cited=frozenset({"architecture", "landmark", "text"}),
        claims=(("language", "Portuguese"),),
    ),
    ClueCase(
        name="gemini_bullets_southkorea_02",
        style="bullets",
        text=(
            "* Signs in Hangul\n"
            "* Lotte World Tower dominating the skyline\n"
            "* Yellow centre line, white lane lines\n"
            "\n"
            "Location: Seoul, South Korea"
        ),
        cited=frozenset({"landmark", "road_markings", "text"}),
        claims=(("script", "Hangul"),),
    ),
    ClueCase(
        name="gpt_bullets_southafrica_03",
        style="bullets",
        text=(
            "1. **Driving side**: left\n"
            "2. **Vegetation**: fynbos\n"
            "3. **Landmark**: Table Mountain in the background\n"
            "4. **Infrastructure**: high walls topped with electric fencing around the houses\n"
            "\n"
            "Cape Town, South Africa"
        ),
        cited=frozenset({"driving_side", "infrastructure", "landmark", "vegetation"}),
        claims=(("driving_side", "left"),),
    ),
    ClueCase(
        name="claude_bullets_argentina_03",
        style="bullets",
        text=(
            '- **Text/Signage:** Spanish; a sign reads "Prohibido estacionar"\n'
            "- **Road markings:** white dashed lane lines\n"
            "- **Architecture:** Art Nouveau facades\n"
            "- **Landmark:** The Palacio Barolo is visible\n"
            "\n"
            "Buenos Aires, Argentina"
        ),
        cited=frozenset({"architecture", "landmark", "road_markings", "text"}),
        claims=(("language", "Spanish"),),
    ),
    ClueCase(
        name="gemini_bullets_egypt_02",
        style="bullets",
        text=(
            "Observations\n"
            "- Arabic signs\n"
            "- Desert terrain\n"
            "- Unfinished red-brick apartment buildings\n"
            "- Landmarks: none\n"
            "\n"
            "Likely Egypt (outskirts of Cairo)"
        ),
        cited=frozenset({"architecture", "terrain_climate", "text"}),
        claims=(("language", "Arabic"),),
    ),
    ClueCase(
        name="gpt_bullets_chile_03",
        style="bullets",
        text=(
            "1. Vegetation: araucaria trees and temperate rainforest\n"
            "2. Terrain: a volcano in the distance — I believe it's the Osorno Volcano\n"
            "3. Road: paved, in good condition\n"
            "4. Driving side: right\n"
            "\n"
            "Southern Chile, near Puerto Varas"
        ),
        cited=frozenset(
            {
                "driving_side",
                "infrastructure",
                "landmark",
                "terrain_climate",
                "vegetation",
            }
        ),
        claims=(("driving_side", "right"),),
    ),
    ClueCase(
        name="claude_bullets_poland_02",
        style="bullets",
        text=(
            "**Clues**\n"
            '- Polish text: "Sklep spożywczy"\n'
            "- Yellow warning triangle with a red border\n"
            "- Flat farmland\n"
            "- Landmark: none\n"
            "\n"
            "**Answer**: eastern Poland"
        ),
        cited=frozenset({"road_furniture", "terrain_climate", "text", "vegetation"}),
        claims=(("language", "Polish"),),
    ),
    ClueCase(
        name="gemini_bullets_australia_02",
        style="bullets",
        text=(
            "- The Sydney Opera House is visible across the harbour\n"
            "- Left-hand traffic\n"
            "→ Sydney, Australia"
        ),
        cited=frozenset({"driving_side", "landmark"}),
        claims=(("driving_side", "left"),),
    ),
    ClueCase(
        name="gpt_bullets_nigeria_02",
        style="bullets",
        text=(
            "1. Text: signs too blurry to read\n"
            "2. Vehicles: yellow minibuses\n"
            "3. Soil: red laterite\n"
            "4. Vegetation: oil palms\n"
            "\n"
            "Southwest Nigeria"
        ),
        cited=frozenset({"terrain_climate", "vegetation", "vehicles"}),
    ),
    ClueCase(
        name="claude_bullets_usa_04",
        style="bullets",
        text=(
            "### What I see\n"
            "- The Space Needle on the left side of the frame\n"
            "- Evergreen conifers\n"
            "- Overcast, drizzly weather\n"
            "\n"
            "### Guess\n"
            "Seattle, Washington, USA"
        ),
        cited=frozenset({"landmark", "terrain_climate", "vegetation"}),
    ),
    ClueCase(
        name="gemini_bullets_finland_02",
        style="bullets",
        text=(
            "- Language: Finnish and Swedish on the signs (bilingual)\n"
            "- Forest: pine and birch\n"
            "- Terrain: flat, with lakes\n"
            "- Landmarks: no\n"
            "\n"
            "Finland, likely the southern coast"
        ),
        cited=frozenset({"terrain_climate", "text", "vegetation"}),
        claims=(("language", "Finnish"), ("language", "Swedish")),
    ),
    ClueCase(
        name="gpt_bullets_philippines_02",
        style="bullets",
        text=(
            "1. **Vehicles**: jeepneys and tricycles\n"
            "2. **Architecture**: a Spanish colonial church\n"
            "3. **Culture**: a basketball hoop by the road\n"
            "4. **Text**: English and Tagalog on signs\n"
            "\n"
            "Philippines, Luzon"
        ),
        cited=frozenset({"architecture", "culture", "text", "vehicles"}),
        claims=(("language", "English"), ("language", "Tagalog")),
    ),
    ClueCase(
        name="claude_bullets_greece_02",
        style="bullets",
        text=(
            "- Greek alphabet on the signs\n"
            "- Whitewashed cubic houses with blue doors\n"
            "- Dry, rocky hillside above the sea\n"
            "\n"
            "Cyclades, Greece"
        ),
        cited=frozenset({"architecture", "terrain_climate", "text"}),
        claims=(("script", "Greek"),),
    ),
    ClueCase(
        name="gemini_bullets_morocco_02",
        style="bullets",
        text=(
            "**Clues**\n"
            "1. The Hassan II Mosque is visible on the coastline\n"
            "2. Signs in Arabic and French\n"
            "3. Red petit taxis\n"
            "\n"
            "**Answer**: Casablanca, Morocco"
        ),
        cited=frozenset({"landmark", "text", "vehicles"}),
        claims=(("language", "Arabic"), ("language", "French")),
    ),
    ClueCase(
        name="gpt_bullets_vietnam_03",
        style="bullets",
        text=(
            "- Script: Latin with Vietnamese diacritics\n"
            "- Vehicles: motorbikes everywhere\n"
            "- Vegetation: rice paddies\n"
            "- Landmark: none visible\n"
            "- Sun: almost directly overhead, very short shadows (tropics)\n"
            "\n"
            "Vietnam, Mekong Delta"
        ),
        cited=frozenset({"sun", "text", "vegetation", "vehicles"}),
        claims=(("script", "Latin"), ("language", "Vietnamese")),
    ),
    ClueCase(
        name="claude_bullets_uk_03",
        style="bullets",
        text=(
            "1. **Text**: road signs in English\n"
            "2. **Road markings**: double yellow lines, white dashed centre line\n"
            "3. **Driving side**: left\n"
            "4. **Architecture**: terraced red-brick houses\n"
            "5. **Landmark**: none\n"
            "\n"
            "England, probably the Manchester area"
        ),
        cited=frozenset({"architecture", "driving_side", "road_markings", "text"}),
        claims=(("language", "English"), ("driving_side", "left")),
    ),
    ClueCase(
        name="gemini_bullets_iceland_02",
        style="bullets",
        text=(
            "- The Hallgrímskirkja church tower is visible\n"
            "- Icelandic text on the signs\n"
            "- Colourful corrugated-iron houses\n"
            "\n"
            "Reykjavík, Iceland"
        ),
        cited=frozenset({"architecture", "landmark", "text"}),
        claims=(("language", "Icelandic"),),
    ),
    ClueCase(
        name="gpt_bullets_china_03",
        style="bullets",
        text=(
            "1. The Oriental Pearl Tower in the skyline\n"
            "2. Chinese characters on the signs\n"
            "3. Dense traffic on the right\n"
            "\n"
            "Shanghai, China"
        ),
        cited=frozenset({"driving_side", "landmark", "text"}),
        claims=(("script", "Han"), ("driving_side", "right")),
    ),
    ClueCase(
        name="claude_bullets_argentina_04",
        style="bullets",
        text=(
            "**Sun & shadows:** The sun is in the north, so this is the southern hemisphere.\n"
            "**Vegetation:** Patagonian steppe — low, scattered shrubs.\n"
            "**Road:** unpaved gravel.\n"
            "**Landmark:** none.\n"
            "**Text:** none.\n"
            "\n"
            "**Answer:** Santa Cruz Province, Argentina"
        ),
        cited=frozenset({"infrastructure", "sun", "vegetation"}),
        claims=(("hemisphere", "south"),),
    ),
    ClueCase(
        name="gemini_bullets_malaysia_02",
        style="bullets",
        text=(
            '- Malay signs ("Jalan", "Awas")\n'
            "- Oil palm plantations\n"
            "- Left-hand traffic\n"
            "- Black-and-white painted kerbs\n"
            "\n"
            "Peninsular Malaysia"
        ),
        cited=frozenset({"driving_side", "infrastructure", "text", "vegetation"}),
        claims=(("language", "Malay"), ("driving_side", "left")),
    ),
    ClueCase(
        name="gpt_bullets_netherlands_02",
        style="bullets",
        text=(
            "- Landmark: the Rijksmuseum is on the right\n"
            "- Bicycles everywhere\n"
            "- Narrow brick canal houses with gabled tops\n"
            "\n"
            "Amsterdam"
        ),
        cited=frozenset({"architecture", "landmark", "vehicles"}),
    ),
    ClueCase(
        name="claude_bullets_colombia_02",
        style="bullets",
        text=(
            "1. Yellow taxis (Hyundai Atos)\n"
            "2. Steep mountains covered in lush vegetation\n"
            "3. Spanish signs\n"
            "4. A Colombian flag on a building\n"
            "\n"
            "Medellín, Colombia"
        ),
        cited=frozenset({"culture", "terrain_climate", "text", "vegetation", "vehicles"}),
        claims=(("language", "Spanish"),),
    ),
    ClueCase(
        name="gemini_bullets_portugal_02",
        style="bullets",
        text=(
            "### Clues\n"
            "- **Landmark:** the 25 de Abril Bridge crossing the Tagus\n"
            "- **Text:** Portuguese\n"
            "- **Pavement:** calçada portuguesa (black-and-white cobblestone sidewalks)\n"
            "\n"
            "### Location\n"
            "Lisbon, Portugal"
        ),
        cited=frozenset({"infrastructure", "landmark", "text"}),
        claims=(("language", "Portuguese"),),
    ),
    ClueCase(
        name="gpt_bullets_kazakhstan_01",
        style="bullets",
        text=(
            "- Cyrillic signs, some in Kazakh (letters like ә, ұ)\n"
            "- Flat steppe, dry grass\n"
            "- Soviet apartment blocks\n"
            "- The Bayterek Tower in the distance\n"
            "\n"
            "Astana, Kazakhstan"
        ),
        cited=frozenset({"architecture", "landmark", "terrain_climate", "text", "vegetation"}),
        claims=(("script", "Cyrillic"), ("language", "Kazakh")),
    ),
    ClueCase(
        name="claude_bullets_usa_05",
        style="bullets",
        text=(
            "- Text: none\n"
            "- Landmark: none\n"
            "- Driving side: right\n"
            "- Road markings: yellow centre line\n"
            "- Vegetation: corn fields\n"
            "\n"
            "Probably the US Midwest."
        ),
        cited=frozenset({"driving_side", "road_markings", "vegetation"}),
        claims=(("driving_side", "right"),),
    ),
    ClueCase(
        name="gemini_bullets_japan_03",
        style="bullets",
        text=(
            "1. **Text:** Japanese signage in katakana\n"
            "2. **Architecture:** a Shinto shrine with a red torii gate\n"
            "3. **Road furniture:** a convex traffic mirror at the corner\n"
            "4. **Driving side:** left\n"
            "\n"
            "Kyoto, Japan"
        ),
        cited=frozenset({"architecture", "driving_side", "road_furniture", "text"}),
        claims=(("language", "Japanese"), ("script", "Japanese (kana)"), ("driving_side", "left")),
    ),
    ClueCase(
        name="gpt_bullets_ghana_02",
        style="bullets",
        text=(
            "Clues:\n"
            "* People in colourful kente-style clothing\n"
            '* Hand-painted shop signs ("God is Able Enterprise")\n'
            "* Driving on the right\n"
            "* Red dirt roadside\n"
            "\n"
            "Ghana"
        ),
        cited=frozenset({"culture", "driving_side", "terrain_climate", "text"}),
        claims=(("driving_side", "right"),),
    ),
    ClueCase(
        name="claude_bullets_czech_02",
        style="bullets",
        text=(
            "**Road markings:** white, with dashed edge lines\n"
            "**Road furniture:** white delineator posts with orange reflectors\n"
            "**Architecture:** houses with steep tiled roofs\n"
            "**Text:** not visible\n"
            "**Landmarks:** N/A\n"
            "\n"
            "Czech Republic"
        ),
        cited=frozenset({"architecture", "road_furniture", "road_markings"}),
    ),
    ClueCase(
        name="gemini_bullets_uruguay_01",
        style="bullets",
        text=(
            "- Shadows point south → sun in the north → southern hemisphere\n"
            "- Flat grassland\n"
            '- Spanish sign: "Ruta 5"\n'
            "- Landmark: none\n"
            "\n"
            "Uruguay"
        ),
        cited=frozenset({"sun", "terrain_climate", "text", "vegetation"}),
        claims=(("hemisphere", "south"), ("language", "Spanish")),
    ),
    ClueCase(
        name="gpt_bullets_usa_06",
        style="bullets",
        text=(
            "1. The Statue of Liberty in the harbour\n"
            "2. Yellow cabs\n"
            "3. English signs\n"
            "\n"
            "New York City"
        ),
        cited=frozenset({"landmark", "text", "vehicles"}),
        claims=(("language", "English"),),
    ),
    ClueCase(
        name="claude_bullets_india_03",
        style="bullets",
        text=(
            "- Tamil script on the shop boards\n"
            "- Coconut palms\n"
            "- Yellow-and-black auto-rickshaws\n"
            "- The gopuram of a Hindu temple in the background\n"
            "- Landmark: I can't identify the specific temple\n"
            "\n"
            "Tamil Nadu, India"
        ),
        cited=frozenset({"architecture", "text", "vegetation", "vehicles"}),
        claims=(("script", "Tamil"),),
    ),
    ClueCase(
        name="gemini_bullets_laos_01",
        style="bullets",
        text=(
            "- Lao script on the signs\n"
            "- Traffic on the right\n"
            "- Karst mountains\n"
            "- Wooden stilt houses\n"
            "\n"
            "Laos (Vang Vieng area)"
        ),
        cited=frozenset({"architecture", "driving_side", "terrain_climate", "text"}),
        claims=(("script", "Lao"), ("driving_side", "right")),
    ),
    ClueCase(
        name="gpt_bullets_spain_03",
        style="bullets",
        text=(
            "**Landmark**: Sagrada Família? No — on closer inspection it's just an ordinary "
            "modern church, not a famous one.\n"
            "**Architecture**: Modernist apartment blocks with chamfered corners\n"
            '**Text**: Catalan: "Carrer de Provença"\n'
            "\n"
            "Barcelona"
        ),
        cited=frozenset({"architecture", "text"}),
        claims=(("language", "Catalan"),),
    ),
    ClueCase(
        name="claude_bullets_russia_02",
        style="bullets",
        text=("- St Basil's Cathedral and the Kremlin wall\n" "- Cyrillic text\n" "\n" "Moscow"),
        cited=frozenset({"landmark", "text"}),
        claims=(("script", "Cyrillic"),),
    ),
    ClueCase(
        name="gemini_bullets_bulgaria_01",
        style="bullets",
        text=(
            "## Clues\n"
            "1. **Script:** Cyrillic, and the language looks Bulgarian\n"
            "2. **Signs:** blue rectangular direction signs\n"
            "3. **Vehicles:** old Ladas and a Dacia\n"
            "4. **Vegetation:** sunflower fields\n"
            "5. **Landmark:** none\n"
            "\n"
            "## Answer\n"
            "Bulgaria"
        ),
        cited=frozenset({"road_furniture", "text", "vegetation", "vehicles"}),
        claims=(("script", "Cyrillic"), ("language", "Bulgarian")),
    ),
    ClueCase(
        name="gpt_bullets_nepal_01",
        style="bullets",
        text=(
            "- Prayer flags strung across the road\n"
            "- Very steep Himalayan terrain\n"
            "- Devanagari on the shop signs\n"
            "\n"
            "Nepal"
        ),
        cited=frozenset({"culture", "terrain_climate", "text"}),
        claims=(("script", "Devanagari"),),
    ),
    ClueCase(
        name="gpt_json_france_01",
        style="json",
        text=(
            '{"reasoning": "The Eiffel Tower is visible behind the trees and the street signs '
            'are in French.", "country": "France", "city": "Paris", "lat": 48.8584, "lon": '
            "2.2945}"
        ),
        cited=frozenset({"landmark", "text"}),
        claims=(("language", "French"),),
    ),
    ClueCase(
        name="claude_json_brazil_01",
        style="json",
        text=(
            '{"landmark": "none", "text_and_signage": "Portuguese shop signs, e.g. \'Padaria '
            'Pão Quente\'", "cultural_indicators": "", "vegetation": "mango trees and palms", '
            '"architecture": "low concrete houses with terracotta roofs", "country": "Brazil", '
            '"lat": -19.92, "lon": -43.94}'
        ),
        cited=frozenset({"architecture", "text", "vegetation"}),
        claims=(("language", "Portuguese"),),
    ),
    ClueCase(
        name="gemini_json_japan_01",
        style="json",
        text=(
            "```json\n"
            '{"clues": ["cars drive on the left", "Japanese kana on the signs", "dense '
            'overhead wires on concrete poles"], "country": "Japan", "lat": 35.68, "lon": '
            "139.76}\n"
            "```"
        ),
        cited=frozenset({"driving_side", "infrastructure", "text"}),
        claims=(("driving_side", "left"), ("script", "Japanese (kana)")),
    ),
    ClueCase(
        name="gpt_json_usa_01",
        style="json",
        text=(
            '{"landmark": "Golden Gate Bridge", "text_and_signage": null, '
            '"cultural_indicators": "N/A", "vegetation": "", "country": "United States", '
            '"lat": 37.81, "lon": -122.47}'
        ),
        cited=frozenset({"landmark"}),
    ),
    ClueCase(
        name="claude_json_russia_02",
        style="json",
        text=(
            '{"reasoning": "Cyrillic signage, Lada cars and Soviet-era apartment blocks. Snow '
            'on the ground.", "country": "Russia", "lat": 55.75, "lon": 37.62}'
        ),
        cited=frozenset({"architecture", "terrain_climate", "text", "vehicles"}),
        claims=(("script", "Cyrillic"),),
    ),
    ClueCase(
        name="gemini_json_india_01",
        style="json",
        text=(
            '{"landmark": "Taj Mahal in the background", "text_and_signage": "Hindi signs", '
            '"cultural_indicators": "women in saris", "vegetation": "none", "country": '
            '"India", "lat": 27.17, "lon": 78.04}'
        ),
        cited=frozenset({"culture", "landmark", "text"}),
        claims=(("language", "Hindi"),),
    ),
    ClueCase(
        name="gpt_json_kenya_03",
        style="json",
        text=(
            '{"landmark": null, "text_and_signage": "", "vehicles": "matatu minibus", '
            '"driving_side": "left", "terrain": "red soil, dry", "country": "Kenya", "lat": '
            '-1.29, "lon": 36.82}'
        ),
        cited=frozenset({"driving_side", "terrain_climate", "vehicles"}),
        claims=(("driving_side", "left"),),
    ),
    ClueCase(
        name="claude_json_australia_03",
        style="json",
        text=(
            "```json\n"
            "{\n"
            '  "reasoning": "Left-hand traffic, eucalyptus trees, and a yellow diamond '
            'kangaroo warning sign. No landmarks.",\n'
            '  "country": "Australia",\n'
            '  "lat": -31.95,\n'
            '  "lon": 115.86\n'
            "}\n"
            "```"
        ),
        cited=frozenset({"driving_side", "road_furniture", "vegetation"}),
        claims=(("driving_side", "left"),),
    ),
    ClueCase(
        name="gemini_json_uk_04",
        style="json",
        text=(
            '{"reasoning": "Big Ben is visible, there are red buses, and cars are driving on '
            'the left.", "country": "United Kingdom", "lat": 51.5007, "lon": -0.1246}'
        ),
        cited=frozenset({"driving_side", "landmark", "vehicles"}),
        claims=(("driving_side", "left"),),
    ),
    ClueCase(
        name="gpt_json_thailand_03",
        style="json",
        text=(
            '{"landmark": "Wat Arun on the river bank", "text_and_signage": "Thai script", '
            '"cultural_indicators": "Buddhist flags", "vegetation": "tropical, with palms", '
            '"country": "Thailand", "lat": 13.74, "lon": 100.49}'
        ),
        cited=frozenset({"culture", "landmark", "text", "vegetation"}),
        claims=(("script", "Thai"),),
    ),
    ClueCase(
        name="claude_json_mexico_03",
        style="json",
        text=(
            '{"clues": [{"type": "text", "detail": "Spanish signs: \'Farmacia\', '
            '\'Llantera\'"}, {"type": "vegetation", "detail": "blue agave fields"}, {"type": '
            '"landmark", "detail": "none"}], "country": "Mexico", "lat": 20.88, "lon": -103.84}'
        ),
        cited=frozenset({"text", "vegetation"}),
        claims=(("language", "Spanish"),),
    ),
    ClueCase(
        name="gemini_json_turkey_03",
        style="json",
        text=(
            '{"reasoning": "I can see the Galata Tower above the rooftops. Turkish text on the '
            'shop awnings.", "country": "Turkey", "lat": 41.0256, "lon": 28.9742}'
        ),
        cited=frozenset({"landmark", "text"}),
        claims=(("language", "Turkish"),),
    ),
    ClueCase(
        name="gpt_json_argentina_05",
        style="json",
        text=(
            '{"landmark": "N/A", "text_and_signage": "Spanish; a \'Kiosco\' sign", '
            '"cultural_indicators": "people drinking mate", "vegetation": "plane trees", '
            '"country": "Argentina", "lat": -34.6, "lon": -58.38}'
        ),
        cited=frozenset({"culture", "text", "vegetation"}),
        claims=(("language", "Spanish"),),
    ),
    ClueCase(
        name="claude_json_southafrica_04",
        style="json",
        text=(
            '{"reasoning": "Table Mountain is visible. Cars drive on the left.", "country": '
            '"South Africa", "lat": -33.92, "lon": 18.42}'
        ),
        cited=frozenset({"driving_side", "landmark"}),
        claims=(("driving_side", "left"),),
    ),
    ClueCase(
        name="gemini_json_germany_03",
        style="json",
        text=(
            "```json\n"
            '{"landmark": "", "text_and_signage": "German: \'Bäckerei\', \'Einbahnstraße\'", '
            '"road_markings": "white dashed lines", "architecture": "half-timbered houses", '
            '"country": "Germany", "lat": 50.1, "lon": 9.9}\n'
            "```"
        ),
        cited=frozenset({"architecture", "road_markings", "text"}),
        claims=(("language", "German"),),
    ),
    ClueCase(
        name="gpt_json_norway_03",
        style="json",
        text=(
            '{"reasoning": "No landmarks visible. Fjord, steep mountains, wooden houses.", '
            '"country": "Norway", "lat": 61.2, "lon": 7.1}'
        ),
        cited=frozenset({"architecture", "terrain_climate"}),
    ),
    ClueCase(
        name="claude_json_italy_04",
        style="json",
        text=(
            '{"landmark": "the Colosseum", "text_and_signage": "none", "cultural_indicators": '
            '"none", "vegetation": "stone pines", "country": "Italy", "lat": 41.89, "lon": '
            "12.49}"
        ),
        cited=frozenset({"landmark", "vegetation"}),
    ),
    ClueCase(
        name="gemini_json_vietnam_04",
        style="json",
        text=(
            '{"clues": ["motorbikes", "Vietnamese text with diacritics", "narrow tube houses", '
            '"people wearing conical hats"], "country": "Vietnam", "lat": 21.03, "lon": 105.85}'
        ),
        cited=frozenset({"architecture", "culture", "text", "vehicles"}),
        claims=(("language", "Vietnamese"),),
    ),
    ClueCase(
        name="gpt_json_uae_02",
        style="json",
        text=(
            '{"reasoning": "The sail-shaped Burj Al Arab hotel is on the coast. Signs in '
            'Arabic and English.", "country": "United Arab Emirates", "lat": 25.14, "lon": '
            "55.19}"
        ),
        cited=frozenset({"landmark", "text"}),
        claims=(("language", "Arabic"), ("language", "English")),
    ),
    ClueCase(
        name="claude_json_canada_04",
        style="json",
        text=(
            '{"landmark": "none visible", "text_and_signage": "bilingual French/English", '
            '"cultural_indicators": "Canadian flag", "vegetation": "maple trees", "country": '
            '"Canada", "lat": 45.42, "lon": -75.7}'
        ),
        cited=frozenset({"culture", "text", "vegetation"}),
        claims=(("language", "French"), ("language", "English")),
    ),
    ClueCase(
        name="gemini_json_china_03",
        style="json",
        text=(
            '{"reasoning": "Simplified Chinese characters on the signs and the Canton Tower in '
            'the skyline.", "country": "China", "city": "Guangzhou", "lat": 23.11, "lon": '
            "113.32}"
        ),
        cited=frozenset({"landmark", "text"}),
        claims=(("script", "Han"),),
    ),
    ClueCase(
        name="gpt_json_brazil_04",
        style="json",
        text=(
            '{"reasoning": "Sugarloaf Mountain is visible across the bay.", "country": '
            '"Brazil", "lat": -22.95, "lon": -43.16}'
        ),
        cited=frozenset({"landmark"}),
    ),
    ClueCase(
        name="claude_json_chile_04",
        style="json",
        text=(
            "```json\n"
            '{"landmark": null, "text_and_signage": null, "terrain": "hyper-arid desert, no '
            'plants at all", "road": "straight, well-paved highway", "country": "Chile", '
            '"lat": -23.65, "lon": -70.4}\n'
            "```"
        ),
        cited=frozenset({"infrastructure", "terrain_climate"}),
    ),
    ClueCase(
        name="gemini_json_egypt_03",
        style="json",
        text=(
            '{"landmark": "the Great Sphinx and the pyramids", "text_and_signage": "Arabic", '
            '"cultural_indicators": "", "vegetation": "", "country": "Egypt", "lat": 29.975, '
            '"lon": 31.137}'
        ),
        cited=frozenset({"landmark", "text"}),
        claims=(("language", "Arabic"),),
    ),
    ClueCase(
        name="gpt_json_peru_04",
        style="json",
        text=(
            '{"reasoning": "Adobe houses, mototaxis and dry hills. Signs in Spanish.", '
            '"country": "Peru", "lat": -12.05, "lon": -77.04}'
        ),
        cited=frozenset({"architecture", "terrain_climate", "text", "vehicles"}),
        claims=(("language", "Spanish"),),
    ),
    ClueCase(
        name="claude_json_spain_04",
        style="json",
        text=(
            '{"clues": ["Sagrada Família in the background", "Catalan street signs", '
            '"yellow-and-black taxis"], "country": "Spain", "lat": 41.4036, "lon": 2.1744}'
        ),
        cited=frozenset({"landmark", "text", "vehicles"}),
        claims=(("language", "Catalan"),),
    ),
    ClueCase(
        name="gemini_json_poland_03",
        style="json",
        text=(
            '{"landmark": "Palace of Culture and Science", "text_and_signage": "Polish", '
            '"cultural_indicators": "N/A", "vegetation": "N/A", "country": "Poland", "lat": '
            '52.23, "lon": 21.01}'
        ),
        cited=frozenset({"landmark", "text"}),
        claims=(("language", "Polish"),),
    ),
    ClueCase(
        name="gpt_json_southkorea_03",
        style="json",
        text=(
            '{"reasoning": "Hangul signs, yellow centre line. No landmark visible.", '
            '"country": "South Korea", "lat": 37.56, "lon": 126.97}'
        ),
        cited=frozenset({"road_markings", "text"}),
        claims=(("script", "Hangul"),),
    ),
    ClueCase(
        name="claude_json_newzealand_02",
        style="json",
        text=(
            '{"reasoning": "The Sky Tower dominates the skyline; cars on the left.", '
            '"country": "New Zealand", "lat": -36.85, "lon": 174.76}'
        ),
        cited=frozenset({"driving_side", "landmark"}),
        claims=(("driving_side", "left"),),
    ),
    ClueCase(
        name="gemini_json_indonesia_03",
        style="json",
        text=(
            '{"landmark": "none", "text_and_signage": "Indonesian (\'Jalan\', \'Warung\')", '
            '"cultural_indicators": "women wearing hijabs", "vegetation": "rice paddies and '
            'coconut palms", "country": "Indonesia", "lat": -7.8, "lon": 110.36}'
        ),
        cited=frozenset({"culture", "text", "vegetation"}),
        claims=(("language", "Indonesian"),),
    ),
    ClueCase(
        name="gpt_json_usa_07",
        style="json",
        text=(
            "```json\n"
            '{"reasoning": "The Hollywood Sign on the hillside and tall, skinny palm trees.", '
            '"country": "USA", "lat": 34.134, "lon": -118.321}\n'
            "```"
        ),
        cited=frozenset({"landmark", "vegetation"}),
    ),
    ClueCase(
        name="claude_json_greece_03",
        style="json",
        text=(
            '{"landmark": "", "text_and_signage": "Greek alphabet", "cultural_indicators": '
            '"Greek flag", "vegetation": "olive trees", "architecture": "whitewashed houses", '
            '"country": "Greece", "lat": 36.39, "lon": 25.46}'
        ),
        cited=frozenset({"architecture", "culture", "text", "vegetation"}),
        claims=(("script", "Greek"),),
    ),
    ClueCase(
        name="gemini_json_australia_04",
        style="json",
        text=(
            '{"reasoning": "Shadows point to the south-east, so the sun is in the north-west: '
            'southern hemisphere. Eucalyptus and left-hand traffic.", "country": "Australia", '
            '"lat": -37.8, "lon": 144.96}'
        ),
        cited=frozenset({"driving_side", "sun", "vegetation"}),
        claims=(("hemisphere", "south"), ("driving_side", "left")),
    ),
    ClueCase(
        name="gpt_json_morocco_03",
        style="json",
        text=(
            '{"landmark": "Koutoubia Mosque minaret", "text_and_signage": "Arabic and French", '
            '"cultural_indicators": "men in djellabas", "vegetation": "date palms", "country": '
            '"Morocco", "lat": 31.62, "lon": -7.99}'
        ),
        cited=frozenset({"culture", "landmark", "text", "vegetation"}),
        claims=(("language", "Arabic"), ("language", "French")),
    ),
    ClueCase(
        name="claude_json_finland_03",
        style="json",
        text=(
            '{"reasoning": "No text visible. Flat land, pine forest and a lake.", "country": '
            '"Finland", "lat": 62.24, "lon": 25.75}'
        ),
        cited=frozenset({"terrain_climate", "vegetation"}),
    ),
    ClueCase(
        name="gemini_json_nigeria_03",
        style="json",
        text=(
            '{"clues": [{"category": "vehicles", "evidence": "yellow danfo buses"}, '
            '{"category": "text", "evidence": "English billboards"}, {"category": "landmark", '
            '"evidence": null}], "country": "Nigeria", "lat": 6.52, "lon": 3.38}'
        ),
        cited=frozenset({"text", "vehicles"}),
        claims=(("language", "English"),),
    ),
    ClueCase(
        name="gpt_json_philippines_03",
        style="json",
        text=(
            '{"landmark": "Mayon Volcano\'s perfect cone", "text_and_signage": "", '
            '"cultural_indicators": "", "vegetation": "coconut palms", "country": '
            '"Philippines", "lat": 13.14, "lon": 123.73}'
        ),
        cited=frozenset({"landmark", "vegetation"}),
    ),
    ClueCase(
        name="claude_json_argentina_06",
        style="json",
        text=(
            '{"reasoning": "The Perito Moreno Glacier is visible at the end of the lake.", '
            '"country": "Argentina", "lat": -50.49, "lon": -73.05}'
        ),
        cited=frozenset({"landmark"}),
    ),
    ClueCase(
        name="gemini_json_ukraine_02",
        style="json",
        text=(
            '{"landmark": "none", "text_and_signage": "Ukrainian Cyrillic", '
            '"cultural_indicators": "blue-and-yellow flag", "vegetation": "sunflower fields", '
            '"country": "Ukraine", "lat": 49.0, "lon": 32.0}'
        ),
        cited=frozenset({"culture", "text", "vegetation"}),
        claims=(("script", "Cyrillic"), ("language", "Ukrainian")),
    ),
    ClueCase(
        name="gpt_json_sweden_03",
        style="json",
        text=(
            '{"reasoning": "Falu red houses and yellow warning signs with red borders. No '
            'readable text.", "country": "Sweden", "lat": 59.33, "lon": 18.06}'
        ),
        cited=frozenset({"architecture", "road_furniture"}),
    ),
    ClueCase(
        name="claude_json_ireland_02",
        style="json",
        text=(
            "```json\n"
            "{\n"
            '  "landmark": "Cliffs of Moher",\n'
            '  "text_and_signage": "Irish and English",\n'
            '  "driving_side": "left",\n'
            '  "vegetation": "short green grass",\n'
            '  "country": "Ireland",\n'
            '  "lat": 52.97,\n'
            '  "lon": -9.43\n'
            "}\n"
            "```"
        ),
        cited=frozenset({"driving_side", "landmark", "text", "vegetation"}),
        claims=(("language", "Irish"), ("language", "English"), ("driving_side", "left")),
    ),
    ClueCase(
        name="gemini_json_colombia_03",
        style="json",
        text=(
            '{"reasoning": "Spanish signs, yellow taxis, steep mountains.", "country": '
            '"Colombia", "lat": 6.24, "lon": -75.58}'
        ),
        cited=frozenset({"terrain_climate", "text", "vehicles"}),
        claims=(("language", "Spanish"),),
    ),
    ClueCase(
        name="gpt_json_japan_04",
        style="json",
        text=(
            '{"landmark": "Mount Fuji", "text_and_signage": "Japanese", "cultural_indicators": '
            '"none", "vegetation": "none", "country": "Japan", "lat": 35.36, "lon": 138.73}'
        ),
        cited=frozenset({"landmark", "text"}),
        claims=(("language", "Japanese"),),
    ),
    ClueCase(
        name="claude_json_cambodia_02",
        style="json",
        text=(
            '{"reasoning": "Khmer script on the signs, and tuk-tuks. No landmark in view.", '
            '"country": "Cambodia", "lat": 11.56, "lon": 104.92}'
        ),
        cited=frozenset({"text", "vehicles"}),
        claims=(("script", "Khmer"),),
    ),
    ClueCase(
        name="gemini_json_netherlands_03",
        style="json",
        text=(
            '{"text_and_signage": "Dutch: \'Fietspad\'", "landmark": "none", "infrastructure": '
            '"red asphalt bike lanes", "terrain": "completely flat", "country": "Netherlands", '
            '"lat": 52.09, "lon": 5.12}'
        ),
        cited=frozenset({"infrastructure", "terrain_climate", "text"}),
        claims=(("language", "Dutch"),),
    ),
    ClueCase(
        name="gpt_json_usa_08",
        style="json",
        text=(
            '{"reasoning": "Double yellow centre line, a yellow school bus, and wooden utility '
            'poles. Deciduous forest.", "country": "United States", "lat": 42.0, "lon": -76.0}'
        ),
        cited=frozenset({"infrastructure", "road_markings", "vegetation", "vehicles"}),
    ),
    ClueCase(
        name="claude_json_portugal_03",
        style="json",
        text=(
            '{"landmark": "Belém Tower", "text_and_signage": "Portuguese", '
            '"cultural_indicators": "", "vegetation": "", "country": "Portugal", "lat": '
            '38.6916, "lon": -9.216}'
        ),
        cited=frozenset({"landmark", "text"}),
        claims=(("language", "Portuguese"),),
    ),
    ClueCase(
        name="gemini_json_russia_03",
        style="json",
        text=(
            '{"reasoning": "Low sun in the south and long shadows: northern hemisphere, high '
            'latitude. Cyrillic text on a bus stop.", "country": "Russia", "lat": 59.94, '
            '"lon": 30.31}'
        ),
        cited=frozenset({"sun", "text"}),
        claims=(("hemisphere", "north"), ("script", "Cyrillic")),
    ),
    ClueCase(
        name="gpt_json_mongolia_02",
        style="json",
        text=(
            '{"landmark": "Genghis Khan Equestrian Statue", "text_and_signage": "Mongolian '
            'Cyrillic", "vegetation": "grassland steppe", "country": "Mongolia", "lat": 47.81, '
            '"lon": 107.53}'
        ),
        cited=frozenset({"landmark", "text", "vegetation"}),
        claims=(("script", "Cyrillic"), ("language", "Mongolian")),
    ),
    ClueCase(
        name="claude_json_unknown_01",
        style="json",
        text=(
            '{"landmark": "", "text_and_signage": "", "cultural_indicators": "", "vegetation": '
            '"", "country": "Unknown", "lat": null, "lon": null}'
        ),
        cited=frozenset(),
    ),
    ClueCase(
        name="gemini_json_ghana_03",
        style="json",
        text=(
            "```json\n"
            '{"reasoning": "Red soil, wax-print clothing, and an MTN-branded kiosk. Traffic on '
            'the right.", "country": "Ghana", "lat": 5.6, "lon": -0.19}\n'
            "```"
        ),
        cited=frozenset({"culture", "driving_side", "terrain_climate"}),
        claims=(("driving_side", "right"),),
    ),
    ClueCase(
        name="gpt_json_austria_02",
        style="json",
        text=(
            '{"landmark": "Schönbrunn Palace", "text_and_signage": "German", '
            '"cultural_indicators": "N/A", "vegetation": "formal clipped hedges", "country": '
            '"Austria", "lat": 48.18, "lon": 16.31}'
        ),
        cited=frozenset({"landmark", "text", "vegetation"}),
        claims=(("language", "German"),),
    ),
    ClueCase(
        name="claude_json_chile_05",
        style="json",
        text=(
            '{"reasoning": "The sun is in the north at midday, so this is the southern '
            'hemisphere. Araucaria trees and Spanish signs.", "country": "Chile", "lat": '
            '-38.74, "lon": -72.6}'
        ),
        cited=frozenset({"sun", "text", "vegetation"}),
        claims=(("hemisphere", "south"), ("language", "Spanish")),
    ),
    ClueCase(
        name="gemini_json_kenya_04",
        style="json",
        text=(
            '{"landmark": "unclear", "text_and_signage": "unclear", "road_furniture": '
            '"black-and-white striped kerb-side bollards", "infrastructure": "potholed tarmac '
            'road", "vehicles": "Toyota matatus", "country": "Kenya", "lat": -0.42, "lon": '
            "36.95}"
        ),
        cited=frozenset({"infrastructure", "road_furniture", "vehicles"}),
    ),
    ClueCase(
        name="gpt_json_turkey_04",
        style="json",
        text='{"reasoning": "", "country": "Turkey", "lat": 39.93, "lon": 32.86}',
        cited=frozenset(),
    ),
    ClueCase(
        name="claude_json_spain_05",
        style="json",
        text=(
            '{"clues": [{"type": "signage", "detail": "Spanish: \'Ceda el paso\'"}, {"type": '
            '"vegetation", "detail": "olive groves"}, {"type": "terrain", "detail": "dry, '
            'hilly"}, {"type": "road_furniture", "detail": "white kilometre post with a red '
            'top"}, {"type": "landmark", "detail": "N/A"}], "country": "Spain", "lat": 37.77, '
            '"lon": -3.79}'
        ),
        cited=frozenset({"road_furniture", "terrain_climate", "text", "vegetation"}),
        claims=(("language", "Spanish"),),
    ),
    ClueCase(
        name="gemini_json_india_04",
        style="json",
        text=(
            '{"landmark": "Gateway of India", "text_and_signage": "Marathi and English", '
            '"cultural_indicators": null, "country": "India", "lat": 18.922, "lon": 72.8347}'
        ),
        cited=frozenset({"landmark", "text"}),
        claims=(("language", "Marathi"), ("language", "English")),
    ),
    ClueCase(
        name="claude_adv_negation_all_01",
        style="adversarial",
        text=(
            "There is no visible text or signage, no landmarks, and no cars on the road. The "
            "only thing I can go on is the vegetation: dense pine forest right up to the road. "
            "I'd guess Sweden or Finland."
        ),
        cited=frozenset({"vegetation"}),
    ),
    ClueCase(
        name="gpt_adv_other_sense_01",
        style="adversarial",
        text=(
            "The driving force behind my guess is the architecture of the houses: steep gabled "
            "roofs with dark slate and grey stone walls. It's a landmark decision for me, but "
            "I'll say Wales."
        ),
        cited=frozenset({"architecture"}),
    ),
    ClueCase(
        name="gpt_adv_refusal_01",
        style="adversarial",
        text=(
            "I'm sorry, but I can't determine the location of this image. There are no "
            "landmarks, signs or other identifying features visible."
        ),
        cited=frozenset(),
    ),
    ClueCase(
        name="gemini_adv_answer_only_01",
        style="adversarial",
        text="France.",
        cited=frozenset(),
    ),
    ClueCase(
        name="gpt_adv_answer_only_02",
        style="adversarial",
        text="I think this is Turkey.",
        cited=frozenset(),
    ),
    ClueCase(
        name="claude_adv_double_negative_01",
        style="adversarial",
        text=(
            'The scene is not without text: a faded shop sign reads "Kafana" in what looks '
            "like Serbian in the Latin alphabet. It's not lacking in mountains either — steep, "
            "forested ridges on both sides. I'd say western Serbia."
        ),
        cited=frozenset({"terrain_climate", "text"}),
        claims=(("language", "Serbian"), ("script", "Latin")),
    ),
    ClueCase(
        name="gpt_adv_text_of_question_01",
        style="adversarial",
        text=(
            "Regarding the text of your question: I'll do my best. The image shows a snowy "
            "road lined with birch trees and small wooden houses with carved window frames. "
            "Probably Russia."
        ),
        cited=frozenset({"architecture", "terrain_climate", "vegetation"}),
    ),
    ClueCase(
        name="claude_adv_sign_of_01",
        style="adversarial",
        text=(
            "There's no sign of human activity beyond the road itself, which is a narrow "
            "single-track road with passing places. The heather-covered moorland and the "
            "drizzle suggest the Scottish Highlands."
        ),
        cited=frozenset({"infrastructure", "terrain_climate", "vegetation"}),
    ),
    ClueCase(
        name="gemini_adv_power_plant_01",
        style="adversarial",
        text=(
            "A large coal power plant with cooling towers and high-voltage power lines "
            "dominates the view. The roadside is bare of any plants. The billboard by the road "
            "is in Polish. I'd guess Silesia, Poland."
        ),
        cited=frozenset({"infrastructure", "text"}),
        claims=(("language", "Polish"),),
    ),
    ClueCase(
        name="gpt_adv_shadow_doubt_01",
        style="adversarial",
        text="Beyond a shadow of a doubt, this is Paris: the Eiffel Tower is right there.",
        cited=frozenset({"landmark"}),
    ),
    ClueCase(
        name="claude_adv_palm_hand_01",
        style="adversarial",
        text=(
            "I know this kind of place like the palm of my hand. Shop signs in Greek, "
            "whitewashed walls and a blue-domed church: Santorini, Greece."
        ),
        cited=frozenset({"architecture", "text"}),
        claims=(("language", "Greek"),),
    ),
    ClueCase(
        name="gemini_adv_culture_caution_01",
        style="adversarial",
        text=(
            "Given my culture of caution, I will only say this: the red soil and the coffee "
            "bushes on the hillside suggest somewhere like Rwanda, though I can't read the "
            "small sign."
        ),
        cited=frozenset({"terrain_climate", "vegetation"}),
    ),
    ClueCase(
        name="gpt_adv_pole_position_01",
        style="adversarial",
        text=(
            "Vietnam takes pole position in my ranking: motorbikes everywhere and the narrow, "
            "tall tube houses."
        ),
        cited=frozenset({"architecture", "vehicles"}),
    ),
    ClueCase(
        name="claude_adv_model_architecture_01",
        style="adversarial",
        text=(
            "Because of the architecture of the model, I can't browse the web, but from the "
            "image alone: the cars drive on the right and the signs use Cyrillic. My guess is "
            "Bulgaria."
        ),
        cited=frozenset({"driving_side", "text"}),
        claims=(("driving_side", "right"), ("script", "Cyrillic")),
    ),
    ClueCase(
        name="gemini_adv_hedge_01",
        style="adversarial",
        text=(
            "The signs might be in Spanish, though they're small. Maybe Spain? Or Mexico? I'm "
            "really not sure."
        ),
        cited=frozenset({"text"}),
        claims=(("language", "Spanish"),),
    ),
    ClueCase(
        name="gpt_adv_typos_01",
        style="adversarial",
        text=(
            "teh signage is in portugese and there r lots of palmtrees, also cars drive on "
            "rigth side. guess: brazil"
        ),
        cited=frozenset({"driving_side", "text", "vegetation"}),
        claims=(("language", "Portuguese"), ("driving_side", "right")),
    ),
    ClueCase(
        name="claude_adv_allcaps_01",
        style="adversarial",
        text="THE EIFFEL TOWER IS VISIBLE. THIS IS PARIS.",
        cited=frozenset({"landmark"}),
    ),
    ClueCase(
        name="gemini_adv_mixedcase_01",
        style="adversarial",
        text="LaNdMaRk: NoNe. TeXt: In ThAi ScRiPt. AnSwEr: ThAiLaNd.",
        cited=frozenset({"text"}),
        claims=(("script", "Thai"),),
    ),
    ClueCase(
        name="gpt_adv_long_ramble_01",
        style="adversarial",
        text=(
            "Okay, let me think about this carefully, because there is a lot going on in this "
            "picture and I want to be thorough. First, I looked for any landmarks — famous "
            "towers, bridges, monuments — and I didn't find any. Then I looked for text. "
            "There's a billboard, but it's too far away and too pixelated to read, so no help "
            "there. The road itself is interesting: it has a solid white edge line and a "
            "dashed white centre line, and the cars appear to be driving on the left. The "
            "vegetation is dense and tropical, with lots of banana plants and tree ferns. The "
            "houses are single-storey with corrugated iron roofs painted green and red. The "
            "weather is humid and overcast, and the hills are steep. Considering everything — "
            "left-hand traffic, tropical vegetation, that style of tin-roofed house — I keep "
            "coming back to Fiji. Or maybe Sri Lanka? On balance, I'll say Fiji, near Suva."
        ),
        cited=frozenset(
            {
                "architecture",
                "driving_side",
                "road_markings",
                "terrain_climate",
                "vegetation",
            }
        ),
        claims=(("driving_side", "left"),),
    ),
    ClueCase(
        name="claude_adv_turkey_conclusion_02",
        style="adversarial",
        text=(
            "The slender minarets on the mosque, the red flag with a white crescent hanging "
            "from a balcony and the simit seller's cart all point in one direction. I'd say "
            "Turkey."
        ),
        cited=frozenset({"architecture", "culture"}),
    ),
    ClueCase(
        name="gemini_adv_cant_read_01",
        style="adversarial",
        text=(
            "I can't read the sign — the text is blurred — but its shape is a yellow diamond, "
            "which is common in the Americas and Australia. The dry grass and eucalyptus "
            "suggest Australia."
        ),
        cited=frozenset({"road_furniture", "vegetation"}),
    ),
    ClueCase(
        name="gpt_adv_not_left_01",
        style="adversarial",
        text=(
            "Cars are not driving on the left, so we can rule out the UK, Japan and Australia. "
            "The yellow centre line and the large pickups suggest the US or Canada; I'll go "
            "with Canada."
        ),
        cited=frozenset({"driving_side", "road_markings", "vehicles"}),
    ),
    ClueCase(
        name="claude_adv_all_none_01",
        style="adversarial",
        text=("Landmark: none\n" "Text: none\n" "Vegetation: none\n" "Country: unknown"),
        cited=frozenset(),
    ),
    ClueCase(
        name="gemini_adv_unclear_01",
        style="adversarial",
        text=(
            "Signage: unclear. Landmarks: not visible. Road markings: white dashed centre "
            "line. Guess: Germany."
        ),
        cited=frozenset({"road_markings"}),
    ),
    ClueCase(
        name="gpt_adv_hypothetical_landmark_01",
        style="adversarial",
        text=(
            "If the Eiffel Tower were visible I could be certain, but there's nothing like "
            "that here. Instead, the plane trees and the triangular warning signs with a red "
            "border suggest rural France."
        ),
        cited=frozenset({"road_furniture", "vegetation"}),
    ),
    ClueCase(
        name="claude_adv_refusal_02",
        style="adversarial",
        text="I'm sorry, I can't help identify the location of this photo.",
        cited=frozenset(),
    ),
    ClueCase(
        name="gemini_adv_landmark_year_01",
        style="adversarial",
        text=(
            "This was a landmark year for street-level imagery, but this photo has few clues. "
            "The kerbs are painted black and white, and the road is in poor condition with "
            "deep potholes. Perhaps Kenya?"
        ),
        cited=frozenset({"infrastructure"}),
    ),
    ClueCase(
        name="gpt_adv_repeated_01",
        style="adversarial",
        text=(
            "No text visible. No text visible. No text visible. The terrain is flat and snowy. "
            "Canada?"
        ),
        cited=frozenset({"terrain_climate"}),
    ),
    ClueCase(
        name="claude_adv_prompt_echo_01",
        style="adversarial",
        text=(
            'You asked me to "use text, landmarks and vegetation", but honestly the only '
            "useful clue is the driving side: cars keep left. I'll say the UK."
        ),
        cited=frozenset({"driving_side"}),
        claims=(("driving_side", "left"),),
    ),
    ClueCase(
        name="gemini_adv_prompt_echo_02",
        style="adversarial",
        text=(
            "As an AI language model, I analyse images for clues such as text, landmarks, "
            "architecture and vegetation. In this image, the Sydney Opera House is clearly "
            "visible. Sydney, Australia."
        ),
        cited=frozenset({"landmark"}),
    ),
    ClueCase(
        name="gpt_adv_negated_script_01",
        style="adversarial",
        text=(
            "The writing is not Cyrillic and not Greek; it's in the Latin alphabet with lots "
            "of ő and ű characters, which are specific to Hungarian. Hungary."
        ),
        cited=frozenset({"text"}),
        claims=(("script", "Latin"), ("language", "Hungarian")),
    ),
    ClueCase(
        name="claude_adv_no_sun_01",
        style="adversarial",
        text=(
            "I can't tell where the sun is — it's overcast and there are no shadows. The road "
            "has white dashed centre lines and the guardrails are corrugated steel. The green "
            "fields and the dry-stone walls make me think Ireland."
        ),
        cited=frozenset({"infrastructure", "road_furniture", "road_markings", "vegetation"}),
    ),
    ClueCase(
        name="gemini_adv_no_vehicles_01",
        style="adversarial",
        text=(
            "No cars visible and no people, so no plates or clothing to go on. The "
            "snow-covered mountains and the wooden chalets suggest Switzerland."
        ),
        cited=frozenset({"architecture", "terrain_climate"}),
    ),
    ClueCase(
        name="gpt_adv_emoji_01",
        style="adversarial",
        text="🌴 palms + 🏍️ scooters + Thai script on the signs = Thailand!",
        cited=frozenset({"text", "vegetation", "vehicles"}),
        claims=(("script", "Thai"),),
    ),
    ClueCase(
        name="claude_adv_hedged_landmark_01",
        style="adversarial",
        text=(
            "That tower in the distance might be the CN Tower, but I'm not sure. The English "
            "signage supports Toronto anyway."
        ),
        cited=frozenset({"landmark", "text"}),
        claims=(("language", "English"),),
    ),
    ClueCase(
        name="gemini_adv_landmark_denied_02",
        style="adversarial",
        text=(
            "At first I thought the bridge was the Golden Gate, but it isn't — it's just a "
            "generic suspension bridge, so there's no landmark to go on. The eucalyptus and "
            "dry golden hills still suggest California."
        ),
        cited=frozenset({"terrain_climate", "vegetation"}),
    ),
    ClueCase(
        name="gpt_adv_very_short_01",
        style="adversarial",
        text="Cyrillic.",
        cited=frozenset({"text"}),
        claims=(("script", "Cyrillic"),),
    ),
    ClueCase(
        name="claude_adv_coords_only_01",
        style="adversarial",
        text="Lat: 48.85, Lon: 2.35",
        cited=frozenset(),
    ),
    ClueCase(
        name="gemini_adv_questions_01",
        style="adversarial",
        text=(
            "Road signs? None. Landmarks? None. Architecture? Nothing distinctive. All I have "
            "is the vegetation: tall saguaro cacti and desert scrub. Arizona, USA."
        ),
        cited=frozenset({"vegetation"}),
    ),
    ClueCase(
        name="gpt_adv_plant_01",
        style="adversarial",
        text=(
            "There are no plants to speak of, only a sprawling petrochemical plant by the "
            "harbour, and the signs use Hangul. I'd guess Ulsan, South Korea."
        ),
        cited=frozenset({"infrastructure", "text"}),
        claims=(("script", "Hangul"),),
    ),
    ClueCase(
        name="claude_adv_devoid_landmarks_01",
        style="adversarial",
        text=(
            "It would be hard to call this scene devoid of landmarks: the Matterhorn towers "
            "over the village. Swiss chalets line the street. Zermatt, Switzerland."
        ),
        cited=frozenset({"architecture", "landmark"}),
    ),
    ClueCase(
        name="gemini_adv_refusal_description_01",
        style="adversarial",
        text=(
            "I cannot determine the exact location of this image with certainty. There are no "
            "landmarks I can identify, the text on the signs is illegible, and there are no "
            "vehicles. However, the flat-roofed mud-brick houses and the arid, dusty landscape "
            "suggest the Sahel, perhaps Mali or Niger."
        ),
        cited=frozenset({"architecture", "terrain_climate"}),
    ),
    ClueCase(
        name="gpt_adv_driven_by_01",
        style="adversarial",
        text=(
            "My answer is driven by the vegetation: those are baobab trees. Also, the road is "
            "unpaved red dirt. Madagascar."
        ),
        cited=frozenset({"infrastructure", "terrain_climate", "vegetation"}),
    ),
    ClueCase(
        name="claude_adv_sunday_01",
        style="adversarial",
        text=(
            "The Sunday market in the foreground (lots of people in ponchos and felt hats) and "
            "the snow-capped volcano behind the town suggest Ecuador — possibly Otavalo."
        ),
        cited=frozenset({"culture", "terrain_climate"}),
    ),
    ClueCase(
        name="gemini_adv_no_shadows_01",
        style="adversarial",
        text=(
            "There are no clear shadows, so I can't tell which hemisphere we're in. The "
            'Spanish text on the sign ("Ceda el paso") and the SEAT Ibiza parked by the road '
            "suggest Spain."
        ),
        cited=frozenset({"text", "vehicles"}),
        claims=(("language", "Spanish"),),
    ),
    ClueCase(
        name="gpt_adv_landmarks_are_01",
        style="adversarial",
        text='LANDMARKS: NONE VISIBLE. TEXT: A SIGN READS "APTEKA" — POLISH. POLAND.',
        cited=frozenset({"text"}),
        claims=(("language", "Polish"),),
    ),
    ClueCase(
        name="claude_adv_nothing_01",
        style="adversarial",
        text=(
            "Honestly, there is nothing to go on: no text, no landmarks, no road markings, no "
            "vehicles, just a blurry grey wall. I'll guess the United States because it's the "
            "most common country in these datasets."
        ),
        cited=frozenset(),
    ),
    ClueCase(
        name="gemini_adv_text_message_01",
        style="adversarial",
        text=(
            "Thanks for the text! Looking at the photo: it's a flat, frozen tundra with low "
            "shrubs and no trees. I'd say northern Canada, near Churchill."
        ),
        cited=frozenset({"terrain_climate", "vegetation"}),
    ),
    ClueCase(
        name="gpt_adv_landmark_not_01",
        style="adversarial",
        text=(
            "The big tower is NOT the Eiffel Tower — it's a radio mast. So no famous landmark. "
            'But the shop signs are clearly in French ("Boulangerie", "Tabac") and the houses '
            "have grey slate roofs, so northern France."
        ),
        cited=frozenset({"architecture", "text"}),
        claims=(("language", "French"),),
    ),
    ClueCase(
        name="claude_adv_positive_sign_01",
        style="adversarial",
        text=(
            "A positive sign: the man in the foreground wears a Maasai shuka (red checked "
            "cloth). That makes Kenya or Tanzania likely; I'll say Tanzania."
        ),
        cited=frozenset({"culture"}),
    ),
    ClueCase(
        name="gpt_es_mexico_01",
        style="multilingual",
        text=(
            "Los letreros están en español y hay un OXXO en la esquina. Las casas son de "
            "colores vivos con techos planos. Creo que es México, probablemente Puebla."
        ),
        cited=frozenset({"architecture", "culture", "text"}),
        claims=(("language", "Spanish"),),
    ),
    ClueCase(
        name="claude_es_spain_01",
        style="multilingual",
        text=(
            "No hay texto visible ni puntos de referencia. La vegetación es mediterránea, con "
            "olivos, y el terreno es seco y montañoso. Diría que es el sur de España."
        ),
        cited=frozenset({"terrain_climate", "vegetation"}),
    ),
    ClueCase(
        name="gemini_es_france_01",
        style="multilingual",
        text="Se ve claramente la Torre Eiffel al fondo, así que es París, Francia.",
        cited=frozenset({"landmark"}),
    ),
    ClueCase(
        name="gpt_es_australia_01",
        style="multilingual",
        text=(
            "Los coches circulan por la izquierda y las señales están en inglés. Hay muchos "
            "eucaliptos a los lados de la carretera. Probablemente Australia."
        ),
        cited=frozenset({"driving_side", "text", "vegetation"}),
        claims=(("driving_side", "left"), ("language", "English")),
    ),
    ClueCase(
        name="claude_es_argentina_01",
        style="multilingual",
        text=(
            '{"razonamiento": "Se ve el Obelisco de Buenos Aires y los taxis negros y '
            'amarillos.", "pais": "Argentina", "lat": -34.6037, "lon": -58.3816}'
        ),
        cited=frozenset({"landmark", "vehicles"}),
    ),
    ClueCase(
        name="gemini_es_brazil_02",
        style="multilingual",
        text=(
            "1. **Idioma**: los carteles están en portugués.\n"
            "2. **Vegetación**: selva tropical muy densa.\n"
            "3. **Puntos de referencia**: ninguno.\n"
            "\n"
            "**Respuesta**: Brasil"
        ),
        cited=frozenset({"text", "vegetation"}),
        claims=(("language", "Portuguese"),),
    ),
    ClueCase(
        name="gpt_es_guatemala_01",
        style="multilingual",
        text=(
            "El factor que impulsa mi respuesta son las casas coloniales de colores y una "
            "iglesia barroca; además, varias mujeres llevan ropa tradicional maya. Guatemala, "
            "quizá Antigua."
        ),
        cited=frozenset({"architecture", "culture"}),
    ),
    ClueCase(
        name="claude_pt_brazil_01",
        style="multilingual",
        text=(
            "Os letreiros estão em português e a vegetação é tropical, com muitas palmeiras. O "
            "Cristo Redentor aparece no alto do morro. Rio de Janeiro, Brasil."
        ),
        cited=frozenset({"landmark", "text", "vegetation"}),
        claims=(("language", "Portuguese"),),
    ),
    ClueCase(
        name="gemini_pt_brazil_02",
        style="multilingual",
        text=(
            "Não há placas legíveis nem marcos conhecidos. A terra vermelha e as plantações de "
            "café sugerem o interior de Minas Gerais."
        ),
        cited=frozenset({"terrain_climate", "vegetation"}),
    ),
    ClueCase(
        name="gpt_pt_portugal_01",
        style="multilingual",
        text=(
            "As casas têm telhados de telha vermelha e azulejos nas fachadas. Os carros "
            "circulam pela direita. Acho que é Portugal, na região do Porto."
        ),
        cited=frozenset({"architecture", "driving_side"}),
        claims=(("driving_side", "right"),),
    ),
    ClueCase(
        name="claude_pt_brazil_03",
        style="multilingual",
        text=(
            "A sombra aponta para o sul, então o sol está ao norte: hemisfério sul. Vegetação "
            "de cerrado, com árvores baixas e retorcidas. Brasil central."
        ),
        cited=frozenset({"sun", "vegetation"}),
        claims=(("hemisphere", "south"),),
    ),
    ClueCase(
        name="gemini_pt_mozambique_01",
        style="multilingual",
        text=(
            "As placas estão em português, mas os carros andam pela esquerda, o que exclui o "
            "Brasil e Portugal. Com os coqueiros e a areia, aposto em Moçambique."
        ),
        cited=frozenset({"driving_side", "terrain_climate", "text", "vegetation"}),
        claims=(("language", "Portuguese"), ("driving_side", "left")),
    ),
    ClueCase(
        name="gpt_fr_france_01",
        style="multilingual",
        text=(
            "Les panneaux sont en français et la route a des lignes blanches discontinues. Les "
            "maisons en pierre et les platanes suggèrent le sud de la France."
        ),
        cited=frozenset({"architecture", "road_markings", "text", "vegetation"}),
        claims=(("language", "French"),),
    ),
    ClueCase(
        name="claude_fr_canada_01",
        style="multilingual",
        text=(
            "On voit le Château Frontenac au sommet de la falaise. C'est la ville de Québec, "
            "au Canada."
        ),
        cited=frozenset({"landmark"}),
    ),
    ClueCase(
        name="gemini_fr_france_02",
        style="multilingual",
        text=(
            "Aucun texte lisible, aucun monument connu. Le relief est plat et la forêt est "
            "composée de pins maritimes. Je dirais les Landes, en France."
        ),
        cited=frozenset({"terrain_climate", "vegetation"}),
    ),
    ClueCase(
        name="gpt_fr_australia_01",
        style="multilingual",
        text=(
            "Le soleil est au nord, donc nous sommes dans l'hémisphère sud. Les voitures "
            "roulent à gauche et le paysage est sec, avec des eucalyptus. Australie."
        ),
        cited=frozenset({"driving_side", "sun", "terrain_climate", "vegetation"}),
        claims=(("hemisphere", "south"), ("driving_side", "left")),
    ),
    ClueCase(
        name="claude_fr_canada_02",
        style="multilingual",
        text=(
            '{"raisonnement": "La tour CN est visible et les panneaux sont bilingues.", '
            '"pays": "Canada", "lat": 43.6426, "lon": -79.3871}'
        ),
        cited=frozenset({"landmark", "text"}),
    ),
    ClueCase(
        name="gemini_fr_senegal_01",
        style="multilingual",
        text=(
            "- Panneaux en français\n"
            "- Cars rapides peints en jaune et bleu\n"
            "- Baobabs au bord de la route\n"
            "- Monument : aucun\n"
            "\n"
            "Sénégal, près de Dakar"
        ),
        cited=frozenset({"text", "vegetation", "vehicles"}),
        claims=(("language", "French"),),
    ),
    ClueCase(
        name="gpt_de_england_01",
        style="multilingual",
        text=(
            "Die Autos fahren links, und die Straßenschilder sind auf Englisch. Die Landschaft "
            "ist hügelig, mit Trockenmauern entlang der Straße. Ich tippe auf Nordengland."
        ),
        cited=frozenset({"driving_side", "infrastructure", "terrain_climate", "text"}),
        claims=(("driving_side", "left"), ("language", "English")),
    ),
    ClueCase(
        name="claude_de_finland_01",
        style="multilingual",
        text=(
            "Keine Schilder, keine Wahrzeichen. Nur Nadelwald und Schnee. Vielleicht Finnland "
            "oder Schweden."
        ),
        cited=frozenset({"terrain_climate", "vegetation"}),
    ),
    ClueCase(
        name="gemini_de_germany_01",
        style="multilingual",
        text=(
            "Im Hintergrund ist das Brandenburger Tor zu sehen, und die Schilder sind auf "
            "Deutsch. Berlin."
        ),
        cited=frozenset({"landmark", "text"}),
        claims=(("language", "German"),),
    ),
    ClueCase(
        name="gpt_de_poland_01",
        style="multilingual",
        text=(
            '- Sprache: Polnisch ("ulica", "sklep")\n'
            "- Architektur: Plattenbauten\n"
            "- Straßenmarkierungen: weiße gestrichelte Mittellinie\n"
            "\n"
            "Polen"
        ),
        cited=frozenset({"architecture", "road_markings", "text"}),
        claims=(("language", "Polish"),),
    ),
    ClueCase(
        name="claude_de_germany_02",
        style="multilingual",
        text=(
            "Die Schatten zeigen nach Norden, also steht die Sonne im Süden — Nordhalbkugel. "
            "Fachwerkhäuser und deutsche Schilder. Deutschland, vermutlich Hessen."
        ),
        cited=frozenset({"architecture", "sun", "text"}),
        claims=(("hemisphere", "north"), ("language", "German")),
    ),
    ClueCase(
        name="gemini_zh_china_01",
        style="multilingual",
        text="路牌上是中文，车辆靠右行驶，远处可以看到东方明珠塔。这里是上海。",
        cited=frozenset({"driving_side", "landmark", "text"}),
        claims=(("language", "Chinese"), ("driving_side", "right")),
    ),
    ClueCase(
        name="gpt_zh_china_02",
        style="multilingual",
        text="图中没有可见的文字，也没有地标。植被是热带的，有很多椰子树。我猜是海南。",
        cited=frozenset({"vegetation"}),
    ),
    ClueCase(
        name="claude_zh_thailand_01",
        style="multilingual",
        text=(
            '{"推理": "路边有红土和香蕉树，摩托车很多，招牌是泰文。", "国家": "泰国", "lat": '
            '15.87, "lon": 100.99}'
        ),
        cited=frozenset({"terrain_climate", "text", "vegetation", "vehicles"}),
        claims=(("language", "Thai"),),
    ),
    ClueCase(
        name="gemini_zh_taiwan_01",
        style="multilingual",
        text="背景中可以看到台北101大楼，招牌使用繁体字。台湾台北。",
        cited=frozenset({"landmark", "text"}),
        claims=(("script", "Han"),),
    ),
    ClueCase(
        name="gpt_zh_australia_01",
        style="multilingual",
        text="影子指向南方，说明太阳在北边，这是南半球。车辆靠左行驶。澳大利亚。",
        cited=frozenset({"driving_side", "sun"}),
        claims=(("hemisphere", "south"), ("driving_side", "left")),
    ),
    ClueCase(
        name="claude_ru_russia_01",
        style="multilingual",
        text=(
            "Знаки на кириллице, вдоль дороги растут берёзы, а дома — типичные советские "
            "панельки. Скорее всего, это Россия."
        ),
        cited=frozenset({"architecture", "text", "vegetation"}),
        claims=(("script", "Cyrillic"),),
    ),
    ClueCase(
        name="gemini_ru_kazakhstan_01",
        style="multilingual",
        text=(
            "Никаких надписей и достопримечательностей не видно. Рельеф ровный, степь, сухая "
            "трава. Возможно, Казахстан."
        ),
        cited=frozenset({"terrain_climate", "vegetation"}),
    ),
    ClueCase(
        name="gpt_ru_russia_02",
        style="multilingual",
        text="На заднем плане виден храм Василия Блаженного и Кремль. Это Москва.",
        cited=frozenset({"landmark"}),
    ),
    ClueCase(
        name="claude_ru_japan_01",
        style="multilingual",
        text="Машины едут по левой стороне, руль справа. Надписи на японском. Япония.",
        cited=frozenset({"driving_side", "text"}),
        claims=(("driving_side", "left"), ("language", "Japanese")),
    ),
    ClueCase(
        name="gemini_ru_georgia_01",
        style="multilingual",
        text=(
            '{"рассуждение": "Грузинский алфавит на вывесках, высокие горы на горизонте.", '
            '"страна": "Грузия", "lat": 41.72, "lon": 44.79}'
        ),
        cited=frozenset({"terrain_climate", "text"}),
        claims=(("script", "Georgian"),),
    ),
    ClueCase(
        name="gpt_ja_japan_01",
        style="multilingual",
        text=(
            "看板は日本語で、車は左側を走っています。電柱と電線が多いです。日本の地方都市だと思"
            "います。"
        ),
        cited=frozenset({"driving_side", "infrastructure", "text"}),
        claims=(("language", "Japanese"), ("driving_side", "left")),
    ),
    ClueCase(
        name="claude_ja_japan_02",
        style="multilingual",
        text="背景に富士山が見えます。静岡県あたりでしょう。",
        cited=frozenset({"landmark"}),
    ),
    ClueCase(
        name="gemini_ja_seasia_01",
        style="multilingual",
        text=(
            "文字やランドマークは見当たりません。植生は熱帯で、ヤシの木があります。東南アジアの"
            "どこかだと思います。"
        ),
        cited=frozenset({"vegetation"}),
    ),
    ClueCase(
        name="gpt_ja_southkorea_01",
        style="multilingual",
        text=(
            "看板はハングルで書かれています。遠くにNソウルタワーが見えるので、韓国のソウルです" "。"
        ),
        cited=frozenset({"landmark", "text"}),
        claims=(("script", "Hangul"),),
    ),
]

# Categories a case mentions without citing them: negated or absent ("no landmarks", "I can't
# read the sign"), empty/"none"/"N/A"/null JSON fields, and clue words used in another sense
# ("the driving force", "a landmark decision", "shadow of a doubt", "pole position").
UNCITED_MENTIONS: dict[str, frozenset[str]] = {
    "claude_prose_chile_01": frozenset({"vegetation"}),
    "gpt_prose_iceland_01": frozenset({"landmark"}),
    "claude_prose_portugal_01": frozenset({"text"}),
    "gpt_prose_argentina_02": frozenset({"landmark"}),
    "gpt_prose_austria_01": frozenset({"text"}),
    "claude_prose_peru_02": frozenset({"driving_side"}),
    "claude_prose_southafrica_02": frozenset({"landmark"}),
    "gemini_prose_bolivia_01": frozenset({"landmark", "text", "vegetation"}),
    "claude_prose_italy_02": frozenset({"text"}),
    "gpt_bullets_brazil_01": frozenset({"landmark"}),
    "gemini_bullets_usa_01": frozenset({"landmark", "text"}),
    "claude_bullets_russia_01": frozenset({"landmark"}),
    "claude_bullets_spain_02": frozenset({"landmark"}),
    "gpt_bullets_thailand_02": frozenset({"text"}),
    "gemini_bullets_indonesia_02": frozenset({"landmark"}),
    "claude_bullets_canada_03": frozenset({"landmark"}),
    "gpt_bullets_norway_02": frozenset({"landmark", "text"}),
    "gemini_bullets_egypt_02": frozenset({"landmark"}),
    "claude_bullets_poland_02": frozenset({"landmark"}),
    "gpt_bullets_nigeria_02": frozenset({"text"}),
    "gemini_bullets_finland_02": frozenset({"landmark"}),
    "gpt_bullets_vietnam_03": frozenset({"landmark"}),
    "claude_bullets_uk_03": frozenset({"landmark"}),
    "claude_bullets_argentina_04": frozenset({"landmark", "text"}),
    "claude_bullets_usa_05": frozenset({"landmark", "text"}),
    "claude_bullets_czech_02": frozenset({"landmark", "text"}),
    "gemini_bullets_uruguay_01": frozenset({"landmark"}),
    "claude_bullets_india_03": frozenset({"landmark"}),
    "gpt_bullets_spain_03": frozenset({"landmark"}),
    "gemini_bullets_bulgaria_01": frozenset({"landmark"}),
    "claude_json_brazil_01": frozenset({"culture", "landmark"}),
    "gpt_json_usa_01": frozenset({"culture", "text", "vegetation"}),
    "gemini_json_india_01": frozenset({"vegetation"}),
    "gpt_json_kenya_03": frozenset({"landmark", "text"}),
    "claude_json_australia_03": frozenset({"landmark"}),
    "claude_json_mexico_03": frozenset({"landmark"}),
    "gpt_json_argentina_05": frozenset({"landmark"}),
    "gemini_json_germany_03": frozenset({"landmark"}),
    "gpt_json_norway_03": frozenset({"landmark"}),
    "claude_json_italy_04": frozenset({"culture", "text"}),
    "claude_json_canada_04": frozenset({"landmark"}),
    "claude_json_chile_04": frozenset({"landmark", "text", "vegetation"}),
    "gemini_json_egypt_03": frozenset({"culture", "vegetation"}),
    "gemini_json_poland_03": frozenset({"culture", "vegetation"}),
    "gpt_json_southkorea_03": frozenset({"landmark"}),
    "gemini_json_indonesia_03": frozenset({"landmark"}),
    "claude_json_greece_03": frozenset({"landmark"}),
    "claude_json_finland_03": frozenset({"text"}),
    "gemini_json_nigeria_03": frozenset({"landmark"}),
    "gpt_json_philippines_03": frozenset({"culture", "text"}),
    "gemini_json_ukraine_02": frozenset({"landmark"}),
    "gpt_json_sweden_03": frozenset({"text"}),
    "gpt_json_japan_04": frozenset({"culture", "vegetation"}),
    "claude_json_cambodia_02": frozenset({"landmark"}),
    "gemini_json_netherlands_03": frozenset({"landmark"}),
    "claude_json_portugal_03": frozenset({"culture", "vegetation"}),
    "claude_json_unknown_01": frozenset({"culture", "landmark", "text", "vegetation"}),
    "gpt_json_austria_02": frozenset({"culture"}),
    "gemini_json_kenya_04": frozenset({"landmark", "text"}),
    "claude_json_spain_05": frozenset({"landmark"}),
    "gemini_json_india_04": frozenset({"culture"}),
    "claude_adv_negation_all_01": frozenset({"landmark", "text", "vehicles"}),
    "gpt_adv_other_sense_01": frozenset({"driving_side", "landmark"}),
    "gpt_adv_refusal_01": frozenset({"landmark", "text"}),
    "gpt_adv_text_of_question_01": frozenset({"text"}),
    "claude_adv_sign_of_01": frozenset({"text"}),
    "gemini_adv_power_plant_01": frozenset({"vegetation"}),
    "gpt_adv_shadow_doubt_01": frozenset({"sun"}),
    "claude_adv_palm_hand_01": frozenset({"vegetation"}),
    "gemini_adv_culture_caution_01": frozenset({"culture", "text"}),
    "gpt_adv_pole_position_01": frozenset({"infrastructure"}),
    "claude_adv_model_architecture_01": frozenset({"architecture"}),
    "gemini_adv_mixedcase_01": frozenset({"landmark"}),
    "gpt_adv_long_ramble_01": frozenset({"landmark", "text"}),
    "gemini_adv_cant_read_01": frozenset({"text"}),
    "claude_adv_all_none_01": frozenset({"landmark", "text", "vegetation"}),
    "gemini_adv_unclear_01": frozenset({"landmark", "text"}),
    "gpt_adv_hypothetical_landmark_01": frozenset({"landmark"}),
    "gemini_adv_landmark_year_01": frozenset({"landmark"}),
    "gpt_adv_repeated_01": frozenset({"text"}),
    "claude_adv_prompt_echo_01": frozenset({"landmark", "text", "vegetation"}),
    "gemini_adv_prompt_echo_02": frozenset({"architecture", "text", "vegetation"}),
    "claude_adv_no_sun_01": frozenset({"sun"}),
    "gemini_adv_no_vehicles_01": frozenset({"culture", "vehicles"}),
    "gemini_adv_landmark_denied_02": frozenset({"landmark"}),
    "gemini_adv_questions_01": frozenset({"architecture", "landmark", "road_furniture", "text"}),
    "gpt_adv_plant_01": frozenset({"vegetation"}),
    "gemini_adv_refusal_description_01": frozenset({"landmark", "text", "vehicles"}),
    "gpt_adv_driven_by_01": frozenset({"driving_side"}),
    "claude_adv_sunday_01": frozenset({"sun"}),
    "gemini_adv_no_shadows_01": frozenset({"sun"}),
    "gpt_adv_landmarks_are_01": frozenset({"landmark"}),
    "claude_adv_nothing_01": frozenset({"landmark", "road_markings", "text", "vehicles"}),
    "gemini_adv_text_message_01": frozenset({"text"}),
    "gpt_adv_landmark_not_01": frozenset({"landmark"}),
    "claude_adv_positive_sign_01": frozenset({"text"}),
    "claude_es_spain_01": frozenset({"landmark", "text"}),
    "gemini_es_brazil_02": frozenset({"landmark"}),
    "gemini_pt_brazil_02": frozenset({"landmark", "text"}),
    "gemini_fr_france_02": frozenset({"landmark", "text"}),
    "gemini_fr_senegal_01": frozenset({"landmark"}),
    "claude_de_finland_01": frozenset({"landmark", "text"}),
    "gpt_zh_china_02": frozenset({"landmark", "text"}),
    "gemini_ru_kazakhstan_01": frozenset({"landmark", "text"}),
    "gemini_ja_seasia_01": frozenset({"landmark", "text"}),
}
