"""A second hand-labelled set, written after the extractor was tuned on ``dev_set.py``.

Its figures are reported as the held-out estimate; entries that were later fixed are not
moved back into the tuning set.
"""

from __future__ import annotations

HOLDOUT: list[tuple[str, set[str]]] = [
    (
        "Let me analyze this image step by step.\n\n1. **Road and Infrastructure**: The road is "
        "a well-maintained two-lane highway with a solid white line on the edge. Power lines run "
        "alongside on tall wooden poles.\n2. **Vegetation**: Coniferous forest, mostly spruce "
        "and birch.\n3. **Signage**: I don't see any readable signs.\n4. **Climate**: It appears "
        "to be a cool, temperate climate.\n\nConsidering these factors, my best guess is Finland.",
        {"infrastructure", "road_markings", "vegetation", "terrain_climate"},
    ),
    (
        "This street scene has several strong indicators. The storefront signs use Hangul, and "
        "one reads \"편의점\". The cars drive on the right. The apartment towers in the distance "
        "are numbered, a very Korean feature. Final answer: South Korea.",
        {"text", "culture", "driving_side", "architecture"},
    ),
    (
        "The photo shows a desert highway. There is no vegetation except a few scattered "
        "creosote bushes, and the mountains in the distance are bare and rocky. A speed limit "
        "sign shows 65 MPH, which is used in the United States.",
        {"terrain_climate", "vegetation", "road_furniture", "infrastructure"},
    ),
    (
        "Honestly, there isn't much to go on here. The image shows a grassy field with some "
        "trees. No people, no buildings, no text. I'll guess Ireland based on the green.",
        {"vegetation"},
    ),
    (
        '```json\n{"analysis": {"text": "Spanish text on a pharmacy sign", "architecture": "Low '
        'concrete buildings painted in bright colours", "vehicles": "None visible", '
        '"vegetation": "Palm trees"}, "country": "Mexico", "lat": 19.4, "lon": -99.1}\n```',
        {"text", "architecture", "vegetation", "culture"},
    ),
    (
        "The presence of tuk-tuks and the distinctive curly script on the signs suggest Sri "
        "Lanka; the script looks like Sinhala.",
        {"vehicles", "text"},
    ),
    (
        "The shadows are quite short, suggesting the sun is high in the sky — so we are probably "
        "near the equator. The red laterite soil and banana trees support East Africa.",
        {"sun", "terrain_climate", "vegetation"},
    ),
    (
        "There is a road sign, but it is too blurry to read. The road markings are white, which "
        "rules out some countries.",
        {"road_markings"},
    ),
    (
        "The white minaret and the call-to-prayer speakers point to a Muslim-majority country. "
        "Traffic is on the right.",
        {"architecture", "driving_side"},
    ),
    (
        "I notice Cyrillic characters on a blue street name sign, plus the typical Soviet "
        "panel buildings. The sign says \"вулиця\", which is Ukrainian, not Russian.",
        {"text", "road_furniture", "architecture"},
    ),
    (
        "The Golden Gate Bridge is unmistakable in the background.",
        {"landmark"},
    ),
    (
        "Unfortunately, I cannot identify any specific landmarks or legible text in this image. "
        "Based on the general appearance, I would guess Germany.",
        set(),
    ),
    (
        "The bollards here are white with a black band and a rectangular reflector, as seen in "
        "France. The road has a dashed white center line.",
        {"road_furniture", "road_markings"},
    ),
    (
        "The vehicles have European-style licence plates with a blue strip on the left, and the "
        "houses have orange terracotta tile roofs.",
        {"vehicles", "architecture"},
    ),
    (
        "The weather is overcast and rainy, with mist over the hills. Sheep are grazing in a "
        "field bordered by stone walls.",
        {"terrain_climate", "architecture"},
    ),
    (
        "Key clues: (1) Thai script on the billboard; (2) a 7-Eleven store; (3) left-hand "
        "traffic; (4) tangled power cables on concrete poles.",
        {"text", "culture", "driving_side", "infrastructure"},
    ),
    (
        "There are no obvious landmarks. The signs are in French, but the bilingual "
        "English/French stop sign (ARRÊT) suggests Quebec, Canada.",
        {"text", "road_furniture"},
    ),
    (
        "I see the Colosseum, so this is Rome.",
        {"landmark"},
    ),
    (
        "Notable features: a Buddhist temple with a golden stupa, monks in saffron robes, and "
        "dense jungle on the hillside.",
        {"architecture", "culture", "vegetation", "terrain_climate"},
    ),
    (
        "The sun appears to be in the southern part of the sky, indicating the northern "
        "hemisphere.",
        {"sun"},
    ),
    (
        "The image is too dark to make out any details. I cannot determine the location.",
        set(),
    ),
    (
        "Observations: the road is lined with yellow-and-black curbs, the cars are mostly old "
        "Ladas, and the text on the shop is in Russian.",
        {"road_furniture", "vehicles", "text", "culture"},
    ),
    (
        '{"text_and_signage": "none", "landmark": "none", "architecture": "none", '
        '"vegetation": "tall grass", "reasoning": "Only grass is visible.", "country": "Kenya"}',
        {"vegetation"},
    ),
    (
        "This looks like the Kremlin and Red Square — the onion domes of St. Basil's Cathedral "
        "are visible.",
        {"landmark", "architecture"},
    ),
    (
        "The landscape is dominated by rice terraces carved into steep hillsides, with "
        "traditional stilt houses.",
        {"terrain_climate", "vegetation", "architecture"},
    ),
    (
        "No road markings, no signs, no poles – just a dirt track through the savanna.",
        {"infrastructure", "vegetation"},
    ),
    (
        "The plates on the cars are long and white, the steering wheel is on the right, and the "
        "houses are wooden with corrugated iron roofs.",
        {"vehicles", "driving_side", "architecture"},
    ),
    (
        "The text on the sign is not legible, but the sign itself is a green rectangle, as used "
        "on Italian motorways.",
        {"road_furniture", "infrastructure"},
    ),
    (
        "El paisaje es montañoso y árido. Hay un cartel en español pero no puedo leer el texto.",
        {"terrain_climate", "text"},
    ),
    (
        "Il n'y a aucun texte lisible. Les maisons ont des toits en ardoise et il y a des "
        "collines boisées.",
        {"architecture", "terrain_climate", "vegetation"},
    ),
]
