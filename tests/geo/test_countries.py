"""Country facts and point -> country against hand-picked places, brute force and LLMGeo labels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from analysis.errors import InputError, NotFoundError
from analysis.geo.countries import (
    COUNTRY_COLUMNS,
    DRAWING_SIMPLIFY_DEG,
    CountryInfo,
    continent_of,
    countries_frame,
    country_info,
    country_of,
    country_of_points,
    distance_to_country_km,
    world_polygons,
)
from analysis.geo.distance import haversine_km
from analysis.geo.names import to_iso3

CONTINENTS = {"Africa", "Antarctica", "Asia", "Europe", "North America", "Oceania", "South America"}

# (place, lat, lon, expected ISO3); coordinates of well-known places, answers from geography
PLACES = [
    ("Paris", 48.8566, 2.3522, "FRA"),
    ("Pristina", 42.6629, 21.1655, "XKX"),
    ("Hong Kong, Central", 22.2819, 114.1582, "HKG"),
    ("Macau", 22.1987, 113.5439, "MAC"),
    ("Taipei", 25.0330, 121.5654, "TWN"),
    ("Ramallah", 31.9038, 35.2034, "PSE"),
    ("Gaza City", 31.5017, 34.4668, "PSE"),
    ("Tel Aviv", 32.0853, 34.7818, "ISR"),
    ("Rome", 41.8933, 12.4829, "ITA"),
    ("Monaco", 43.7384, 7.4246, "MCO"),
    ("Laayoune (Western Sahara)", 27.1536, -13.2033, "ESH"),
    ("North Nicosia (Cyprus in this edition)", 35.1856, 33.3823, "CYP"),
    ("Hargeisa (Somalia in this edition)", 9.5600, 44.0650, "SOM"),
    ("Saint-Denis, Réunion (inside France's polygon)", -20.8823, 55.4504, "FRA"),
    ("Longyearbyen, Svalbard (inside Norway's polygon)", 78.2232, 15.6267, "NOR"),
    ("Suva, Fiji", -18.1416, 178.4419, "FJI"),
    ("Anadyr, Chukotka", 64.7337, 177.5089, "RUS"),
    ("Uelen, Chukotka (west of the antimeridian)", 66.1597, -169.8091, "RUS"),
    ("Sydney", -33.8688, 151.2093, "AUS"),
    ("Ushuaia", -54.8019, -68.3030, "ARG"),
    ("New York", 40.7128, -74.0060, "USA"),
    ("Honolulu", 21.3069, -157.8583, "USA"),
    ("Tbilisi", 41.7151, 44.8271, "GEO"),
    ("McMurdo Station", -77.8419, 166.6863, "ATA"),
]


@pytest.mark.parametrize(("place", "lat", "lon", "expected"), PLACES)
def test_places(place: str, lat: float, lon: float, expected: str) -> None:
    assert country_of(lat, lon) == expected, place


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(30.0, -40.0), (0.0, -150.0), (-40.0, 80.0), (45.0, -30.0), (89.9, 0.0), (10.0, 180.0)],
)
def test_open_ocean_is_none(lat: float, lon: float) -> None:
    assert country_of(lat, lon) is None


def test_coast_tolerance_brittany() -> None:
    # 2.4 km west of Pointe du Raz, in the Atlantic: no polygon holds it, France is nearest
    lat, lon = 48.0397, -4.76
    assert country_of(lat, lon, tolerance_km=0) is None
    assert country_of(lat, lon, tolerance_km=25) == "FRA"
    assert country_of(lat, lon, tolerance_km=1) is None
    # 20 km out: inside a 25 km tolerance, outside a 10 km one
    assert country_of(48.0397, -5.0, tolerance_km=25) == "FRA"
    assert country_of(48.0397, -5.0, tolerance_km=10) is None


def _brute_force_km(lat: float, lon: float, geoms: np.ndarray, pad_deg: float = 1.5) -> float:
    """Minimum haversine to densified border vertices near the point (independent of the code)."""
    clipped = shapely.clip_by_rect(
        geoms, lon - 2 * pad_deg, lat - pad_deg, lon + 2 * pad_deg, lat + pad_deg
    )
    coords = shapely.get_coordinates(shapely.segmentize(clipped, 0.002))
    if len(coords) == 0:
        return float("inf")
    return float(np.min(haversine_km(lat, lon, coords[:, 1], coords[:, 0])))


def test_coastal_distance_matches_brute_force() -> None:
    rng = np.random.default_rng(3)
    boxes = [
        (47.5, 48.8, -5.3, -4.3),
        (59.0, 61.0, 4.0, 5.5),
        (34.0, 35.5, 138.5, 140.5),
        (-42.0, -40.0, -74.5, -73.0),
        (37.0, 38.5, 23.0, 25.0),
    ]
    geoms = world_polygons(simplify_deg=0).geometry.to_numpy()
    checked = 0
    for lat_lo, lat_hi, lon_lo, lon_hi in boxes:
        lats = rng.uniform(lat_lo, lat_hi, 12)
        lons = rng.uniform(lon_lo, lon_hi, 12)
        got = distance_to_country_km(lats, lons, max_km=60.0)
        for lat, lon, km in zip(lats, lons, got, strict=False):
            want = _brute_force_km(lat, lon, geoms)
            if km == 0.0:  # inside: brute force cannot see containment; check it the other way
                assert country_of(lat, lon, tolerance_km=0) is not None
                continue
            if want > 60.0:
                assert km == np.inf
                continue
            # vertices every ~0.2 km bound the brute force error; the local frame adds < 0.5 %
            assert km == pytest.approx(want, abs=0.15 + 0.005 * want), (lat, lon)
            checked += 1
    assert checked >= 10


def test_coastal_distance_across_the_antimeridian() -> None:
    fiji = world_polygons(simplify_deg=0).query("iso3 == 'FJI'").geometry.to_numpy()
    coords = shapely.get_coordinates(fiji)
    for lat, lon in [(-16.6, -179.97), (-16.75, 179.99), (-17.3, -178.9)]:
        want = float(np.min(haversine_km(lat, lon, coords[:, 1], coords[:, 0])))
        got = distance_to_country_km([lat], [lon], max_km=200.0)[0]
        assert got <= want + 1e-6  # edges are at least as near as vertices
        assert got == pytest.approx(want, abs=2.0)


def test_points_vectorised_edge_cases() -> None:
    out = country_of_points([48.8566, np.nan, 30.0], [2.3522, 2.0, -40.0])
    assert out.dtype == object and list(out) == ["FRA", None, None]
    # longitude wraps: 2.3522 + 360 is still Paris
    assert country_of(48.8566, 362.3522) == "FRA"
    assert country_of_points([], []).shape == (0,)
    with pytest.raises(InputError, match="latitude"):
        country_of_points([95.0], [0.0])
    with pytest.raises(InputError):
        country_of_points([1.0, 2.0], [1.0])
    with pytest.raises(InputError):
        country_of_points([1.0], [1.0], tolerance_km=-1)


def test_threads_get_the_same_answers() -> None:
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(11)
    lats, lons = rng.uniform(-60, 70, 3000), rng.uniform(-180, 180, 3000)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: country_of_points(lats, lons), range(4)))
    for other in results[1:]:
        assert list(other) == list(results[0])


def test_llmgeo_manifest_agreement(shared_data: Path) -> None:
    manifest = pd.read_csv(shared_data / "llmgeo" / "test_manifest.csv")
    got = country_of_points(manifest["lat"], manifest["lon"])
    agree = got == manifest["country_iso3"].to_numpy()
    rate = float(agree.mean())
    print(f"LLMGeo point->country agreement: {rate:.4f} ({int((~agree).sum())} of {len(agree)})")
    assert rate >= 0.99
    # every miss lies on a land border: the labelled country is within 3 km of the point, the
    # precision of borders drawn at 1:10 million
    polys = world_polygons(simplify_deg=0)
    for row in manifest[~agree].itertuples():
        shape = polys[polys["iso3"] == row.country_iso3].geometry.union_all()
        nearest = shapely.ops.nearest_points(shape, shapely.Point(row.lon, row.lat))[0]
        assert haversine_km(row.lat, row.lon, nearest.y, nearest.x) < 3.0, row


def test_countries_frame_shape_and_codes() -> None:
    frame = countries_frame()
    assert list(frame.columns) == COUNTRY_COLUMNS
    assert frame["iso3"].is_unique and len(frame) > 230
    assert set(frame["continent"]) == CONTINENTS
    assert frame.notna().all().all()
    for code in ("FRA", "NOR", "XKX", "PSE", "TWN", "HKG", "MAC", "ESH", "ALA"):
        assert code in set(frame["iso3"])
    assert not {"-99", "KOS", "PSX", "SDS", "SAH"} & set(frame["iso3"])


def test_rep_point_is_inside_its_country() -> None:
    frame = countries_frame()
    got = country_of_points(frame["rep_lat"], frame["rep_lon"], tolerance_km=0)
    assert list(got) == list(frame["iso3"])


def test_country_info() -> None:
    france = country_info("FRA")
    assert isinstance(france, CountryInfo)
    assert (france.iso2, france.name, france.continent) == ("FR", "France", "Europe")
    assert 42.0 < france.rep_lat < 51.0 and -5.0 < france.rep_lon < 8.0  # mainland, not Guiana
    assert country_info("nor").iso2 == "NO"
    assert country_info("XKX").iso2 == "XK"
    assert country_info("REU") == france  # drawn inside France's polygon
    with pytest.raises(NotFoundError, match="QQQ"):
        country_info("QQQ")


def test_continent_of() -> None:
    assert continent_of("FRA") == "Europe"
    assert continent_of("BRA") == "South America"
    assert continent_of("JPN") == "Asia"
    assert continent_of("NZL") == "Oceania"
    assert continent_of("MDV") == "Asia"  # "Seven seas" in Natural Earth
    assert continent_of("SYC") == "Africa"
    assert continent_of(None) is None
    assert continent_of("QQQ") is None


def test_every_resolvable_name_has_a_country_row() -> None:
    import pycountry

    codes = set(countries_frame()["iso3"])
    for country in pycountry.countries:
        resolved = to_iso3(country.name)
        assert resolved in codes, (country.name, resolved)


def test_every_code_names_can_return_has_a_country_row() -> None:
    # the parser calls country_info() on whatever names resolves: it must never raise
    from analysis.geo.name_index import name_index

    codes = set(countries_frame()["iso3"])
    index = name_index()
    assert {c for c in index.names.values() if c} <= codes
    assert set(index.codes.values()) <= codes


def test_world_polygons() -> None:
    world = world_polygons()
    assert list(world.columns) == ["iso3", "name", "continent", "geometry"]
    assert world.crs is not None and world.crs.to_epsg() == 4326
    assert set(world["iso3"]) == set(countries_frame()["iso3"])
    assert world.geometry.notna().all() and not world.geometry.is_empty.any()
    full = world_polygons(simplify_deg=0)
    assert shapely.get_num_coordinates(world.geometry.to_numpy()).sum() < (
        shapely.get_num_coordinates(full.geometry.to_numpy()).sum() / 2
    )
    world.loc[0, "iso3"] = "ZZZ"  # callers get a copy: the cache is untouched
    assert world_polygons().loc[0, "iso3"] != "ZZZ"
    with pytest.raises(InputError):
        world_polygons(simplify_deg=-1)


def _shared_border_km(a: str, b: str, world: pd.DataFrame) -> float:
    """Length of the border two countries' drawn outlines have in common (degrees ~ 111 km)."""
    first = shapely.union_all(world.loc[world["iso3"] == a].geometry.to_numpy())
    second = shapely.union_all(world.loc[world["iso3"] == b].geometry.to_numpy())
    shared = shapely.intersection(first.boundary, second.boundary)
    return float(shapely.length(shared)) * 111.0


def test_drawn_neighbours_keep_one_common_border() -> None:
    """Maps draw a coverage: simplified together, neighbours leave no sliver between them."""
    drawn = world_polygons(DRAWING_SIMPLIFY_DEG, shared_edges=True)
    one_by_one = world_polygons(DRAWING_SIMPLIFY_DEG)
    full = world_polygons(simplify_deg=0)
    # GEOS's own coverage check: no overlaps, and shared borders have the same vertices
    assert shapely.coverage_is_valid(drawn.geometry.to_numpy())
    assert not shapely.coverage_is_valid(one_by_one.geometry.to_numpy())
    for a, b in [("FRA", "ITA"), ("DEU", "POL"), ("HRV", "BIH"), ("ARG", "CHL")]:
        border_km = _shared_border_km(a, b, full)
        # a simplified border is a little shorter than the detailed one, never split in two
        assert _shared_border_km(a, b, drawn) > 0.8 * border_km, (a, b)
        assert _shared_border_km(a, b, one_by_one) < 0.7 * border_km, (a, b)  # the slivers
    # still a light payload for the browser
    assert shapely.get_num_coordinates(drawn.geometry.to_numpy()).sum() < 50_000
