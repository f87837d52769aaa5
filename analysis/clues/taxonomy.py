"""The clue taxonomy: which kinds of visual evidence a geolocation answer can cite.

Each category is one ``ClueCategory`` entry in ``CATEGORIES``; the id is stable (it is stored,
printed by the CLI and compared in tests), the label and description are for people. Adding a
category is one ``_add`` line here plus its terms in ``lexicon.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.registry import Registry


@dataclass(frozen=True)
class ClueCategory:
    """One kind of clue: a stable id, a short label and what it covers."""

    id: str
    label: str
    description: str


CATEGORIES: Registry[ClueCategory] = Registry("clue category")


def _add(id_: str, label: str, description: str) -> None:
    CATEGORIES.register(id_, ClueCategory(id_, label, description))


_add("text", "Text & signage", "legible text, signs, the language or script they are written in")
_add("driving_side", "Driving side", "which side of the road traffic keeps to")
_add("road_markings", "Road markings", "painted lines: centre and edge lines, their colours, crossings")
_add(
    "road_furniture",
    "Road furniture",
    "bollards, guardrails, traffic lights, the shapes and colours of road signs",
)
_add("vehicles", "Vehicles", "licence plates, car models and makes, buses, the camera car")
_add(
    "infrastructure",
    "Infrastructure",
    "utility poles and wires, road surface, street lights, railways",
)
_add("vegetation", "Vegetation", "trees, plants, grass, crops, forest or its absence")
_add(
    "terrain_climate",
    "Terrain & climate",
    "relief, soil colour, aridity, climate and the weather on the day",
)
_add("architecture", "Architecture", "building styles, roofs, materials, churches, housing blocks")
_add("landmark", "Landmark", "a named, recognised place or building (a famous tower, a mountain)")
_add("culture", "Culture", "people and clothing, flags, shops, businesses and brands")
_add("sun", "Sun & shadows", "sun position, shadow direction, the hemisphere read from them")


def category_ids() -> list[str]:
    """Return every category id in registration order."""
    return CATEGORIES.names()


def category(id_: str) -> ClueCategory:
    """Return the category with this id (RegistryError when unknown)."""
    return CATEGORIES.get(id_)
