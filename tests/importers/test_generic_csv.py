"""Generic prediction CSV: columns, --map, countries, statuses, idempotency, atomicity, refusals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from analysis.errors import ImportValidationError
from analysis.geo.distance import haversine_km
from analysis.importers import ImportOptions, import_predictions
from analysis.store import Store
from tests.support.frames import cell, is_missing

HEADER = "sample_id,true_lat,true_lon,pred_lat,pred_lon"
ROWS = [
    "paris,48.8566,2.3522,51.5074,-0.1278",
    "tokyo,35.6762,139.6503,35.0116,135.7681",
    "lima,-12.0464,-77.0428,,",
]


def write(tmp_path: Path, text: str, name: str = "preds.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def snapshot(store: Store) -> dict[str, Any]:
    """Every row of every table, sorted: equal snapshots mean an untouched database."""
    with store.reader() as con:
        return {
            table: sorted(map(str, con.execute(f"SELECT * FROM {table}").fetchall()))
            for table in ("datasets", "samples", "runs", "predictions", "schema_version")
        }


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "t.duckdb")


def test_import_creates_dataset_and_run_with_distances(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, "\n".join([HEADER, *ROWS]) + "\n")
    report = import_predictions(store, path, ImportOptions(run="r1", model="m"))
    assert (report.n_predictions, report.n_samples_added, report.dataset_created) == (3, 3, True)
    assert report.dataset == "r1"  # no --dataset: named after the run
    frame = store.run_frame("r1").set_index("sample_id")
    assert frame.loc["paris", "distance_km"] == pytest.approx(
        haversine_km(48.8566, 2.3522, 51.5074, -0.1278), abs=1e-9
    )
    # countries: truth from the polygons, guess from the polygon holding the guessed point
    assert frame.loc["paris", "true_country"] == "FRA"
    assert frame.loc["paris", "pred_country"] == "GBR"
    assert frame.loc["tokyo", "pred_country"] == "JPN"
    assert frame.loc["lima", "status"] == "parse_error"  # no prediction at all
    assert frame.loc["paris", "status"] == "ok"
    assert frame.loc["paris", "coords_source"] == "model"


def test_reimport_changes_nothing_and_different_content_needs_replace(
    store: Store, tmp_path: Path
) -> None:
    path = write(tmp_path, "\n".join([HEADER, *ROWS]) + "\n")
    import_predictions(store, path, ImportOptions(run="r1"))
    before = snapshot(store)
    again = import_predictions(store, path, ImportOptions(run="r1"))
    assert again.unchanged and again.n_predictions == 3
    assert snapshot(store) == before
    changed = write(tmp_path, "\n".join([HEADER, *ROWS[:2]]) + "\n", "other.csv")
    with pytest.raises(ImportValidationError, match="--replace"):
        import_predictions(store, changed, ImportOptions(run="r1", dataset="r1"))
    assert snapshot(store) == before
    replaced = import_predictions(
        store, changed, ImportOptions(run="r1", dataset="r1", replace=True)
    )
    assert replaced.n_predictions == 2
    assert len(store.run_frame("r1")) == 2


def test_failure_while_writing_rolls_everything_back(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analysis.store import writes

    first = write(tmp_path, "\n".join([HEADER, *ROWS]) + "\n")
    import_predictions(store, first, ImportOptions(run="r1", dataset="d"))
    before = snapshot(store)

    def boom(*args: object, **kwargs: object) -> int:
        raise RuntimeError("disk full")

    # the new dataset's samples and the run row are written by then; predictions fail
    monkeypatch.setattr(writes, "insert_ready_predictions", boom)
    second = write(tmp_path, f"{HEADER}\nx,1.0,1.0,2.0,2.0\n", "second.csv")
    with pytest.raises(RuntimeError, match="disk full"):
        import_predictions(store, second, ImportOptions(run="r2", dataset="d2"))
    assert snapshot(store) == before


def test_map_renames_and_free_text_countries(store: Store, tmp_path: Path) -> None:
    text = (
        "Image,Lat,Lng,guess_country,Truth_Country\n"
        "a,48.85,2.35,Deutschland,FR\n"
        "b,40.71,-74.0,USA,US\n"
        "c,-33.87,151.21,I cannot determine the country,AU\n"
        "d,35.68,139.65,NA,JP\n"  # 'NA' is Namibia here, not a missing value
        "e,52.52,13.40,Atlantis,DE\n"
    )
    path = write(tmp_path, text)
    mapping = {"sample_id": "Image", "true_lat": "Lat", "true_lon": "Lng",
               "pred_country": "guess_country", "true_country": "truth_country"}  # fmt: skip
    report = import_predictions(store, path, ImportOptions(run="r", column_map=mapping))
    frame = store.run_frame("r").set_index("sample_id")
    assert frame["true_country"].to_dict() == {"a": "FRA", "b": "USA", "c": "AUS", "d": "JPN",
                                               "e": "DEU"}  # fmt: skip
    assert frame.loc["a", "pred_country"] == "DEU"
    assert frame.loc["b", "pred_country"] == "USA"
    assert frame.loc["d", "pred_country"] == "NAM"
    assert frame.loc["c", "status"] == "unknown"
    assert frame.loc["e", "status"] == "parse_error"
    assert is_missing(cell(frame, "e", "pred_country"))
    assert any("Atlantis" in w for w in report.warnings)


def test_explicit_status_and_raw_response_only_rows(store: Store, tmp_path: Path) -> None:
    text = (
        "sample_id,true_lat,true_lon,raw_response,status,pred_country\n"
        'a,48.85,2.35,"{""country"": ""France""}",,\n'
        "b,40.71,-74.0,timeout,api_error,\n"
        "c,35.68,139.65,I'm sorry but I can't help with that.,,\n"
    )
    import_predictions(store, write(tmp_path, text), ImportOptions(run="r"))
    frame = store.run_frame("r", with_raw=True).set_index("sample_id")
    assert frame.loc["a", "status"] == "ok" and frame.loc["a", "pred_country"] == "FRA"
    assert frame.loc["a", "raw_response"] == '{"country": "France"}'
    assert frame.loc["b", "status"] == "api_error"
    assert frame.loc["c", "status"] == "refused"


def test_existing_dataset_is_joined_and_truth_cross_checked(store: Store, tmp_path: Path) -> None:
    import_predictions(store, write(tmp_path, "\n".join([HEADER, *ROWS]) + "\n"),
                       ImportOptions(run="r1", dataset="d"))  # fmt: skip
    results_only = write(tmp_path, "sample_id,pred_country\nparis,France\ntokyo,Japan\n", "b.csv")
    report = import_predictions(store, results_only, ImportOptions(run="r2", dataset="d"))
    assert not report.dataset_created and report.n_predictions == 2
    assert store.run_frame("r2")["pred_country"].tolist() == ["FRA", "JPN"]
    wrong = write(tmp_path, HEADER + "\nparis,10.0,2.3522,1,1\nrome,41.9,12.5,1,1\n", "c.csv")
    with pytest.raises(ImportValidationError) as err:
        import_predictions(store, wrong, ImportOptions(run="r3", dataset="d"))
    text = "\n".join(err.value.problems)
    assert "row 2 ('rome'): sample_id not in the dataset" in text
    assert "row 1 (10.0, 2.3522): true coordinates differ" in text


def _refusal(store: Store, path: Path, **kw: Any) -> str:
    before = snapshot(store)
    with pytest.raises(ImportValidationError) as err:
        import_predictions(store, path, ImportOptions(run=kw.pop("run", "bad"), **kw))
    assert snapshot(store) == before  # nothing half-written
    return str(err.value) + "\n" + "\n".join(err.value.problems)


def test_refuses_missing_columns_naming_them(store: Store, tmp_path: Path) -> None:
    text = _refusal(store, write(tmp_path, "id,lat,lon,guess\na,1,2,FRA\n"))
    assert "missing column 'sample_id'" in text
    assert "'true_lat', 'true_lon'" in text
    assert "no prediction columns" in text
    half = _refusal(
        store, write(tmp_path, "sample_id,true_lat,true_lon,pred_lat\na,1,2,3\n", "h.csv")
    )
    assert "missing column 'pred_lon'" in half


def test_refuses_out_of_range_with_rows_and_swap_hint(store: Store, tmp_path: Path) -> None:
    rows = [f"s{i},{120 + i},{10 + i},1,1" for i in range(6)]
    text = _refusal(store, write(tmp_path, "\n".join([HEADER, *rows]) + "\n"))
    assert "rows 1 (120.0, 10.0), 2 (121.0, 11.0)" in text
    assert "outside [-90, 90]" in text
    assert "look swapped" in text
    one = _refusal(store, write(tmp_path, HEADER + "\na,45,10,1,1\nb,45,200,1,1\n", "o.csv"))
    assert "row 2 (45.0, 200.0): true_lat/true_lon outside" in one
    assert "swapped" not in one


def test_refuses_radians(store: Store, tmp_path: Path) -> None:
    rows = [f"s{i},{0.1 * i - 0.5:.4f},{0.25 * i - 1.2:.4f},{0.1 * i:.4f},{0.2 * i:.4f}"
            for i in range(12)]  # fmt: skip
    text = _refusal(store, write(tmp_path, "\n".join([HEADER, *rows]) + "\n"))
    assert "look like radians" in text
    # a handful of points near (0, 0) is not enough evidence to refuse
    few = write(tmp_path, "\n".join([HEADER, *rows[:5]]) + "\n", "few.csv")
    assert import_predictions(store, few, ImportOptions(run="few")).n_predictions == 5


def test_refuses_duplicates_listing_them(store: Store, tmp_path: Path) -> None:
    text = _refusal(store, write(tmp_path, "\n".join([HEADER, *ROWS, ROWS[0], ROWS[0]]) + "\n"))
    assert "duplicate sample ids (1): 'paris' on rows 1, 4, 5" in text


@pytest.mark.parametrize(
    "footer", ["Total,3,,,", "mean,0.5,0.5,0.5,0.5", ",,,,", "Average: 3 rows"]
)
def test_refuses_summary_footer(store: Store, tmp_path: Path, footer: str) -> None:
    text = _refusal(store, write(tmp_path, "\n".join([HEADER, *ROWS, footer]) + "\n"))
    assert "row 4" in text and "summary/footer line" in text
    assert "not a number" not in text  # the footer is reported once, as a footer


def test_refuses_non_numbers_naming_cells(store: Store, tmp_path: Path) -> None:
    text = _refusal(
        store, write(tmp_path, HEADER + '\na,48.1,2.3,abc,1\nb,48,2,1,1\nc,"48,85",2,1,1\n')
    )
    assert "row 1 ('abc'): pred_lat is not a number" in text
    assert "row 3 ('48,85'): true_lat is not a number (decimal commas?" in text


def test_refuses_non_utf8_naming_encoding_and_offset(store: Store, tmp_path: Path) -> None:
    text = HEADER + ",pred_country\na,48.1,2.3,1,1,Sao Tomé\n"
    path = write(tmp_path, text, encoding="cp1252")
    message = _refusal(store, path)
    offset = text.encode("cp1252").index(b"\xe9")
    assert f"not UTF-8: byte 0xE9 at offset {offset} (line 2)" in message
    assert "WINDOWS-1252" in message
    utf16 = write(tmp_path, text, "u16.csv", encoding="utf-16")
    assert "UTF-16" in _refusal(store, utf16)


def test_refuses_unknown_true_country(store: Store, tmp_path: Path) -> None:
    text = (
        "sample_id,true_lat,true_lon,true_country,pred_country\na,1,2,FRA,FRA\nb,1,2,Atlantis,FRA\n"
    )
    assert "true_country values not recognised as countries: 'Atlantis' (row 2)" in _refusal(
        store, write(tmp_path, text)
    )


def test_refuses_empty_and_header_only(store: Store, tmp_path: Path) -> None:
    assert "is empty" in _refusal(store, write(tmp_path, ""))
    assert "no data rows" in _refusal(store, write(tmp_path, HEADER + "\n", "h.csv"))


def test_spreadsheet_spellings_of_missing_numbers(store: Store, tmp_path: Path) -> None:
    text = HEADER + "\na,48.85,2.35,NA,NA\nb,40.71,-74.0,nan,NaN\nc,35.68,139.65,N/A,n/a\n"
    import_predictions(store, write(tmp_path, text), ImportOptions(run="na"))
    frame = store.run_frame("na")
    assert frame["pred_lat"].isna().all() and (frame["status"] == "parse_error").all()


def test_utf8_bom_and_semicolons_are_fine(store: Store, tmp_path: Path) -> None:
    text = "\ufeffsample_id;true_lat;true_lon;pred_lat;pred_lon\na;48.85;2.35;48.0;2.0\n"
    report = import_predictions(store, write(tmp_path, text), ImportOptions(run="bom"))
    assert report.n_predictions == 1
    assert store.run_frame("bom")["sample_id"].tolist() == ["a"]


def test_swap_hint_when_few_rows_overflow_but_every_longitude_fits(
    store: Store, tmp_path: Path
) -> None:
    # Swapped columns with most longitudes within ±90: only 2 of 8 rows fail, all swap-shaped.
    rows = [f"s{i},{10 + i},{40 + i},1,1" for i in range(6)] + ["s6,120,30,1,1", "s7,-150,-20,1,1"]
    text = _refusal(store, write(tmp_path, "\n".join([HEADER, *rows]) + "\n"))
    assert "rows 7 (120.0, 30.0), 8 (-150.0, -20.0)" in text
    assert "look swapped" in text
    mixed = [*rows[:6], "s6,120,30,1,1", "s7,10,170,1,1"]
    other = _refusal(store, write(tmp_path, "\n".join([HEADER, *mixed]) + "\n", "m.csv"))
    assert "swapped" not in other


def test_ids_given_as_paths_get_a_file_name_hint(store: Store, tmp_path: Path) -> None:
    truth = HEADER + "\na.jpg,10,20,11,21\nb.jpg,30,40,31,41\n"
    import_predictions(store, write(tmp_path, truth, "t.csv"), ImportOptions(run="t", dataset="d"))
    paths = HEADER + "\ntest/h0/fra/a.jpg,10,20,11,21\nelsewhere.jpg,30,40,31,41\n"
    text = _refusal(store, write(tmp_path, paths, "p.csv"), dataset="d")
    assert "sample_id not in the dataset; 1 of these ids are paths" in text
    assert "'test/h0/fra/a.jpg' -> 'a.jpg'" in text
    other = _refusal(store, write(tmp_path, HEADER + "\nz.jpg,10,20,1,1\n", "z.csv"), dataset="d")
    assert "not in the dataset" in other and "paths" not in other


def test_a_column_mapped_twice_is_refused_naming_both() -> None:
    from analysis.errors import InputError
    from analysis.importers.source import parse_column_map

    assert parse_column_map(["pred_lat=Lat", "PRED_LON=Lon"]) == {
        "pred_lat": "Lat",
        "pred_lon": "Lon",
    }
    with pytest.raises(InputError) as caught:
        parse_column_map(["pred_lat=guess_lat", "pred_lon=guess_lon", "Pred_Lat=lat2"])
    message = str(caught.value)
    assert "pred_lat twice" in message
    assert "pred_lat=guess_lat" in message and "Pred_Lat=lat2" in message


def test_map_slips_are_refused_before_anything_is_read(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, "id,tlat,tlon,plat,plon\na,48.85,2.35,48.0,2.0\n")
    base = {"sample_id": "id", "true_lat": "tlat", "true_lon": "tlon", "pred_lat": "plat"}
    with pytest.raises(ImportValidationError) as one_source:
        import_predictions(
            store, path, ImportOptions(run="r", column_map={**base, "pred_lon": "PLAT"})
        )
    assert "reads one file column (plat) into pred_lat and pred_lon" in str(one_source.value)
    with pytest.raises(ImportValidationError) as typo:
        import_predictions(
            store, path, ImportOptions(run="r", column_map={**base, "pred_lon": "plon", "lat": "x"})
        )
    assert "--map names columns GeoScope does not read: lat" in str(typo.value)
    assert "pred_lat" in typo.value.problems[0]  # the known names are listed
    assert not store.has_run("r")
