"""``tips``: insist on one country and list the clues GeoGuessr players look for."""

from __future__ import annotations

from analysis.prompts.must import MUST_TEXT
from analysis.prompts.strategy import PromptStrategy

CLUES_TEXT = (
    "People who are good at guessing places from street photos narrow them down with clues "
    "such as:\n"
    "- Traffic side: which side of the road vehicles keep to, and where the driver sits.\n"
    "- Sun and shadows: the direction and height of the sun hint at the hemisphere and at how "
    "far from the equator the place is.\n"
    "- The road itself: colour and pattern of centre and edge lines, kerbs, and the shape and "
    "colours of bollards and reflector posts.\n"
    "- Number plates: colours, proportions, and any coloured band or emblem on them.\n"
    "- Plants and ground: kinds of trees, crops and grass, and the colour of the soil.\n"
    "- Buildings and infrastructure: architectural style, roofs, fences, and the make of "
    "utility poles and power lines.\n"
    "- Writing: the script and language of signs, and the format of phone numbers and web "
    "addresses."
)

TIPS = PromptStrategy(
    name="tips",
    version="1",
    description="Must name one country, with a list of GeoGuessr-style clues to look for.",
    instructions=f"{CLUES_TEXT}\n\nWeigh the clues you can see. {MUST_TEXT}",
)
