"""A third hand-labelled set, written after the first two were tuned on (see dev_holdout.py)."""

from __future__ import annotations

HOLDOUT2: list[tuple[str, set[str]]] = [
    (
        "### Analysis\n\n**Language and Text:** The signs contain words in Polish, such as "
        "\"ulica\".\n\n**Road Features:** The road has white dashed lines and a hard shoulder.\n\n"
        "**Vegetation:** Mixed deciduous forest.\n\n**Conclusion:** Poland.",
        {"text", "road_markings", "infrastructure", "vegetation"},
    ),
    (
        "There's not a lot to work with. I don't see any text, road signs, or license plates. "
        "The trees look temperate. I'll go with France as a default guess.",
        {"vegetation", "terrain_climate"},
    ),
    (
        "The yellow license plates and the windmills in the flat landscape strongly suggest "
        "the Netherlands. The cyclists on the dedicated bike path support this.",
        {"vehicles", "terrain_climate", "culture", "infrastructure"},
    ),
    (
        "Visible clues:\n* Kanji and hiragana on the shop signs\n* Narrow streets with overhead "
        "wires\n* Vending machines on the corner\n\nAnswer: Japan",
        {"text", "infrastructure", "culture"},
    ),
    (
        "It's difficult to identify anything specific in this image. There are no clear "
        "indicators such as signs, vehicles, or people. The terrain is mountainous.",
        {"terrain_climate"},
    ),
    (
        '{"country": "India", "reasoning": "Hindi text in Devanagari on a yellow board, '
        'auto-rickshaws, and a cow on the road. Vehicles drive on the left.", "confidence": '
        '"high"}',
        {"text", "vehicles", "culture", "driving_side"},
    ),
    (
        "Architecture: colonial-era buildings with wrought-iron balconies.\nLandmarks: none "
        "that I recognize.\nSignage: Spanish.\nClimate: warm and dry.",
        {"architecture", "text", "terrain_climate"},
    ),
    (
        "The image shows the Petronas Towers, so this is Kuala Lumpur, Malaysia.",
        {"landmark"},
    ),
    (
        "I notice that the road signs are green with white lettering, which is common on "
        "highways in the United States. The pickup trucks also point to North America.",
        {"road_furniture", "text", "infrastructure", "vehicles"},
    ),
    (
        "Based on the image, I cannot determine the exact location. The scene shows a beach "
        "with palm trees and clear blue water.",
        {"terrain_climate", "vegetation"},
    ),
    (
        "The signage is in Greek, and the Orthodox church with a blue dome suggests Greece.",
        {"text", "architecture"},
    ),
    (
        "No legible signage. The vehicles have black-on-yellow plates. The road lacks a "
        "center line. Many stray dogs.",
        {"vehicles"},
    ),
    (
        "The scene has snow on the ground and birch trees; the wooden houses are painted "
        "red with white trim, very Scandinavian.",
        {"terrain_climate", "vegetation", "architecture"},
    ),
    (
        "The photo was taken on a cloudy day. The street lights are a distinctive design, and "
        "there is a tram line running down the middle of the street.",
        {"terrain_climate", "infrastructure"},
    ),
    (
        "Clues: the bollard is white with a red band, typical of Germany? No, more like Austria. "
        "The guardrails are double.",
        {"road_furniture"},
    ),
    (
        "The hemisphere is hard to determine since no shadows are visible.",
        set(),
    ),
    (
        "There is a McDonald's sign with Arabic writing next to it, and women in abayas.",
        {"culture", "text"},
    ),
    (
        "The text on the banner says \"Bienvenidos\", which is Spanish. The flags and "
        "colorful bunting suggest a festival.",
        {"text", "culture"},
    ),
    (
        "This is likely Iceland: barren volcanic terrain, moss-covered lava fields, no trees, "
        "and a gravel road.",
        {"terrain_climate", "vegetation", "infrastructure"},
    ),
    (
        "The image quality is poor. I can't make out the text on the signs, and the cars "
        "are too far away to identify.",
        set(),
    ),
    (
        "The architecture is not particularly distinctive, but the presence of a mosque "
        "suggests a Muslim-majority country.",
        {"architecture"},
    ),
    (
        "Big Ben and the Houses of Parliament are visible on the riverbank.",
        {"landmark", "terrain_climate"},
    ),
    (
        "The mountains and the church with an onion dome make me think of Bavaria, but I "
        "can't see any German text to confirm.",
        {"terrain_climate", "architecture"},
    ),
    (
        "1. Driving side: Right\n2. Road lines: yellow center lines\n3. Poles: wooden\n4. "
        "Language: English\n5. Final answer: United States",
        {"driving_side", "road_markings", "infrastructure", "text"},
    ),
    (
        "Die Straße hat eine gelbe Mittellinie und die Autos fahren rechts. Die Häuser sind "
        "aus Holz.",
        {"road_markings", "driving_side", "architecture"},
    ),
    (
        "道路两旁有很多棕榈树，房屋是红色屋顶。没有看到任何文字。",
        {"vegetation", "architecture"},
    ),
    (
        "Las casas son de adobe y el terreno es desértico. No hay carteles ni vehículos.",
        {"architecture", "terrain_climate"},
    ),
    (
        "На дороге нет разметки, вдоль обочины растут сосны, видны деревянные дома.",
        {"vegetation", "architecture"},
    ),
    (
        "The sun is low in the sky and the shadows are long, suggesting high latitude or "
        "late afternoon.",
        {"sun"},
    ),
    (
        "The location could be anywhere in Latin America. Spanish colonial architecture is "
        "common there, but there are no signs to confirm.",
        {"architecture"},
    ),
]
