"""Clue explorer data: heatmap matrices, the answers behind a cell, and escaped highlighting."""

from __future__ import annotations

import html
import math
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from analysis.clues import category_ids
from analysis.dashboard.clues import (
    ANSWER_CLASS,
    ClueNote,
    RunClues,
    answer_notes,
    cell_samples,
    heat_hover,
    heat_matrix,
    heat_metric,
    highlight_html,
    run_clues,
    runs_citing_nothing,
    summary_table,
)
from analysis.viz.clues import clue_heatmap
from tests.support.frames import float_at, text_at


def _frame() -> pd.DataFrame:
    rows = [
        # right, cites text (a consistent language claim) and vegetation
        ("s1", "L1", "BRA", -10.0, "BRA", "The signs are written in Portuguese. Palm trees."),
        # wrong, cites text with a contradicted driving-side claim
        ("s2", "L2", "JPN", 36.0, "KOR", "Traffic drives on the right. Signs in Hangul."),
        # wrong, cites vegetation only
        ("s3", "L3", "FIN", 62.0, "SWE", "Dense pine forest.\n\nFinal answer: Sweden"),
        # right, nothing cited
        ("s4", "L4", "FRA", 46.0, "FRA", "France."),
    ]
    return (
        pd.DataFrame(
            rows,
            columns=["sample_id", "location_id", "true_country", "true_lat", "pred_country", "raw"],
        )
        .rename(columns={"raw": "raw_response"})
        .assign(status="ok", run="r")
    )


@pytest.fixture(scope="module")
def reading() -> RunClues:
    return run_clues(_frame(), "r", n_resamples=50)


def test_heat_matrix_has_every_category_as_a_column(reading: RunClues) -> None:
    matrix = heat_matrix([reading.summary], "citation_rate")
    assert list(matrix.columns) == category_ids()
    assert list(matrix.index) == ["r"]
    assert matrix.loc["r", "text"] == pytest.approx(0.5)
    assert matrix.loc["r", "landmark"] == 0.0
    lift = heat_matrix([reading.summary], "lift")
    assert lift.loc["r", "text"] == pytest.approx(0.5 - 0.5)
    assert math.isnan(float_at(lift, "r", "landmark"))  # nothing cited: no lift
    contra = heat_matrix([reading.summary], "contradiction_rate")
    assert contra.loc["r", "driving_side"] == pytest.approx(1.0)
    # Portuguese in Brazil is consistent, Hangul in Japan contradicted; "Signs" claims nothing
    assert contra.loc["r", "text"] == pytest.approx(0.5)
    text = reading.summary.set_index("category").loc["text"]
    assert (text.n_claims, text.n_checkable, text.n_contradicted) == (2, 2, 1)


def test_unknown_metric_falls_back_and_hover_has_counts(reading: RunClues) -> None:
    assert heat_metric("country_accuracy") == "citation_rate"
    assert heat_metric(None) == "citation_rate"
    hover = heat_hover([reading.summary], "lift")
    assert "95% CI" in text_at(hover, "r", "text")
    assert text_at(hover, "r", "landmark").startswith("cited by 0 of 4")
    assert "checkable" in text_at(heat_hover([reading.summary], "contradiction_rate"), "r", "text")
    assert list(summary_table(reading.summary)["category"])[0] == "Text & signage"


def test_cell_samples_lists_contradicted_then_wrong_answers_first(reading: RunClues) -> None:
    samples = pd.DataFrame({"sample_id": ["s1", "s2"], "image_path": ["/x/1.jpg", None]})
    total, shown = cell_samples(reading, "text", samples)
    assert total == 2
    assert [s.sample_id for s in shown] == ["s2", "s1"]
    assert shown[1].image_path == "/x/1.jpg" and shown[0].image_path is None
    assert not shown[0].correct and shown[1].correct
    verdicts = {n.claim: n.verdict for n in shown[0].notes if n.claim}
    assert verdicts["driving side: right"] == "contradicted by the truth"
    assert cell_samples(reading, "text", samples, outcome="correct")[0] == 1
    assert cell_samples(reading, "vegetation", samples, outcome="wrong")[1][0].sample_id == "s3"
    assert cell_samples(reading, "landmark", samples) == (0, [])


def test_answer_notes_checks_claims_against_the_truth() -> None:
    notes = answer_notes("Cars drive on the left and the signs are in Thai.", "THA", 13.7)
    assert [n.number for n in notes] == list(range(1, len(notes) + 1))
    side = next(n for n in notes if n.category == "driving_side")
    assert side.claim == "driving side: left" and side.verdict == "consistent with the truth"
    assert answer_notes(None, "THA", 13.7) == [] and answer_notes("", None, None) == []
    assert answer_notes("Cars drive on the left.", "FRA", float("nan"))[0].verdict.startswith(
        "contradicted"
    )


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data: str) -> None:
        self.text.append(data)


HOSTILE = (
    '![p](http://127.0.0.1:9/x) <img src="http://127.0.0.1:9/y" onerror="alert(1)"> '
    "<script>alert(2)</script> **bold** &amp; <a href='javascript:x'>link</a> \"quoted\" "
    "The signs are written in <b>Thai</b> and cars drive on the left."
)


def test_highlight_escapes_every_tag_from_the_answer() -> None:
    notes = answer_notes(HOSTILE, "THA", 13.7)
    notes.append(  # a clue whose own text is hostile: its tooltip is escaped too
        ClueNote(99, "text", "Text", "x", 0, 5, 'language: "><img src=x>', "not checkable")
    )
    out = highlight_html(HOSTILE, notes, focus="driving_side")
    parser = _Tags()
    parser.feed(out)
    assert set(parser.tags) == {"div", "mark"}  # only our own elements
    # our box's class (presentation mode enlarges it) and the marks' style and tooltip
    assert {name for name, _ in parser.attrs} == {"class", "style", "title"}
    assert [value for name, value in parser.attrs if name == "class"] == [ANSWER_CLASS]
    # what a browser shows is exactly the answer, character for character
    assert "".join(parser.text) == HOSTILE
    assert "<img" not in re.sub(r"&lt;img", "", out.replace('title="', ""))
    assert out.count("<mark") >= 2


def test_highlight_marks_the_spans_and_merges_overlaps() -> None:
    text = "A red dirt road."
    notes = answer_notes(text, "AUS", -25.0)
    assert {n.category for n in notes} >= {"terrain_climate", "infrastructure"}
    out = highlight_html(text, notes, focus="infrastructure")
    parser = _Tags()
    parser.feed(out)
    assert "".join(parser.text) == text
    marked = re.findall(r"<mark [^>]*>([^<]*)</mark>", out)
    assert "".join(marked) == "red dirt road"  # three pieces: red | dirt (both) | road
    assert "#ffe066" in out  # the focused category's colour


def test_highlight_ignores_bad_offsets_and_caps_length() -> None:
    bad = [
        ClueNote(1, "text", "Text", "x", 5, 2, "", ""),
        ClueNote(2, "text", "Text", "x", 50, 60, "", ""),
    ]
    assert "<mark" not in highlight_html("short text", bad)
    long = "a" * 30 + "<b>"
    out = highlight_html(long, [], max_chars=31)
    assert "more characters not shown" in out and "<b>" not in out
    assert html.unescape(re.sub(r"<[^>]+>", "", out)).startswith("a" * 30 + "<")


def test_heatmap_has_one_column_per_category_and_escapes_labels(reading: RunClues) -> None:
    matrix = heat_matrix([reading.summary], "lift")
    fig = clue_heatmap(
        matrix,
        title="Lift",
        column_labels={c: c.upper() for c in category_ids()},
        row_labels={"r": "<b>evil</b>"},
        hover=heat_hover([reading.summary], "lift"),
        diverging=True,
        signed=True,
    )
    trace = fig.data[0]
    assert list(trace.x) == [c.upper() for c in category_ids()]
    assert list(trace.y) == ["&lt;b&gt;evil&lt;/b&gt;"]
    assert (trace.zmin, trace.zmax) == (-1.0, 1.0)
    assert trace.text[0][0] == "+0%"


def test_a_run_whose_answers_cite_nothing_is_named(reading: RunClues) -> None:
    bare = _frame().assign(raw_response=["-10.0, -50.0", "36.1, 127.9", "Sweden", "France"])
    silent = run_clues(bare, "coords-only", n_resamples=10)
    assert heat_matrix([silent.summary], "citation_rate").loc["coords-only"].max() == 0
    assert runs_citing_nothing([reading, silent]) == ["coords-only"]
