"""A small hand-labelled development set for the clue extractor (written for these tests).

Each entry is (text, categories the text cites). The texts imitate how chat models write
geolocation reasoning: prose, markdown bullets, JSON, other languages, and denials. This is the
set the extractor was tuned on; the blind corpus it is scored on lives elsewhere.
"""

from __future__ import annotations

DEV_SET: list[tuple[str, set[str]]] = [
    (
        "The image shows a two-lane road with a dashed yellow center line. The vegetation is "
        "dense and tropical, with banana plants along the verge. A motorbike is parked by a "
        "small shop with a sign in Thai script. Based on these clues, I believe this is Thailand.",
        {"road_markings", "vegetation", "vehicles", "culture", "text"},
    ),
    (
        "Key observations:\n- Cars are driving on the left side of the road\n- Eucalyptus trees "
        "and dry grass\n- Red dirt on the roadside\n- No visible signs or text\n\n"
        "Final answer: Australia",
        {"driving_side", "vegetation", "terrain_climate"},
    ),
    (
        "There are no landmarks, no readable signs and no vehicles in view. The landscape is "
        "flat farmland under an overcast sky, which suggests northern Europe.",
        {"terrain_climate", "vegetation"},
    ),
    (
        "I can see the Eiffel Tower in the background, so this is clearly Paris, France.",
        {"landmark"},
    ),
    (
        "The architecture features whitewashed houses with blue doors and flat roofs, typical of "
        "the Greek islands. The sign above the café is written in Greek letters.",
        {"architecture", "text", "culture"},
    ),
    (
        "```json\n{\n  \"reasoning\": \"The utility poles are concrete with a distinctive "
        "ladder pattern and the road has white dashed lines.\",\n  \"landmark\": \"None\",\n"
        "  \"text_and_signage\": \"not visible\",\n  \"country\": \"Romania\",\n"
        "  \"confidence\": 0.4\n}\n```",
        {"infrastructure", "road_markings"},
    ),
    (
        '{"clues": ["Cyrillic text on a shop sign", "Soviet-era apartment blocks", "birch '
        'trees"], "landmark": "N/A", "cultural_indicators": "", "country": "Russia"}',
        {"text", "architecture", "vegetation", "culture"},
    ),
    (
        '{"landmark": "Christ the Redeemer statue on Corcovado", "country": "Brazil", '
        '"city": "Rio de Janeiro"}',
        {"landmark"},
    ),
    (
        "The sun is in the north, and shadows point south, which indicates the southern "
        "hemisphere. Combined with the right-hand drive vehicles, this could be New Zealand.",
        {"sun", "driving_side"},
    ),
    (
        "Nothing legible on the billboard. The bollards have a red reflector on top, typical of "
        "Poland, and the guardrail is a single W-beam.",
        {"road_furniture"},
    ),
    (
        "The driving force behind my guess is mostly intuition. Without a shadow of a doubt, "
        "the image is hard to place. My final answer is Canada.",
        set(),
    ),
    (
        "This is a landmark case for the model: the text of the question gives nothing away. "
        "Answer: Chile.",
        set(),
    ),
    (
        "Las señales están en español y los coches circulan por la derecha. Hay palmeras y "
        "edificios de estilo colonial. No se ve ningún monumento.",
        {"text", "driving_side", "vegetation", "architecture"},
    ),
    (
        "Les panneaux sont en français et la végétation est méditerranéenne. Aucun monument "
        "n'est visible. Les voitures roulent à droite.",
        {"text", "vegetation", "driving_side"},
    ),
    (
        "Die Schilder sind auf Deutsch, die Häuser haben rote Dächer. Keine Wahrzeichen "
        "erkennbar. Es gibt viele Bäume.",
        {"text", "architecture", "vegetation"},
    ),
    (
        "As placas estão em português e há muitas palmeiras. A arquitetura é colonial. "
        "Não há carros visíveis.",
        {"text", "vegetation", "architecture"},
    ),
    (
        "Вывески на кириллице, вокруг берёзы и панельные дома. Машин нет.",
        {"text", "vegetation", "architecture"},
    ),
    (
        "招牌上的文字是中文，路边有很多树木。没有看到任何地标。车辆靠右行驶。",
        {"text", "vegetation", "driving_side"},
    ),
    (
        "看板の文字は日本語です。電柱が多く、左側通行です。ランドマークは見当たりません。",
        {"text", "infrastructure", "driving_side"},
    ),
    (
        "1. **Road markings**: white edge lines, no center line.\n2. **Vegetation**: pine "
        "forest.\n3. **Landmarks**: none.\n4. **Text**: none visible.\n5. **Vehicles**: a "
        "Volvo estate.\n\nMy guess: Sweden.",
        {"road_markings", "vegetation", "vehicles"},
    ),
    (
        "The licence plates are yellow at the back and white at the front, which is typical of "
        "the United Kingdom. The houses are red brick terraces with chimneys.",
        {"vehicles", "architecture"},
    ),
    (
        "I can't read the text on the sign, but its shape is a yellow diamond, common in the "
        "Americas. The road surface is cracked asphalt and there are wooden utility poles.",
        {"road_furniture", "infrastructure"},
    ),
    (
        "The mountains in the background are snow-capped and the climate seems alpine. A "
        "church with an onion dome sits in the village.",
        {"terrain_climate", "architecture"},
    ),
    (
        "Given the mosque minaret, the women wearing headscarves and the Arabic writing on the "
        "storefronts, this is likely Morocco.",
        {"architecture", "culture", "text"},
    ),
    (
        "The flags on the building are red and white, and people are wearing winter coats. "
        "There is snow on the ground.",
        {"culture", "architecture", "terrain_climate"},
    ),
    (
        "No text is legible and there are no distinctive landmarks, but the road has yellow "
        "edge lines and the soil is reddish, which points to Brazil.",
        {"road_markings", "terrain_climate"},
    ),
    (
        "The Sydney Opera House and the Harbour Bridge are visible across the water.",
        {"landmark"},
    ),
    (
        "A famous tower dominates the skyline; it looks like the CN Tower in Toronto.",
        {"landmark"},
    ),
    (
        "The camera car's shadow is visible, and the Google car has a snorkel, a known meta "
        "for Kenya. Traffic keeps left.",
        {"sun", "vehicles", "driving_side"},
    ),
    (
        "Reasoning: The image is blurry. There's no signage, no vehicles and no people. "
        "Hard to say. Country: unknown",
        set(),
    ),
    (
        "The street sign reads \"Calle Mayor\" in Spanish, and the balconies with iron railings "
        "are typical of Spain.",
        {"text", "architecture"},
    ),
    (
        "Hebrew lettering on the bus stop and the Jerusalem stone facades suggest Israel.",
        {"text", "architecture", "infrastructure"},
    ),
    (
        "The Devanagari script on the shop signs, auto-rickshaws and cows on the road point "
        "to northern India.",
        {"text", "vehicles", "culture"},
    ),
    (
        "There are no road markings at all, and the road is unpaved gravel. Sparse shrubs "
        "and an arid landscape suggest the Australian outback.",
        {"infrastructure", "vegetation", "terrain_climate"},
    ),
    (
        "- Language: Portuguese (words like 'farmácia')\n- Driving side: right\n- Landmark: "
        "none\n- Vegetation: tropical",
        {"text", "driving_side", "vegetation"},
    ),
    (
        '{"text_and_signage": "Korean Hangul on the signs", "landmark": "N Seoul Tower on the '
        'hill", "vegetation": "none", "country": "South Korea"}',
        {"text", "landmark"},
    ),
    (
        "I don't see any cars, and no text is visible either. The only clue is the vegetation "
        "— lush green rice paddies.",
        {"vegetation"},
    ),
    (
        "It's a sign of a humid climate that moss grows on the walls.",
        {"terrain_climate", "vegetation", "architecture"},
    ),
    (
        "There is a large statue of a horseman in the main square, surrounded by baroque "
        "buildings.",
        {"architecture"},
    ),
    (
        "Based on the overall culture of the place and the Orthodox churches, I'd say "
        "Georgia. The Georgian script on the signs confirms it.",
        {"architecture", "text"},
    ),
]
