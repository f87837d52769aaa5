"""Hand-written model replies with the reading a careful person would give each one.

Written for these tests in the styles of the model families LLMGeo and later studies ran (none
is a copy of a real transcript). Each expectation was decided by reading the reply, not by
running the parser: ``status``; ``iso3`` (the country the reply commits to, or for a reply with
only coordinates the country those coordinates lie in); ``lat``/``lon`` when the reply gives
coordinates (``source="model"``), else the country's representative point is expected
(``source="country_point"``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    name: str
    family: str
    text: str | None
    status: str
    iso3: str | None = None
    lat: float | None = None
    lon: float | None = None

    @property
    def source(self) -> str | None:
        if self.status != "ok":
            return None
        return "model" if self.lat is not None else "country_point"


FENCE = "```"

CASES: list[Case] = [
    # ---------------------------------------------------------------- GPT-4o / GPT-4V, verbose
    Case(
        "gpt_markdown_bold_country",
        "gpt4o",
        """Let me analyse the visual clues in this image.

### Observations
1. **Driving side**: Vehicles drive on the left side of the road.
2. **Road markings**: White dashed centre lines with yellow edge lines.
3. **Vegetation**: Eucalyptus trees and dry grassland.
4. **Signage**: The speed sign uses km/h in a red circle.

### Conclusion
These clues are characteristic of rural Australia.

**Country:** Australia""",
        "ok",
        "AUS",
    ),
    Case(
        "gpt_final_json_line",
        "gpt4o",
        """The architecture shows whitewashed houses with blue
shutters, the signs are written in the Greek alphabet, and the vegetation is typically
Mediterranean (olive trees, dry shrubs).

{"country": "Greece"}""",
        "ok",
        "GRC",
    ),
    Case(
        "gpt_fenced_json_coords",
        "gpt4o",
        f"""Based on the Cyrillic signage, the wide
boulevards and the Soviet-era apartment blocks, this is most likely a city in Russia.

{FENCE}json
{{
  "country": "Russia",
  "lat": 55.7558,
  "lon": 37.6173
}}
{FENCE}""",
        "ok",
        "RUS",
        55.7558,
        37.6173,
    ),
    Case(
        "gpt_bullets_lat_lon",
        "gpt4o",
        """Here is my best estimate:

- **Country:** Brazil
- **Latitude:** -23.5505
- **Longitude:** -46.6333

The red soil, the Portuguese-language signs and the style of the utility poles point to
southeastern Brazil, likely near São Paulo.""",
        "ok",
        "BRA",
        -23.5505,
        -46.6333,
    ),
    Case(
        "gpt_heading_answer",
        "gpt4v",
        """## Analysis
The photo shows a snowy forest road with yellow centre lines and black-and-white striped
bollards. The road signs are in Finnish and Swedish.

## Answer
Country: Finland""",
        "ok",
        "FIN",
    ),
    Case(
        "gpt_dms_coords",
        "gpt4o",
        """The landmark in the background is the Eiffel Tower, so
the photo was taken in Paris, France.

Approximate coordinates: 48°51'30"N 2°17'40"E""",
        "ok",
        "FRA",
        48.858333,
        2.294444,
    ),
    Case(
        "gpt_long_reasoning_last_label",
        "gpt4o",
        """To determine where this was taken, I
looked at several clues.

First, the cars drive on the right. Second, the licence plates are long and white with a blue
band on the left, which is common across the European Union. Third, the signs use the Latin
alphabet with diacritics such as "ą" and "ł", which are specific to Polish.

Possible candidates considered: Czechia, Slovakia, Poland.

Final answer:
Country: Poland""",
        "ok",
        "POL",
    ),
    Case(
        "gpt_coords_decimal_hemisphere",
        "gpt4o",
        """This appears to be Cape Town, with Table
Mountain visible behind the city.

Estimated location: 33.9249° S, 18.4241° E (Cape Town, South Africa)""",
        "ok",
        "ZAF",
        -33.9249,
        18.4241,
    ),
    Case(
        "gpt_table_then_json",
        "gpt4o",
        f"""| Clue | Observation |
|------|-------------|
| Script | Thai |
| Driving | Left side |
| Vegetation | Tropical |

{FENCE}json
{{"country": "Thailand", "lat": 13.7563, "lon": 100.5018, "confidence": 0.8}}
{FENCE}""",
        "ok",
        "THA",
        13.7563,
        100.5018,
    ),
    Case(
        "gpt_json_inline_prose",
        "gpt4o",
        'My answer is {"country": "Argentina"} because of the '
        "Spanish signs and the flat Pampas landscape.",
        "ok",
        "ARG",
    ),
    Case(
        "gpt_country_and_coords_labels",
        "gpt4o",
        """**Country:** Canada
**Coordinates:** 45.5017, -73.5673

The bilingual French and English signs and the North American road design suggest Montreal,
Quebec.""",
        "ok",
        "CAN",
        45.5017,
        -73.5673,
    ),
    Case(
        "gpt_lat_lon_one_line",
        "gpt4o",
        "Country: Peru, Latitude: -13.5320, Longitude: " "-71.9675 (near Cusco)",
        "ok",
        "PER",
        -13.5320,
        -71.9675,
    ),
    Case(
        "gpt_latlon_slash_label",
        "gpt4o",
        """Most likely Norway.
Lat/Lon: 60.3913, 5.3221""",
        "ok",
        "NOR",
        60.3913,
        5.3221,
    ),
    Case(
        "gpt4v_refuse_person",
        "gpt4v",
        "I'm sorry, but I can't help with identifying the " "location of this image.",
        "refused",
    ),
    Case(
        "gpt4v_unknown",
        "gpt4v",
        "I'm unable to determine the specific country from this "
        "image, as there are no distinctive landmarks, signs or other identifying features "
        "visible.",
        "unknown",
    ),
    Case(
        "gpt4v_unknown_json_basic",
        "gpt4v",
        """The image only shows a generic highway with
no readable signs.

{"country": "unknown"}""",
        "unknown",
    ),
    Case(
        "gpt_hedged_then_guess",
        "gpt4o",
        """It's difficult to say for certain, since there
are no signs in the image. However, the red soil, the eucalyptus plantations and the style of
the houses suggest Brazil.""",
        "ok",
        "BRA",
    ),
    Case(
        "gpt_swapped_coords_label",
        "gpt4o",
        """Country: Japan
Latitude: 139.6917
Longitude: 35.6895""",
        "invalid_coordinates",
        "JPN",
    ),
    Case(
        "gpt_markdown_bold_colon_outside",
        "gpt4o",
        """**Country**: Mexico
**Latitude**: 19.4326
**Longitude**: -99.1332""",
        "ok",
        "MEX",
        19.4326,
        -99.1332,
    ),
    Case(
        "gpt_guess_label",
        "gpt4o",
        """Observations: left-hand traffic, yellow number plates
at the rear, stone walls between green fields.

Best guess: United Kingdom""",
        "ok",
        "GBR",
    ),
    # ------------------------------------------------------------------ Gemini, terse answers
    Case("gemini_bare_country", "gemini", "Italy", "ok", "ITA"),
    Case("gemini_bare_country_period", "gemini", "Japan.", "ok", "JPN"),
    Case("gemini_sentence", "gemini", "This photo was taken in Chile.", "ok", "CHL"),
    Case("gemini_country_colon", "gemini", "Country: Kenya", "ok", "KEN"),
    Case("gemini_json_mode", "gemini", '{"country": "Turkey"}', "ok", "TUR"),
    Case(
        "gemini_json_coords",
        "gemini",
        '{"country":"India","lat":28.6139,"lon":77.209}',
        "ok",
        "IND",
        28.6139,
        77.209,
    ),
    Case("gemini_usa_abbrev", "gemini", "USA", "ok", "USA"),
    Case("gemini_uk", "gemini", "UK", "ok", "GBR"),
    Case("gemini_bold_only", "gemini", "**South Korea**", "ok", "KOR"),
    Case("gemini_city_country", "gemini", "Lisbon, Portugal", "ok", "PRT"),
    Case("gemini_coords_only", "gemini", "41.9028, 12.4964", "ok", "ITA", 41.9028, 12.4964),
    Case("gemini_unknown_word", "gemini", "Unknown", "unknown"),
    # --------------------------------------------------------- Claude, polite (and refusing)
    Case(
        "claude_refusal_privacy",
        "claude",
        """I appreciate your interest, but I'm not able to
help identify where this photo was taken. Pinpointing the location of images could be used to
locate people without their consent, so I don't identify real-world locations from photos.
I'd be happy to describe the scene instead.""",
        "refused",
    ),
    Case("claude_refusal_short", "claude", "I can't help identify locations of images.", "refused"),
    Case(
        "claude_refusal_decline",
        "claude",
        "I must decline to geolocate this photograph, "
        "but I can describe what's visible in it if that helps.",
        "refused",
    ),
    Case(
        "claude_answer_polite",
        "claude",
        """Looking at this image, I can see several helpful
clues: the vehicles are driving on the left, the signs are in English and Māori, and the hills
are covered in lush green pasture with sheep.

Based on these observations, I believe this photo was taken in New Zealand.

{"country": "New Zealand"}""",
        "ok",
        "NZL",
    ),
    Case(
        "claude_cannot_tell",
        "claude",
        "Thanks for sharing this image. Unfortunately, there "
        "isn't enough information in it for me to tell which country it was taken in: it "
        "shows only an overcast sky and a stretch of asphalt.",
        "unknown",
    ),
    Case(
        "claude_refusal_mentions_country",
        "claude",
        "I'm sorry, but I can't help with "
        "identifying where this photo was taken. If you're planning a trip to Italy, I'm happy "
        "to suggest places to visit.",
        "refused",
    ),
    Case(
        "claude_coords_form",
        "claude",
        """Based on the architecture, the tram lines and the
signs in Czech, this looks like Prague.

{"country": "Czechia", "lat": 50.0755, "lon": 14.4378}""",
        "ok",
        "CZE",
        50.0755,
        14.4378,
    ),
    Case(
        "claude_unknown_json_null",
        "claude",
        """I cannot determine the location with any
confidence from this image.

{"country": "unknown", "lat": null, "lon": null}""",
        "unknown",
    ),
    # ------------------------------------------------ LLaVA / Qwen-VL / InternLM, short or rambling
    Case("llava_short_sentence", "llava", "The image is taken in the United States.", "ok", "USA"),
    Case(
        "llava_rambling",
        "llava",
        """The image shows a city street with tall buildings and
many cars. There are people walking on the sidewalk. The sky is blue. The street has trees.
The image was taken in a city in Germany. The buildings are modern. The cars are parked.""",
        "ok",
        "DEU",
    ),
    Case(
        "llava_repeat_loop",
        "llava",
        "The country is Spain. The country is Spain. The country "
        "is Spain. The country is Spain. The country is",
        "ok",
        "ESP",
    ),
    Case(
        "llava_no_country",
        "llava",
        "The image shows a road with trees on both sides and a " "blue sky with some clouds.",
        "parse_error",
    ),
    Case("llava_lowercase_country", "llava", "it looks like mexico", "ok", "MEX"),
    Case("qwen_answer_label", "qwen-vl", "Answer: Vietnam", "ok", "VNM"),
    Case(
        "qwen_coords_paren",
        "qwen-vl",
        "This is Hanoi, Vietnam (21.0285, 105.8542).",
        "ok",
        "VNM",
        21.0285,
        105.8542,
    ),
    Case(
        "qwen_bbox_junk_then_country",
        "qwen-vl",
        "<ref>road sign</ref><box>(112,300),"
        "(450,620)</box> The sign is written in Indonesian, so the country is Indonesia.",
        "ok",
        "IDN",
    ),
    Case(
        "internlm_verbose",
        "internlm-xcomposer",
        """Based on the image, it appears to be a
rural area with rice paddies and mountains in the background. The architecture of the houses,
with their curved roofs, is typical of East Asia. Considering all these factors, I would guess
that the photo was taken in China.""",
        "ok",
        "CHN",
    ),
    Case(
        "internlm_two_candidates",
        "internlm-xcomposer",
        "The photo could be from Austria or "
        "Switzerland, but the Swiss flag on the building makes me think it's Switzerland.",
        "ok",
        "CHE",
    ),
    Case("blip2_one_word_city", "blip2", "london", "ok", "GBR"),
    Case("blip2_caption_only", "blip2", "a street with cars parked on the side", "parse_error"),
    Case("llava_i_dont_know", "llava", "I don't know.", "unknown"),
    Case("qwen_json_code_key", "qwen-vl", '{"country_code": "fr"}', "ok", "FRA"),
    Case(
        "llava_negated_then_answer",
        "llava",
        "This is not Spain; the signs are in Portuguese, " "so it is Portugal.",
        "ok",
        "PRT",
    ),
    Case("qwen_colon_fullwidth", "qwen-vl", "国家：日本", "ok", "JPN"),
    # ------------------------------------------------------------------------- Fuyu, junk
    Case("fuyu_empty", "fuyu", "", "parse_error"),
    Case("fuyu_whitespace", "fuyu", "   \n\t  ", "parse_error"),
    Case("fuyu_none", "fuyu", None, "parse_error"),
    Case("fuyu_token_junk", "fuyu", "|ENDOFTEXT| |ENDOFTEXT| a a a a", "parse_error"),
    Case("fuyu_numbers", "fuyu", "1 2 3 4 5 6 7 8 9", "parse_error"),
    Case("fuyu_bbox_numbers", "fuyu", "<box>120, 45, 300, 410</box>", "parse_error"),
    Case("fuyu_question_mark", "fuyu", "?", "unknown"),
    Case("fuyu_question_marks", "fuyu", " ??? ", "unknown"),
    Case("fuyu_carets", "fuyu", "^^^^", "parse_error"),
    Case("fuyu_ellipsis", "fuyu", "...", "parse_error"),
    Case("fuyu_dashes", "fuyu", "— — —", "parse_error"),
    Case("fuyu_caption", "fuyu", "A photo of a building with windows and a door.", "parse_error"),
    # ----------------------------------------------------------------------- JSON-mode outputs
    Case(
        "json_full",
        "json-mode",
        '{"country": "Egypt", "latitude": 30.0444, "longitude": '
        '31.2357, "confidence": 0.7, "reasoning": "Arabic signs, desert, Nile"}',
        "ok",
        "EGY",
        30.0444,
        31.2357,
    ),
    Case(
        "json_coordinates_array",
        "json-mode",
        '{"country_name": "Iceland", "coordinates": ' "[64.1466, -21.9426]}",
        "ok",
        "ISL",
        64.1466,
        -21.9426,
    ),
    Case(
        "json_coordinates_object",
        "json-mode",
        '{"country": "Chile", "coordinates": {"lat": ' '-33.4489, "lng": -70.6693}}',
        "ok",
        "CHL",
        -33.4489,
        -70.6693,
    ),
    Case(
        "json_geojson_point",
        "json-mode",
        '{"country": "Spain", "location": {"type": "Point",' ' "coordinates": [-3.7038, 40.4168]}}',
        "ok",
        "ESP",
        40.4168,
        -3.7038,
    ),
    Case(
        "json_nested_answer",
        "json-mode",
        '{"answer": {"country": "Morocco", "lat": 31.6295,' ' "lon": -7.9811}}',
        "ok",
        "MAR",
        31.6295,
        -7.9811,
    ),
    Case(
        "json_strings_hemisphere",
        "json-mode",
        '{"country": "Argentina", "lat": "34.6037 S",' ' "lon": "58.3816 W"}',
        "ok",
        "ARG",
        -34.6037,
        -58.3816,
    ),
    Case(
        "json_trailing_comma",
        "json-mode",
        '{"country": "Colombia", "lat": 4.711, "lon": ' "-74.0721,}",
        "ok",
        "COL",
        4.711,
        -74.0721,
    ),
    Case(
        "json_single_quotes",
        "json-mode",
        "{'country': 'Nigeria', 'lat': 6.5244, 'lon': " "3.3792}",
        "ok",
        "NGA",
        6.5244,
        3.3792,
    ),
    Case(
        "json_truncated",
        "json-mode",
        '{"reasoning": "The signs are in Hungarian and the '
        'roads look Central European", "country": "Hungary", "lat": 47.49',
        "ok",
        "HUN",
    ),
    Case(
        "json_null_everything",
        "json-mode",
        '{"country": null, "lat": null, "lon": null}',
        "unknown",
    ),
    Case(
        "json_placeholder_zero",
        "json-mode",
        '{"country": "unknown", "lat": 0, "lon": 0}',
        "unknown",
    ),
    Case(
        "json_iso3_key",
        "json-mode",
        '{"iso3": "DEU", "lat": 52.52, "lon": 13.405}',
        "ok",
        "DEU",
        52.52,
        13.405,
    ),
    Case(
        "json_out_of_range",
        "json-mode",
        '{"country": "Mongolia", "lat": 123.4, "lon": 200}',
        "invalid_coordinates",
        "MNG",
    ),
    Case(
        "json_coords_only",
        "json-mode",
        '{"lat": -1.2921, "lon": 36.8219}',
        "ok",
        "KEN",
        -1.2921,
        36.8219,
    ),
    Case(
        "json_two_objects_last_wins",
        "json-mode",
        """Example format: {"country": "France"}

My answer: {"country": "Belgium"}""",
        "ok",
        "BEL",
    ),
    Case("json_list_of_guesses", "json-mode", '{"country": ["Sweden", "Norway"]}', "ok", "SWE"),
    Case(
        "json_unquoted_keys",
        "json-mode",
        '{country: "Ireland", lat: 53.3498, lon: ' "-6.2603}",
        "ok",
        "IRL",
        53.3498,
        -6.2603,
    ),
    Case(
        "json_refusal_in_field",
        "json-mode",
        '{"country": null, "reasoning": "I cannot help '
        'with identifying the location of people in images."}',
        "refused",
    ),
    Case(
        "json_broken_label_fallback",
        "json-mode",
        '{"country": "Ukraine", "lat": 50.45 ' '"lon": 30.52}',
        "ok",
        "UKR",
        50.45,
        30.52,
    ),
    # ------------------------------------------------------------------ other languages
    Case(
        "fr_sentence",
        "gpt4o-fr",
        "Cette photo a probablement été prise en Allemagne, à en "
        "juger par les panneaux et l'architecture.",
        "ok",
        "DEU",
    ),
    Case(
        "fr_label",
        "mistral-fr",
        "Pays : Espagne\nLatitude : 40.4168\nLongitude : -3.7038",
        "ok",
        "ESP",
        40.4168,
        -3.7038,
    ),
    Case(
        "fr_unknown",
        "mistral-fr",
        "Je ne peux pas déterminer le pays à partir de cette image.",
        "unknown",
    ),
    Case(
        "fr_refusal",
        "gpt4o-fr",
        "Désolé, je ne peux pas vous aider à identifier des lieux à " "partir de photos.",
        "refused",
    ),
    Case(
        "es_sentence",
        "gemini-es",
        "La foto fue tomada en México, probablemente en la Ciudad " "de México.",
        "ok",
        "MEX",
    ),
    Case(
        "es_label_coords",
        "gemini-es",
        "País: Perú\nCoordenadas: -12.0464, -77.0428",
        "ok",
        "PER",
        -12.0464,
        -77.0428,
    ),
    Case(
        "es_unknown",
        "qwen-es",
        "No puedo determinar el país con la información de la " "imagen.",
        "unknown",
    ),
    Case(
        "de_sentence",
        "llava-de",
        "Das Foto wurde wahrscheinlich in Österreich aufgenommen.",
        "ok",
        "AUT",
    ),
    Case(
        "de_label",
        "gpt4o-de",
        "Land: Schweiz\nBreitengrad: 46.948\nLängengrad: 7.4474",
        "ok",
        "CHE",
        46.948,
        7.4474,
    ),
    Case(
        "de_unknown",
        "gpt4o-de",
        "Leider kann ich das Land anhand des Bildes nicht bestimmen.",
        "unknown",
    ),
    Case("de_refusal", "claude-de", "Dabei kann ich Ihnen leider nicht helfen.", "refused"),
    Case("zh_sentence", "qwen-zh", "这张照片很可能是在中国拍摄的。", "ok", "CHN"),
    Case(
        "zh_coords",
        "qwen-zh",
        "国家：中国\n坐标：北纬39.9042°，东经116.4074°",
        "ok",
        "CHN",
        39.9042,
        116.4074,
    ),
    Case("zh_unknown", "qwen-zh", "根据图片中的信息，我无法确定拍摄地点。", "unknown"),
    Case("zh_refusal", "qwen-zh", "抱歉，我无法协助识别图片中的具体位置。", "refused"),
    Case("zh_korea", "internlm-zh", "从招牌上的韩文来看，这张照片拍摄于韩国。", "ok", "KOR"),
    Case("ja_sentence", "gpt4o-ja", "この写真はおそらく日本で撮影されたものです。", "ok", "JPN"),
    Case(
        "ja_coords",
        "gpt4o-ja",
        "国：日本\n緯度：35.6762\n経度：139.6503",
        "ok",
        "JPN",
        35.6762,
        139.6503,
    ),
    Case("ja_unknown", "gpt4o-ja", "この画像だけでは場所を特定できません。", "unknown"),
    Case(
        "mixed_en_zh",
        "qwen-mixed",
        "The signs are in Chinese characters (繁體字), so I think " "this is Taiwan.",
        "ok",
        "TWN",
    ),
    Case("mixed_label_en_value_fr", "mistral-mixed", "Country: Belgique", "ok", "BEL"),
    Case(
        "mixed_es_json",
        "gemini-mixed",
        'Creo que es Brasil por la tierra roja.\n{"country": '
        '"Brazil", "lat": -15.7939, "lon": -47.8828}',
        "ok",
        "BRA",
        -15.7939,
        -47.8828,
    ),
    Case(
        "mixed_de_coords_words",
        "llava-de",
        "Koordinaten: 52.5200 Nord, 13.4050 Ost",
        "ok",
        "DEU",
        52.52,
        13.405,
    ),
    # ------------------------------------------------------------------ coordinate formats
    Case(
        "coords_dms_south_west",
        "gpt4o",
        "Coordinates: 22°54'13\"S 43°10'22\"W",
        "ok",
        "BRA",
        -22.903611,
        -43.172778,
    ),
    Case(
        "coords_decimal_minutes",
        "gpt4o",
        "Position: 48° 51.4' N, 2° 21.1' E",
        "ok",
        "FRA",
        48.856667,
        2.351667,
    ),
    Case(
        "coords_prefix_letters", "gpt4o", "GPS: N 59.3293, E 18.0686", "ok", "SWE", 59.3293, 18.0686
    ),
    Case(
        "coords_suffix_no_space",
        "llava",
        "located at 35.6895N, 139.6917E",
        "ok",
        "JPN",
        35.6895,
        139.6917,
    ),
    Case(
        "coords_signed_pair_prose",
        "gpt4o",
        "The coordinates are approximately -33.8688, " "151.2093, which is Sydney.",
        "ok",
        "AUS",
        -33.8688,
        151.2093,
    ),
    Case(
        "coords_reversed_with_markers",
        "gpt4o",
        "Location: 151.2093° E, 33.8688° S",
        "ok",
        "AUS",
        -33.8688,
        151.2093,
    ),
    Case(
        "coords_words_north_west",
        "llava",
        "The place is around 40.7128 north, 74.0060 west.",
        "ok",
        "USA",
        40.7128,
        -74.006,
    ),
    Case(
        "coords_decimal_comma",
        "gpt4o-fr",
        "Coordonnées : 48,8566° N, 2,3522° E",
        "ok",
        "FRA",
        48.8566,
        2.3522,
    ),
    Case(
        "coords_lat_lon_no_colon",
        "llava",
        "My guess is lat 37.9838 lon 23.7275",
        "ok",
        "GRC",
        37.9838,
        23.7275,
    ),
    Case(
        "coords_bracket_pair",
        "gpt4o",
        "I estimate [52.3676, 4.9041].",
        "ok",
        "NLD",
        52.3676,
        4.9041,
    ),
    Case(
        "coords_unicode_minus",
        "gpt4o",
        "Latitude: −34.6037\nLongitude: −58.3816",
        "ok",
        "ARG",
        -34.6037,
        -58.3816,
    ),
    Case(
        "coords_primes",
        "gpt4o",
        "Coordinates: 35°41′22″N 139°41′30″E",
        "ok",
        "JPN",
        35.689444,
        139.691667,
    ),
    Case(
        "coords_ambiguous_o",
        "llava-es",
        "Coordenadas: 40,4168° N, 3,7038° O",
        "invalid_coordinates",
    ),
    # ------------------------------------------------------------------ invalid / edge cases
    Case("invalid_lat_label", "llava", "Latitude: 123.4\nLongitude: 45.2", "invalid_coordinates"),
    Case("invalid_lon_label", "llava", "Coordinates: 45.2, 200.5", "invalid_coordinates"),
    Case("invalid_minutes", "gpt4o", "Coordinates: 48°75'N 2°21'E", "invalid_coordinates"),
    Case("only_latitude_with_country", "gpt4o", "Country: Egypt\nLatitude: 30.04", "ok", "EGY"),
    Case(
        "version_numbers_not_coords",
        "llava",
        "I used model version 1.5, 2.0 for this. It is " "Kenya.",
        "ok",
        "KEN",
    ),
    Case(
        "confidence_pair_not_coords",
        "gpt4o",
        "I am fairly sure this is Iceland (confidence " "0.85, 0.15 for Norway).",
        "ok",
        "ISL",
    ),
    Case("sea_coords", "gpt4o", "Coordinates: 30.0000, -40.0000", "ok", None, 30.0, -40.0),
    Case(
        "country_and_inconsistent_coords",
        "gpt4o",
        '{"country": "France", "lat": 52.52, ' '"lon": 13.405}',
        "ok",
        "FRA",
        52.52,
        13.405,
    ),
    Case("country_unrecognised", "llava", "Country: Narnia", "parse_error"),
    Case(
        "unknown_label_then_nothing",
        "gpt4o",
        "Country: Unknown\nReason: the image is too " "dark.",
        "unknown",
    ),
    Case(
        "georgia_us_state",
        "gpt4o",
        "This looks like Atlanta, Georgia, in the southern US.",
        "ok",
        "USA",
    ),
    Case(
        "hedged_guess_chinese",
        "qwen-zh",
        "很难确定，但从植被和建筑来看，最有可能是泰国。",
        "ok",
        "THA",
    ),
    Case(
        "unknown_even_with_candidates",
        "gpt4v",
        "I cannot determine which country this is; " "there are no clues in the image.",
        "unknown",
    ),
    Case("emoji_flag", "gemini", "🇯🇵", "ok", "JPN"),
    Case("iso2_upper_bare", "gemini", "DE", "ok", "DEU"),
    Case("html_like_answer", "qwen-vl", "<answer>Philippines</answer>", "ok", "PHL"),
    Case(
        "template_echo",
        "llava",
        '{"country": "<country name in English>", "lat": <latitude>, ' '"lon": <longitude>}',
        "parse_error",
    ),
    Case(
        "languages_are_not_countries",
        "llava",
        "The signs are in English and French.",
        "parse_error",
    ),
    Case(
        "probably_first_of_two",
        "gpt4o",
        "The licence plates look European, probably from the " "Netherlands or Belgium.",
        "ok",
        "NLD",
    ),
]
