"""LLMGeo result JSON ({image_file_name: model_output}) joined to the real LLMGeo test manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.datasets import import_dataset
from analysis.errors import ImportValidationError
from analysis.importers import ImportOptions, import_predictions
from analysis.store import Store


@pytest.fixture
def llmgeo(shared_data: Path, tmp_path: Path) -> tuple[Store, pd.DataFrame]:
    store = Store(tmp_path / "l.duckdb")
    manifest = shared_data / "llmgeo" / "test_manifest.csv"
    import_dataset(store, manifest, "llmgeo-test")
    rows = pd.read_csv(manifest, dtype=str)
    rows["name"] = rows["path"].str.rsplit("/", n=1).str[-1]
    return store, rows


def test_results_join_by_file_name_and_are_parsed(
    llmgeo: tuple[Store, pd.DataFrame], tmp_path: Path
) -> None:
    store, rows = llmgeo
    arg = rows[rows["country_iso3"] == "ARG"].iloc[0]
    bra = rows[rows["country_iso3"] == "BRA"].iloc[0]
    ind = rows[rows["country_iso3"] == "IND"].iloc[0]
    refusal = "I'm sorry, I can't determine where this photo was taken."
    results = {
        arg["name"]: '{"country": "Argentina"}',  # the upstream scripts store the model text
        "dataset/test/h0/bra/" + bra["name"]: {"country": "Brazil"},  # or an object, or a path
        ind["name"]: refusal,
    }
    path = tmp_path / "raw_basic_gen.json"
    path.write_text(json.dumps(results), encoding="utf-8")
    report = import_predictions(store, path, ImportOptions(run="", model="gemini"))
    assert (report.run, report.dataset, report.n_predictions) == ("raw_basic_gen", "llmgeo-test", 3)
    frame = store.run_frame("raw_basic_gen", with_raw=True).set_index("sample_id")
    assert frame.loc[arg["name"], "pred_country"] == "ARG"
    assert frame.loc[arg["name"], "true_country"] == "ARG"
    assert frame.loc[bra["name"], "pred_country"] == "BRA"
    assert json.loads(frame.loc[bra["name"], "raw_response"]) == {"country": "Brazil"}
    # free text goes through the project's parser: same status as parsing it directly
    from analysis.parsing import parse_answer

    assert frame.loc[ind["name"], "status"] == str(parse_answer(refusal).status)
    assert frame.loc[ind["name"], "status"] in ("refused", "unknown")
    assert frame.loc[arg["name"], "status"] == "ok"


def test_unknown_file_names_are_refused(llmgeo: tuple[Store, pd.DataFrame], tmp_path: Path) -> None:
    store, rows = llmgeo
    path = tmp_path / "r.json"
    path.write_text(json.dumps({rows["name"][0]: "France", "nope.jpg": "Chile"}), encoding="utf-8")
    with pytest.raises(ImportValidationError) as err:
        import_predictions(store, path, ImportOptions(run="r"))
    assert "entry 2 ('nope.jpg'): sample_id not in the dataset" in "\n".join(err.value.problems)
    assert store.list_runs().empty


def test_needs_an_llmgeo_dataset(tmp_path: Path) -> None:
    store = Store(tmp_path / "empty.duckdb")
    path = tmp_path / "r.json"
    path.write_text('{"a.jpg": "France"}', encoding="utf-8")
    with pytest.raises(ImportValidationError, match="--dataset"):
        import_predictions(store, path, ImportOptions(run="r"))
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ImportValidationError, match="does not exist"):
        import_predictions(store, path, ImportOptions(run="r", dataset="missing"))
