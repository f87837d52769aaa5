"""AppTest of the Clues page: heatmaps of the demo, URL state, and the answers behind a cell."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from analysis.clues import category, category_ids
from analysis.dashboard.clues import SILENT_MARK
from pages._registry import page_by_url
from tests.app.conftest import REAL_RUN, assert_clean, figures, new_app, texts

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.slow
RUNS = ["sim-neighbour-basic", "sim-faroff-tips"]


def _open(params: dict[str, object]) -> AppTest:
    at = new_app()
    at.query_params.update(params)
    at.switch_page(page_by_url("clues").file)
    at.run()
    assert_clean(at)
    return at


def _qp(at: AppTest, key: str) -> list[str]:
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def test_heatmap_rows_are_runs_and_columns_every_category(app_env: tuple[Path, Path]) -> None:
    at = _open({"dataset": "sim-demo", "runs": RUNS})
    (fig,) = figures(at)
    trace = fig["data"][0]
    assert trace["type"] == "heatmap"
    assert trace["x"] == [category(c).label.replace("&", "&amp;") for c in category_ids()]
    assert len(trace["y"]) == 2 and len(trace["z"]) == 2
    assert "SIMULATED" in fig["layout"]["title"]["text"]
    shares = [v for row in trace["z"] for v in row if v is not None]
    assert shares and all(0.0 <= v <= 1.0 for v in shares)
    # the demo's answers cite clues: the default cell (first run, text) lists some
    assert "citing Text" in texts(at)
    assert at.get("iframe") or at.get("html")


def test_metric_and_cell_choice_change_the_page_and_the_url(app_env: tuple[Path, Path]) -> None:
    at = _open({"dataset": "sim-demo", "runs": RUNS})
    at.sidebar.radio(key="clu_metric").set_value("lift").run()
    assert_clean(at)
    trace = figures(at)[0]["data"][0]
    assert (trace["zmin"], trace["zmax"]) == (-1, 1)
    assert _qp(at, "metric") == ["lift"]
    at.selectbox(key="clu_run").set_value("sim-faroff-tips").run()
    at.selectbox(key="clu_cat").set_value("driving_side").run()
    at.radio(key="clu_outcome").set_value("wrong").run()
    assert_clean(at)
    assert _qp(at, "a") == ["sim-faroff-tips"] and _qp(at, "clue") == ["driving_side"]
    assert _qp(at, "outcome") == ["wrong"]
    shown = texts(at)
    assert "citing Driving side" in shown
    # every listed answer is a wrong one
    lines = [t.value for t in at.text if ": truth " in t.value]
    assert lines and all(line.endswith(", wrong") for line in lines)


def test_a_link_reopens_the_same_cell(app_env: tuple[Path, Path]) -> None:
    at = _open(
        {
            "dataset": "sim-demo",
            "runs": RUNS,
            "metric": "contradiction_rate",
            "a": "sim-neighbour-basic",
            "clue": "vegetation",
        }
    )
    assert at.selectbox(key="clu_cat").value == "vegetation"
    assert at.sidebar.radio(key="clu_metric").value == "contradiction_rate"
    assert "citing Vegetation" in texts(at)


def test_unknown_values_in_the_link_fall_back(app_env: tuple[Path, Path]) -> None:
    at = _open({"dataset": "sim-demo", "runs": RUNS, "metric": "x", "clue": "nope", "a": "zz"})
    assert at.selectbox(key="clu_cat").value == category_ids()[0]
    assert at.selectbox(key="clu_run").value == RUNS[0]


def test_real_run_with_markup_in_answers_renders_as_text(app_env: tuple[Path, Path]) -> None:
    at = _open({"dataset": "real-mini", "runs": [REAL_RUN]})
    assert "Answers citing Text & signage: 1" in texts(at)
    (box,) = [e.proto.body for e in at.get("html") if "<mark" in e.proto.body]
    # the answer's own tags arrive escaped; only the highlight marks are elements
    assert "&lt;b&gt;France&lt;/b&gt;" in box and "<b>" not in box
    assert "<script" not in box and "&lt;" in box


def test_map_detail_lists_the_clues_of_each_answer(app_env: tuple[Path, Path]) -> None:
    from analysis.store import Store

    db, _ = app_env
    frame = Store(db).run_frame("sim-neighbour-basic", with_raw=True)
    sample = str(frame.loc[frame["status"] == "ok", "sample_id"].iloc[0])
    at = new_app()
    at.query_params.update(
        {"dataset": "sim-demo", "runs": ["sim-neighbour-basic"], "sample": sample}
    )
    at.switch_page(page_by_url("map").file)
    at.run()
    assert_clean(at)
    tables = [t.value for t in at.dataframe if "verdict" in t.value.columns]
    assert len(tables) == 1 and len(tables[0]) > 0
    assert set(tables[0]["category"]) <= {category(c).label for c in category_ids()}
    assert "Clues cited" in texts(at)


def test_a_run_citing_no_clue_is_called_out_not_left_as_a_row_of_zeros(
    demo_db: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from analysis.store import RunMeta, Store
    from analysis.types import CoordsSource, Prediction, PredictionStatus

    db = tmp_path / "coords.duckdb"  # a copy: the shared demo database stays as it is
    shutil.copy(demo_db[0], db)
    monkeypatch.setenv("GEOSCOPE_DB", str(db))
    monkeypatch.setenv("GEOSCOPE_CACHE", str(demo_db[1]))
    store = Store(db)
    store.create_run(
        RunMeta(name="coords-only", dataset="real-mini", model="m", prompt_strategy="basic")
    )
    store.add_predictions(
        "coords-only",
        [
            Prediction(
                sid, f"{lat}, {lon}", PredictionStatus.OK, None, lat, lon, CoordsSource.MODEL
            )
            for sid, lat, lon in [("r1", 48.8, 2.3), ("r2", 50.0, 8.0), ("r3", 52.5, 13.4)]
        ],
    )
    at = _open({"dataset": "real-mini", "runs": ["coords-only", REAL_RUN]})
    notes = [info.value for info in at.info if "no answer cites any clue" in info.value]
    assert len(notes) == 1 and notes[0].startswith("m · basic:"), [i.value for i in at.info]
    # the chart says it too, so an exported slide does too; the run that cites clues does not
    (heat,) = figures(at)
    rows = [str(label) for label in heat["data"][0]["y"]]
    assert f"m · basic {SILENT_MARK}" in rows, rows
    assert sum(SILENT_MARK in row for row in rows) == 1, rows
    demo = _open({"dataset": "sim-demo", "runs": RUNS})  # the demo's answers do cite clues
    assert not [info for info in demo.info if "no answer cites any clue" in info.value]


HOSTILE_JUDGE = "**judge** <img src=x onerror=alert(1)>"


def _with_judgements(
    demo_db: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, int]:
    """A copy of the demo whose first run a judge (with a hostile name) read in part.

    Returns how many of the run's answers were judged, and how many it has.
    """
    import json
    import shutil

    from analysis.clues import extract_clues
    from analysis.clues.judge import answer_sha256
    from analysis.store import Store
    from analysis.store.clues import Judgement, save_judgements

    db = tmp_path / "judged.duckdb"  # a copy: the shared demo database stays as it is
    shutil.copy(demo_db[0], db)
    monkeypatch.setenv("GEOSCOPE_DB", str(db))
    monkeypatch.setenv("GEOSCOPE_CACHE", str(demo_db[1]))
    store = Store(db)
    frame = store.run_frame(RUNS[0], with_raw=True)
    rows = []
    for sample, text in zip(frame["sample_id"][:150], frame["raw_response"][:150], strict=True):
        if isinstance(text, str):  # this judge lists what the rules find, and no vegetation
            clues = [{"category": c.category, "evidence": c.evidence, "claim": None}
                     for c in extract_clues(text) if c.category != "vegetation"]  # fmt: skip
            rows.append(Judgement(str(sample), answer_sha256(text), json.dumps(clues)))
    save_judgements(store, RUNS[0], HOSTILE_JUDGE, rows)
    return len(rows), len(frame)


def test_a_judges_reading_replaces_the_rules_and_shows_their_agreement(
    demo_db: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    n_judged, n_answers = _with_judgements(demo_db, tmp_path, monkeypatch)
    assert 0 < n_judged < n_answers
    at = _open({"dataset": "sim-demo", "runs": RUNS})
    reader = at.sidebar.selectbox(key="clu_judge")
    assert reader.value == "rules" and len(figures(at)) == 1  # the rules by default
    # plain-text options (a selectbox draws no Markdown), so the name is shown as typed
    assert reader.options == ["the rules (every answer)", f"the judge {HOSTILE_JUDGE}"]
    reader.set_value(HOSTILE_JUDGE).run()
    assert_clean(at)
    assert _qp(at, "judge") == [HOSTILE_JUDGE]
    heat, agreement = figures(at)
    assert len(heat["data"][0]["y"]) == 1  # only the run the judge read
    assert "<img" not in heat["layout"]["title"]["text"]  # the judge's name, escaped
    by_category = dict(zip(agreement["data"][0]["x"], agreement["data"][0]["z"][0], strict=True))
    assert by_category["Vegetation"] == 0.0  # the rules cite it, this judge never does
    assert by_category["Driving side"] == 1.0  # it lists exactly what the rules find
    shown = texts(at)
    assert f"{n_judged} of {n_answers} answers" in shown
    assert [i.value for i in at.info if "No judgement by" in i.value]  # sim-faroff-tips


def test_a_link_with_a_judge_reopens_its_reading_and_an_unknown_one_the_rules(
    demo_db: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _with_judgements(demo_db, tmp_path, monkeypatch)
    at = _open({"dataset": "sim-demo", "runs": RUNS, "judge": HOSTILE_JUDGE, "present": "1"})
    assert len(figures(at)) == 2  # presentation mode: no sidebar, the link's judge
    at = _open({"dataset": "sim-demo", "runs": RUNS, "judge": "nobody"})
    assert at.sidebar.selectbox(key="clu_judge").value == "rules" and len(figures(at)) == 1
    assert "judge" not in at.query_params


FALSE_CLAIM_HEADERS = ["run", "claim", "contradicted", "true country", "guessed"]


def test_the_most_frequent_false_claims_are_listed_per_run(app_env: tuple[Path, Path]) -> None:
    at = _open({"dataset": "sim-demo", "runs": RUNS})
    assert "False claims, most frequent first" in texts(at)
    (table,) = [t.value for t in at.dataframe if list(t.value.columns) == FALSE_CLAIM_HEADERS]
    # the demo's wrong guesses make claims about the guessed country: some are false
    assert 0 < len(table) <= 5 * len(RUNS)
    assert set(table["run"]) <= {"sim-neighbour · basic", "sim-faroff · tips"}
    counts = [
        tuple(int(n.replace(",", "")) for n in c.split(" of ")) for c in table["contradicted"]
    ]
    assert all(0 < bad <= n for bad, n in counts)
    present = _open({"dataset": "sim-demo", "runs": RUNS, "present": "1"})
    static = [t for t in present.table if "contradicted" in str(t.value.columns.tolist())]
    assert len(static) == 1 and not [
        t for t in present.dataframe if list(t.value.columns) == FALSE_CLAIM_HEADERS
    ]
