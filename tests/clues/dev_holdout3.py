"""Fourth and fifth hand-labelled sets, aimed at text and landmark wording (written last)."""

from __future__ import annotations

HOLDOUT3: list[tuple[str, set[str]]] = [
    (
        "Looking at this image, I can identify several key features:\n\n1. **Architecture**: The buildings have a distinctly Mediterranean style with stucco walls and terracotta roof tiles.\n2. **Signage**: There's a sign in the distance, though I can't make out the text.\n3. **Vegetation**: Olive trees and cypress.\n\nThese clues suggest southern Italy or Greece. Final answer: Italy",
        {"architecture", "vegetation"},
    ),
    (
        "The most telling clue is the text on the storefront, which appears to be in Vietnamese given the diacritics. Motorbikes crowd the street.",
        {"culture", "text", "vehicles"},
    ),
    (
        "I don't see any identifiable landmarks, text, or distinctive features. This appears to be a generic rural road with farmland.",
        {"infrastructure", "vegetation"},
    ),
    ("The iconic Sydney Harbour Bridge is clearly visible.", {"landmark"}),
    (
        "This is the Hagia Sophia in Istanbul, recognizable by its massive dome and four minarets.",
        {"architecture", "landmark"},
    ),
    (
        "Signs: in Cyrillic. Landmarks: none visible. Architecture: Soviet blocks.",
        {"architecture", "text"},
    ),
    (
        "The billboard advertises a local bank, and the writing uses the Georgian alphabet.",
        {"culture", "text"},
    ),
    (
        "There is a clock tower in the town center, but I don't recognize it as any famous landmark.",
        {"architecture"},
    ),
    ("The road sign shows a town name, 'Ústí nad Labem', with Czech diacritics.", {"text"}),
    ("Nothing in the image is legible, and there are no landmarks I can identify.", set()),
    (
        '{"reasoning": "The license plates are EU-style with an F country code. The street signs are blue.", "landmarks": "None", "text": "Street signs in French", "country": "France"}',
        {"road_furniture", "text", "vehicles"},
    ),
    (
        "The mountain in the background strongly resembles Table Mountain, which would place this in Cape Town.",
        {"landmark", "terrain_climate"},
    ),
    (
        "No text is present in the image. The landscape features rolling green hills typical of New Zealand or Ireland.",
        {"terrain_climate"},
    ),
    ('The language on the sign appears to be Indonesian ("Jalan" means street).', {"text"}),
    ("I can see the word 'Apotheke' on a sign, which is German for pharmacy.", {"culture", "text"}),
    ("The image shows the Marina Bay Sands hotel and the Singapore skyline.", {"landmark"}),
    ("Unfortunately the resolution is too low to read any signs or identify landmarks.", set()),
    (
        "Key observations: Spanish text on a yellow sign ('CURVA PELIGROSA'); eucalyptus plantations; red dirt road.",
        {"infrastructure", "road_furniture", "terrain_climate", "text", "vegetation"},
    ),
    (
        "The scene has no cars, no people, and no signage, only a dirt path through tall grass.",
        {"infrastructure", "vegetation"},
    ),
    (
        "A large Buddha statue sits on the hill, likely a well-known local landmark.",
        {"landmark", "terrain_climate"},
    ),
]

# written after the fourth set was tuned on; its first-pass figures are in docs/clues.md
HOLDOUT4: list[tuple[str, set[str]]] = [
    ("The storefronts display Hangul, so this is South Korea.", {"culture", "text"}),
    ("There's a faded mural with some lettering, but it's not in a language I can read.", {"text"}),
    (
        "The only visible writing is a license plate number, which isn't enough to go on.",
        {"text", "vehicles"},
    ),
    ("Landmark: the Atomium is in the background.", {"landmark"}),
    (
        "In the distance there's a tall TV tower that might be the Fernsehturm in Berlin.",
        {"architecture", "landmark"},
    ),
    ("I cannot see any writing, signage, or recognizable buildings in this rural scene.", set()),
    (
        "The text 'Vía Expresa' on the overhead sign confirms a Spanish-speaking country.",
        {"road_furniture", "text"},
    ),
    (
        "No street signs are visible, but the house numbers are painted on the curb.",
        {"road_furniture", "text"},
    ),
    ("This looks like the famous Charles Bridge in Prague with its statues.", {"landmark"}),
    ("There is Cyrillic-looking text, though it could also be Greek.", {"text"}),
    (
        "The mountains look like the Dolomites, but I'm not confident.",
        {"landmark", "terrain_climate"},
    ),
    (
        "Absent any legible text or notable landmarks, I base my guess on the vegetation.",
        {"vegetation"},
    ),
    ("The banner reads 'Feliz Navidad', suggesting Latin America.", {"text"}),
    ("The signs are in both English and French, suggesting Canada.", {"text"}),
    (
        "Notable landmarks: none. Notable text: none. Notable vegetation: birch trees.",
        {"vegetation"},
    ),
]
