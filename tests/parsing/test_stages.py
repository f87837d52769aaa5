"""The JSON, label and phrase stages on their own."""

from __future__ import annotations

import pytest

from analysis.parsing.json_stage import find_json_answer, iter_json_objects
from analysis.parsing.labels import find_labels
from analysis.parsing.refusals import find_guess, find_refusal, find_unknown


def test_braces_inside_strings_do_not_end_an_object() -> None:
    text = 'Reasoning first. {"reasoning": "a sign reads {exit}", "country": "Chile"} done'
    assert list(iter_json_objects(text)) == [
        {"reasoning": "a sign reads {exit}", "country": "Chile"}
    ]


def test_stray_quote_in_prose_does_not_swallow_the_answer() -> None:
    text = 'He said "hello {\nand left.\n{"country": "Peru"}'
    fields = find_json_answer(text)
    assert fields is not None and fields.country_text == "Peru"


def test_objects_without_location_keys_are_ignored() -> None:
    text = '{"confidence": 0.9}\n{"country": "Kenya"}\n{"note": "end"}'
    fields = find_json_answer(text)
    assert fields is not None and fields.country_text == "Kenya"


def test_python_literals_and_nested_answer() -> None:
    fields = find_json_answer("{'answer': {'country': 'Laos', 'lat': None, 'lon': None}}")
    assert fields is not None
    assert (fields.country_text, fields.lat, fields.lon) == ("Laos", None, None)


def test_a_flood_of_objects_is_bounded() -> None:
    text = "{}" * 10_000 + '{"country": "Chad"}'
    assert find_json_answer(text) is None  # only the first 20 candidates are read


def test_last_label_wins_and_markdown_is_stripped() -> None:
    text = "Country: Spain (first impression)\n...\n- **Country:** `Portugal`."
    fields = find_labels(text)
    assert fields is not None and fields.country_text == "Portugal"


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("Latitude (approx.): 10.5\nLongitude (approx.): -66.9", 10.5, -66.9),
        ('"lat": 1.35, "lng": 103.82', 1.35, 103.82),
        ("lat=59.33 lon=18.06", 59.33, 18.06),
        ("Latitude/Longitude: 41.01, 28.97", 41.01, 28.97),
        ("纬度：31.23，经度：121.47", 31.23, 121.47),
    ],
)
def test_axis_labels(text: str, lat: float, lon: float) -> None:
    fields = find_labels(text)
    assert fields is not None and (fields.lat, fields.lon) == (lat, lon)


def test_long_as_a_word_is_not_a_longitude_label() -> None:
    assert find_labels("The road is long 2.5 km and lat 10.25") is not None
    fields = find_labels("The road is long 2.5 km and lat 10.25")
    assert fields is not None and fields.lon is None


@pytest.mark.parametrize(
    ("text", "refusal", "unknown", "guess"),
    [
        ("I can't help identify where this photo was taken.", True, False, False),
        ("I'm sorry, but I can't determine the location.", False, True, False),
        ("It's hard to tell, but it is most likely Peru.", False, True, True),
        ("I can't help but notice the Cyrillic signs.", False, False, False),
        ("抱歉，我无法协助识别图片中的位置。", True, False, False),
        ("この写真はおそらく日本です。", False, False, True),
        ("Je ne peux pas déterminer le pays.", False, True, False),
        ("There isn’t enough information to tell.", False, True, False),
    ],
)
def test_phrase_families(text: str, refusal: bool, unknown: bool, guess: bool) -> None:
    assert (find_refusal(text) is not None) is refusal
    assert (find_unknown(text) is not None) is unknown
    assert (find_guess(text) is not None) is guess
