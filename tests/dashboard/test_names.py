"""Run display names: readable, alias first, and never two runs with one label."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.dashboard.names import (
    MAX_LABEL_CHARS,
    alias_of,
    base_label,
    clean_alias,
    display_names,
    with_alias,
    with_display_column,
)


def _runs(rows: list[dict[str, object]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["name", "model", "prompt_strategy", "params_json"])


def test_label_reads_model_strategy_and_odd_form() -> None:
    run = {
        "name": "gpt-4o-2024-08-06-dynamic_kshot_shuffled-coords-v3",
        "model": "openai/gpt-4o",
        "prompt_strategy": "dynamic_kshot_shuffled",
        "params_json": json.dumps({"form": "coords"}),
    }
    assert base_label(run) == "gpt-4o · dynamic k-shot shuffled · coords"
    run["params_json"] = json.dumps({"form": "country"})
    assert base_label(run) == "gpt-4o · dynamic k-shot shuffled"


def test_alias_wins_and_is_one_clean_line() -> None:
    params = with_alias('{"seed": 7}', "  Gemini\n basic  ")
    assert json.loads(params) == {"seed": 7, "display_name": "Gemini basic"}
    run = {"name": "r", "model": "m", "prompt_strategy": "basic", "params_json": params}
    assert base_label(run) == "Gemini basic"
    assert alias_of(with_alias(params, "")) is None  # an empty alias removes it
    assert len(clean_alias("x" * 200) or "") == MAX_LABEL_CHARS
    assert alias_of("not json {display_name") is None


def test_no_model_falls_back_to_the_run_name() -> None:
    frame = _runs(
        [{"name": "osv-best", "model": None, "prompt_strategy": None, "params_json": "{}"}]
    )
    assert display_names(frame) == {"osv-best": "osv-best"}


def test_collisions_get_the_distinguishing_part_of_the_name() -> None:
    frame = _runs(
        [
            {"name": "gpt4o-basic-t0", "model": "gpt-4o", "prompt_strategy": "basic"},
            {"name": "gpt4o-basic-t1", "model": "gpt-4o", "prompt_strategy": "basic"},
            {"name": "llava-basic", "model": "llava", "prompt_strategy": "basic"},
        ]
    )
    labels = display_names(frame)
    assert labels["gpt4o-basic-t0"] == "gpt-4o · basic (t0)"
    assert labels["gpt4o-basic-t1"] == "gpt-4o · basic (t1)"
    assert labels["llava-basic"] == "llava · basic"


def test_alias_equal_to_another_label_is_disambiguated() -> None:
    frame = _runs(
        [
            {"name": "a", "model": "m", "prompt_strategy": "basic", "params_json": "{}"},
            {
                "name": "b",
                "model": "x",
                "prompt_strategy": "tips",
                "params_json": with_alias("{}", "m · basic"),
            },
        ]
    )
    labels = display_names(frame)
    assert len(set(labels.values())) == 2


run_names = st.text(alphabet="ab-_ c1", min_size=1, max_size=10)


@given(
    st.lists(
        st.tuples(run_names, st.sampled_from(["m", "m/x", None]), st.sampled_from(["basic", None])),
        min_size=1,
        max_size=12,
        unique_by=lambda t: t[0],
    ),
    st.randoms(),
)
def test_labels_are_unique_and_independent_of_order(
    rows: list[tuple[str, str | None, str | None]], rnd: random.Random
) -> None:
    frame = _runs(
        [{"name": n, "model": m, "prompt_strategy": s, "params_json": "{}"} for n, m, s in rows]
    )
    labels = display_names(frame)
    assert set(labels) == set(frame["name"])
    assert len(set(labels.values())) == len(labels)
    shuffled = frame.sample(frac=1.0, random_state=rnd.randint(0, 1000))
    assert display_names(shuffled) == labels


def test_display_column_keeps_the_full_name_beside_the_label() -> None:
    table = pd.DataFrame({"run": ["long-run-name"], "distance_km": [12.0]})
    out = with_display_column(table, {"long-run-name": "short"})
    assert list(out.columns) == ["label", "run", "distance_km"]
    assert out.loc[0, "label"] == "short"


def test_alias_command_sets_and_clears_the_label(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from analysis.cli import main
    from analysis.store import RunMeta, Store

    db = tmp_path / "g.duckdb"
    store = Store(db)
    samples = pd.DataFrame({"sample_id": ["s"], "true_lat": [1.0], "true_lon": [2.0]})
    from analysis.store import DatasetMeta

    store.ingest_samples(DatasetMeta(name="d", kind="csv"), samples)
    store.create_run(RunMeta(name="long-run", dataset="d", model="m", params={"seed": 1}))
    assert main(["--db", str(db), "alias", "long-run", "My model"]) == 0
    assert display_names(store.list_runs()) == {"long-run": "My model"}
    assert json.loads(store.run_info("long-run")["params_json"])["seed"] == 1  # kept
    assert main(["--db", str(db), "alias", "long-run", "--clear"]) == 0
    assert display_names(store.list_runs()) == {"long-run": "m"}
    assert main(["--db", str(db), "alias", "nope", "x"]) == 1
    assert "no run named 'nope'" in capsys.readouterr().err


def test_a_run_that_reads_no_prompt_is_labelled_so_wherever_it_is_named() -> None:
    # the runner records its default strategy ("basic") even for a retrieval baseline; every
    # page passes list_runs rows straight to display_names, so the rule must live there
    runs = pd.DataFrame(
        [
            {"name": "clip-knn-run", "model": "clip-knn", "prompt_strategy": "basic",
             "params_json": "{}", "adapter": "retrieval"},
            {"name": "gpt-run", "model": "gpt-4o", "prompt_strategy": "basic",
             "params_json": "{}", "adapter": "openai_compat"},
        ]
    )  # fmt: skip
    assert display_names(runs) == {"clip-knn-run": "clip-knn · no prompt", "gpt-run": "gpt-4o · basic"}
