"""Country names as models write them -> ISO3, with expected answers written by hand.

Every expected code below comes from general knowledge of the country (not from running the
code); where the answer is a decision rather than a fact, the comment says so.
"""

from __future__ import annotations

import pytest

from analysis.geo.names import (
    CountryMatch,
    MatchOutcome,
    canonical_iso3,
    find_country_in_text,
    iso2_to_iso3,
    resolve_country,
    to_iso3,
)

ENGLISH_VARIANTS: list[tuple[str, str]] = [
    ("USA", "USA"),
    ("U.S.A.", "USA"),
    ("United States of America", "USA"),
    ("the US", "USA"),
    ("United States", "USA"),
    ("U.S.", "USA"),
    ("America", "USA"),
    ("usa", "USA"),
    ("England", "GBR"),
    ("Scotland", "GBR"),
    ("Wales", "GBR"),
    ("Northern Ireland", "GBR"),
    ("Great Britain", "GBR"),
    ("UK", "GBR"),
    ("U.K.", "GBR"),
    ("United Kingdom", "GBR"),
    ("Holland", "NLD"),
    ("The Netherlands", "NLD"),
    ("Netherlands", "NLD"),
    ("UAE", "ARE"),
    ("United Arab Emirates", "ARE"),
    ("DRC", "COD"),
    ("Congo-Kinshasa", "COD"),
    ("Democratic Republic of the Congo", "COD"),
    ("DR Congo", "COD"),
    ("Republic of the Congo", "COG"),
    ("Congo-Brazzaville", "COG"),
    ("Turkey", "TUR"),
    ("Türkiye", "TUR"),
    ("Turkiye", "TUR"),
    ("Czechia", "CZE"),
    ("Czech Republic", "CZE"),
    ("Ivory Coast", "CIV"),
    ("Côte d'Ivoire", "CIV"),
    ("Cote d'Ivoire", "CIV"),
    ("Côte d’Ivoire", "CIV"),
    ("South Korea", "KOR"),
    ("Republic of Korea", "KOR"),
    ("Korea, Republic of", "KOR"),
    # decision: "Korea" alone is the South (the only one with street-level imagery)
    ("Korea", "KOR"),
    ("North Korea", "PRK"),
    ("DPRK", "PRK"),
    ("Democratic People's Republic of Korea", "PRK"),
    ("Hong Kong", "HKG"),
    ("Macau", "MAC"),
    ("Macao", "MAC"),
    ("Taiwan", "TWN"),
    ("Kosovo", "XKX"),
    ("Palestine", "PSE"),
    ("West Bank", "PSE"),
    ("Gaza", "PSE"),
    ("State of Palestine", "PSE"),
    ("Russia", "RUS"),
    ("Russian Federation", "RUS"),
    ("Vietnam", "VNM"),
    ("Viet Nam", "VNM"),
    ("Laos", "LAO"),
    ("Lao People's Democratic Republic", "LAO"),
    ("Burma", "MMR"),
    ("Myanmar", "MMR"),
    ("Eswatini", "SWZ"),
    ("Swaziland", "SWZ"),
    ("North Macedonia", "MKD"),
    ("Macedonia", "MKD"),
    ("Bolivia", "BOL"),
    ("Iran", "IRN"),
    ("Syria", "SYR"),
    ("Tanzania", "TZA"),
    ("Moldova", "MDA"),
    ("Venezuela", "VEN"),
    ("Vatican", "VAT"),
    ("Vatican City", "VAT"),
    ("East Timor", "TLS"),
    ("Timor-Leste", "TLS"),
    ("Cabo Verde", "CPV"),
    ("Cape Verde", "CPV"),
    ("Papua New Guinea", "PNG"),
    ("Equatorial Guinea", "GNQ"),
    ("Guinea", "GIN"),
    ("Guinea-Bissau", "GNB"),
    ("Niger", "NER"),
    ("Nigeria", "NGA"),
    ("Oman", "OMN"),
    ("Romania", "ROU"),
    ("India", "IND"),
    ("Dominica", "DMA"),
    ("Dominican Republic", "DOM"),
    ("Sudan", "SDN"),
    ("South Sudan", "SSD"),
    ("South Africa", "ZAF"),
    ("Chad", "TCD"),
    ("Jersey", "JEY"),
    ("Georgia", "GEO"),
    ("Bosnia and Herzegovina", "BIH"),
    ("Bosnia", "BIH"),
    ("Trinidad and Tobago", "TTO"),
    ("Saint Lucia", "LCA"),
    ("St. Lucia", "LCA"),
    ("St Kitts and Nevis", "KNA"),
    ("Sao Tome and Principe", "STP"),
    ("Brunei", "BRN"),
    ("The Gambia", "GMB"),
    ("Gambia", "GMB"),
    ("Micronesia", "FSM"),
    ("Greenland", "GRL"),
    ("Puerto Rico", "PRI"),
    ("New Zealand", "NZL"),
    ("Sri Lanka", "LKA"),
    ("Kyrgyzstan", "KGZ"),
    ("Western Sahara", "ESH"),
    ("Mexico", "MEX"),
    ("Brazil", "BRA"),
    ("Argentina", "ARG"),
    ("Australia", "AUS"),
    ("Canada", "CAN"),
    ("Germany", "DEU"),
    ("France", "FRA"),
    ("Japan", "JPN"),
    ("China", "CHN"),
    ("People's Republic of China", "CHN"),
    ("Isle of Man", "IMN"),
    ("Faroe Islands", "FRO"),
    ("Åland", "ALA"),
    # decision: territories drawn inside their sovereign's polygon take the polygon's code
    ("Réunion", "FRA"),
    ("French Guiana", "FRA"),
    ("Svalbard", "NOR"),
    ("Northern Cyprus", "CYP"),
    ("Somaliland", "SOM"),
]

FORMATTING_VARIANTS: list[tuple[str, str]] = [
    ("France.", "FRA"),
    ("  japan  ", "JPN"),
    ('"Brazil"', "BRA"),
    ("(Peru)", "PER"),
    ("**Mexico**", "MEX"),
    ("FRANCE", "FRA"),
    ("Country: France", "FRA"),
    ("**Country:** France", "FRA"),
    ("country = 'FR'", "FRA"),
    ("Country: fr", "FRA"),
    ('{"country": "BR", "lat": -23.5, "lon": -46.6}', "BRA"),
    ("Answer: Chile", "CHL"),
    ("Final answer: Thailand", "THA"),
    ("country_code: de", "DEU"),
    ("ISO3: NOR", "NOR"),
    ("Country: Germany (confidence: high)", "DEU"),
    ("Country: Spain.\nCity: Madrid", "ESP"),
    ("FR", "FRA"),
    ("FRA", "FRA"),
    ("DE", "DEU"),
    ("USA.", "USA"),
    ("Japan!", "JPN"),
    ("🇯🇵", "JPN"),
    ("I think 🇧🇷", "BRA"),
]

NON_ENGLISH: list[tuple[str, str]] = [
    ("Brasil", "BRA"),
    ("Deutschland", "DEU"),
    ("España", "ESP"),
    ("Espana", "ESP"),
    ("Japon", "JPN"),
    ("日本", "JPN"),
    ("Россия", "RUS"),
    ("Allemagne", "DEU"),
    ("Brésil", "BRA"),
    ("Alemania", "DEU"),
    ("Niemcy", "DEU"),
    ("Italia", "ITA"),
    ("Österreich", "AUT"),
    ("Schweiz", "CHE"),
    ("Suisse", "CHE"),
    ("Polska", "POL"),
    ("Sverige", "SWE"),
    ("Suomi", "FIN"),
    ("Nederland", "NLD"),
    ("Hrvatska", "HRV"),
    ("中国", "CHN"),
    ("대한민국", "KOR"),
    ("한국", "KOR"),
    ("Corée du Sud", "KOR"),
    ("Estados Unidos", "USA"),
    ("Reino Unido", "GBR"),
    ("Royaume-Uni", "GBR"),
    ("Inde", "IND"),
    ("Mexique", "MEX"),
    ("Argentinien", "ARG"),
    ("Türkei", "TUR"),
    ("Grecia", "GRC"),
    ("Украина", "UKR"),
    ("Германия", "DEU"),
    ("ألمانيا", "DEU"),
    ("インド", "IND"),
    ("台湾", "TWN"),
    ("香港", "HKG"),
    ("Magyarország", "HUN"),
]

PROSE: list[tuple[str, str]] = [
    ("I think this is Japan.", "JPN"),
    ("The architecture suggests somewhere in southern Brazil", "BRA"),
    ("Based on the road markings and vegetation, this is most likely Poland.", "POL"),
    ("The license plates and the Cyrillic script point to Russia.", "RUS"),
    ("This looks like rural Nigeria, not Niger.", "NGA"),
    ("It is not Spain, it is Portugal.", "PRT"),
    ("I believe the photo was taken in Papua New Guinea.", "PNG"),
    ("The signs are in Romanian, so I'd say Romania.", "ROU"),
    ("Looks like a farm in Indiana, USA.", "USA"),
    ("Probably Atlanta, Georgia.", "USA"),
    ("This is Tbilisi, the capital of Georgia.", "GEO"),
    ("A turkey farm somewhere in France.", "FRA"),
    ("The desert landscape resembles New Mexico.", "USA"),
    ("Sydney, New South Wales", "AUS"),
    ("The vegetation is typical of South America; I would guess Argentina.", "ARG"),
    ("Hard to say, but probably Peru.", "PER"),
    ("Could be Spain or Portugal. Final answer: Portugal.", "PRT"),
    ("This is likely in the Netherlands given the bike lanes.", "NLD"),
    ("It looks like the Côte d'Ivoire coastline.", "CIV"),
    ("これは日本の写真です", "JPN"),
    ("Die Straße liegt vermutlich in Österreich.", "AUT"),
    ("We are probably in the US, judging by the yellow centre line.", "USA"),
    ("The Dominican Republic, I think.", "DOM"),
    ("Japan's countryside, near Kyoto.", "JPN"),
    ("Rather than Chile, this looks more like Argentina.", "ARG"),
    ("This looks like a street in Tokyo.", "JPN"),
    ("Hanoi, Vietnam (21.0285, 105.8542)", "VNM"),
    ("Lagos, Portugal", "PRT"),  # a named country beats a city of another country
    ("london", "GBR"),  # a one-word city answer
    ("It could be Austria or Switzerland, but the flag makes me think it's Switzerland.", "CHE"),
    ("Maybe Kenya or Tanzania; the red soil and the signs make me say Tanzania.", "TZA"),
    ("It is probably Spain. The landscape is also similar to parts of Italy.", "ESP"),
]

UNKNOWN_FORMS: list[str] = [
    "unknown",
    "Unknown.",
    "UNKNOWN",
    "N/A",
    "none",
    "None",
    "I can't determine the country",
    "I cannot determine",
    "It is not possible to tell",
    "I'm unable to determine the location.",
    "Not sure.",
    "I don't know",
    "no idea",
    "The country cannot be determined from this image.",
    "There is not enough information to identify the country.",
    "Country: Unknown",
    "**Country:** unknown",
    "?",
    "Undetermined",
    "It's impossible to say where this is.",
    "Inconnu",
    "unbekannt",
]

REFUSAL_FORMS: list[str] = [
    "Sorry, I can't help with identifying locations",
    "I'm sorry, but I can't assist with that.",
    "I'm unable to help with identifying where this photo was taken.",
    "I must decline to geolocate this image.",
    "I won't provide the location of this image for privacy reasons.",
    "As an AI, I cannot identify real-world locations from photos.",
    "Sorry, that request goes against my guidelines.",
]

NO_MATCH_FORMS: list[str | None] = [
    None,
    "",
    "   ",
    "de",
    "a turkey sandwich",
    "somewhere in South America",
    "The image shows a road with trees.",
    "48.85, 2.35",
    "it is in europe",
    "Let us see",
]


@pytest.mark.parametrize(("text", "expected"), ENGLISH_VARIANTS + FORMATTING_VARIANTS)
def test_variants(text: str, expected: str) -> None:
    match = resolve_country(text)
    assert match == CountryMatch(expected, MatchOutcome.COUNTRY, match.matched)
    assert match.matched and match.matched in text


@pytest.mark.parametrize(("text", "expected"), NON_ENGLISH)
def test_non_english(text: str, expected: str) -> None:
    assert to_iso3(text) == expected


@pytest.mark.parametrize(("text", "expected"), PROSE)
def test_prose(text: str, expected: str) -> None:
    assert find_country_in_text(text) == expected
    assert to_iso3(text) == expected


@pytest.mark.parametrize("text", UNKNOWN_FORMS)
def test_unknown(text: str) -> None:
    match = resolve_country(text)
    assert (match.iso3, match.outcome) == (None, MatchOutcome.UNKNOWN)


@pytest.mark.parametrize("text", REFUSAL_FORMS)
def test_refused(text: str) -> None:
    match = resolve_country(text)
    assert (match.iso3, match.outcome) == (None, MatchOutcome.REFUSED)


@pytest.mark.parametrize("text", NO_MATCH_FORMS)
def test_no_match(text: str | None) -> None:
    assert resolve_country(text) == CountryMatch(None, MatchOutcome.NO_MATCH, "")


@pytest.mark.parametrize(
    "text",
    [
        "I visited Indiana last summer",  # India
        "Romanian folk music",  # Oman inside Romanian; demonyms are not read
        "A guinea pig on a lawn",  # Guinea
        "We had turkey for dinner",  # Turkey (lower case in mixed-case text)
        "It is us against them",  # US
        "The island is beautiful",  # German "Island" = Iceland
        "Columbia University",  # not Colombia
        "Salvador, Bahia",  # Spanish/Italian name of El Salvador, but a Brazilian city
        "It is common in many states",  # not "the States"
    ],
)
def test_no_false_hits_in_prose(text: str) -> None:
    assert find_country_in_text(text) is None


def test_longest_name_wins() -> None:
    assert find_country_in_text("somewhere in Equatorial Guinea") == "GNQ"
    assert find_country_in_text("near the border of South Sudan") == "SSD"
    assert find_country_in_text("American Samoa") == "ASM"
    assert find_country_in_text("Northern Ireland, near Belfast") == "GBR"


def test_earliest_mention_without_conclusion() -> None:
    assert find_country_in_text("Either Belgium or France.") == "BEL"


def test_lowercase_text_still_matches_capitalised_only_names() -> None:
    # when the whole answer is lower case the capital rule cannot apply
    assert find_country_in_text("i think this is turkey") == "TUR"


def test_outcome_values_are_strings() -> None:
    assert [o.value for o in MatchOutcome] == ["country", "unknown", "refused", "no_match"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("FR", "FRA"),
        ("fr", "FRA"),
        ("de", "DEU"),
        ("XK", "XKX"),
        ("UK", "GBR"),
        ("GB", "GBR"),
        ("TW", "TWN"),
        ("PS", "PSE"),
        ("NZ", "NZL"),
        ("RE", "FRA"),
        ("ZZ", None),
        ("", None),
        (None, None),
        ("FRA", None),
    ],
)
def test_iso2_to_iso3(code: str | None, expected: str | None) -> None:
    assert iso2_to_iso3(code) == expected


def test_canonical_iso3() -> None:
    assert canonical_iso3("REU") == "FRA"
    assert canonical_iso3("fra") == "FRA"
    assert canonical_iso3("XKX") == "XKX"
    assert canonical_iso3("QQQ") is None
    assert canonical_iso3(None) is None
