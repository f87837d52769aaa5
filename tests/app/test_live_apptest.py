"""The Live page through AppTest, with presets pointing at a real local OpenAI-compatible server.

AppTest runs the page under ``st.navigation`` as app.py does (a one-page navigation; see
``_live_app``), uploads real photos, clicks, and reads what is rendered.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.config import PROJECT_ROOT
from analysis.live.bind import POOL
from analysis.store import DatasetMeta, Store
from tests.app.conftest import shared_components, shown
from tests.live.badinputs import BIG_PHOTO, SMALL_PHOTO, TEST_MAX_UPLOAD_MB, bad_inputs
from tests.support.openai_server import OpenAIServer, Reply
from tests.support.presets import write_presets

KEY_ENV = "GEOSCOPE_TEST_KEY"
KEY_VALUE = "sk-apptest-key-0123456789"
ITALY = 'The hills and cypresses look Tuscan.\n{"country": "Italy", "lat": 43.5, "lon": 11.9}'
FRANCE = '{"country": "France", "lat": 45.0, "lon": 5.0}'
# The page runs inside a one-page st.navigation, exactly like app.py runs it, so the shared
# guard sees a navigation-driven run.
LIVE_SCRIPT = f"""
import streamlit as st
from pages._ui import mark_app_run
page = st.navigation([st.Page({str(PROJECT_ROOT / "pages" / "live.py")!r}, title="Live",
                              url_path="live", default=True)])
mark_app_run()
page.run()
"""


@dataclass
class LiveEnv:
    server: OpenAIServer
    db: Path
    cache: Path


@pytest.fixture
def live_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveEnv]:
    server = OpenAIServer()
    server.script(lambda r: r.model == "test-vlm", Reply.answer(ITALY))
    server.script(lambda r: r.model == "test-vlm-free", Reply.answer(FRANCE))
    with server:
        monkeypatch.setenv("GEOSCOPE_DB", str(tmp_path / "geoscope.duckdb"))
        monkeypatch.setenv("GEOSCOPE_CACHE", str(tmp_path / "cache"))
        monkeypatch.setenv(
            "GEOSCOPE_MODELS", str(write_presets(tmp_path / "models.toml", server.base_url))
        )
        monkeypatch.setenv(KEY_ENV, KEY_VALUE)
        monkeypatch.setenv("GEOSCOPE_LIVE_MAX_UPLOAD_MB", str(TEST_MAX_UPLOAD_MB))
        Store(tmp_path / "geoscope.duckdb").migrate()  # an existing database: no demo is loaded
        yield LiveEnv(server, tmp_path / "geoscope.duckdb", tmp_path / "cache")
        server.assert_clean_images()
    POOL.close()  # adapters hold clients bound to this server


def _live_app() -> AppTest:
    at = shared_components(AppTest.from_string(LIVE_SCRIPT, default_timeout=60))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _upload(at: AppTest, filename: str, data: bytes, mime: str = "image/jpeg") -> None:
    at.file_uploader(key="live_upload").set_value((filename, data, mime))
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def _choose(at: AppTest, presets: list[str]) -> None:
    at.multiselect(key="live_presets").set_value(presets)  # values are preset names
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def _ask(at: AppTest, presets: list[str]) -> None:
    _choose(at, presets)
    at.button(key="live_run").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def _rendered_text(at: AppTest) -> str:
    parts: list[str] = []
    for kind in ("markdown", "text", "caption", "error", "warning", "info", "success"):
        parts.extend(shown(element.value) for element in getattr(at, kind))
    return "\n".join(parts)


def _everything_sent(at: AppTest) -> str:
    """Return every element's protobuf as text: what the browser would receive."""
    return "\n".join(str(node.proto) for node in at._tree if getattr(node, "proto", None))


def _deck(at: AppTest) -> dict[str, Any]:
    [chart] = at.get("deck_gl_json_chart")
    spec: dict[str, Any] = json.loads(chart.proto.json)
    return spec


def _truth_csv(shared_data: Path, filename: str) -> tuple[float, float]:
    with (shared_data / "photos" / "ground_truth.csv").open(encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["filename"] == filename)
    return float(row["lat"]), float(row["lon"])


def test_upload_two_models_answer_truth_from_exif_and_no_exif_sent(
    live_env: LiveEnv, shared_data: Path
) -> None:
    at = _live_app()
    _upload(at, "DSCN0010.jpg", (shared_data / SMALL_PHOTO).read_bytes())
    # EXIF truth picked up and offered, editable, matching the published ground truth.
    assert at.radio(key=f"live_truth_mode_{_mode_key(at)}").value == "Photo's GPS (EXIF)"
    lat, lon = (n.value for n in at.number_input)
    assert (lat, lon) == pytest.approx(_truth_csv(shared_data, "exif_gps/DSCN0010.jpg"), abs=1e-6)

    _ask(at, ["local", "local-free"])
    text = _rendered_text(at)
    assert "Italy (ITA)" in text and "France (FRA)" in text
    assert "coordinates: 43.5000, 11.9000" in text and "coordinates: 45.0000, 5.0000" in text
    assert "error: 4 km" in text  # Italy guess vs the Arezzo truth
    # the reasoning, escaped, with its clues marked (hills: terrain; cypresses: vegetation)
    [answer] = [h.proto.body for h in at.get("html") if "Tuscan" in h.proto.body]
    assert "The <mark" in answer and ">hills</mark>" in answer and ">cypresses</mark>" in answer
    assert live_env.server.calls == 2 and live_env.server.images_received == 2
    assert live_env.server.images_with_metadata == 0
    sent = _everything_sent(at)
    assert "Italy (ITA)" in sent and KEY_VALUE not in sent  # only the variable's name may appear
    # Cost = tokens reported by the server x the preset's prices ($2.5 / $10 per M tokens),
    # and the session's cap line adds it up.
    [usage] = [c.value for c in at.caption if "tokens" in c.value and "$0.0000" not in c.value]
    tokens_in, tokens_out = (int(n) for n in re.findall(r"tokens (\d+) in / (\d+) out", usage)[0])
    cost = (tokens_in * 2.5 + tokens_out * 10.0) / 1e6
    assert f"${cost:.4f}" in usage
    assert f"Spending cap this session: ${cost:.4f} of $1.00 used" in text
    assert f"Server-wide today (UTC, all sessions): ${cost:.4f} of $10.00 used" in text

    layers = {str(layer["id"]) for layer in _deck(at)["layers"]}
    assert {"countries", "guess-0", "guess-1", "consensus", "truth"} <= layers
    assert any(name.startswith("live-err-") for name in layers)


def test_a_false_claim_in_the_reasoning_is_checked_against_the_photos_truth(
    live_env: LiveEnv, shared_data: Path
) -> None:
    """The photo was taken in Italy (its EXIF): claims of left-hand traffic and Portuguese
    signs are contradicted, shown in the card as on the Clues page; the answer stays text."""
    wrong = (
        "Cars drive on the left and the signs are in Portuguese. <b>Lisbon</b>?\n"
        '{"country": "Portugal", "lat": 38.7, "lon": -9.1}'
    )
    live_env.server.enqueue(Reply.answer(wrong))
    at = _live_app()
    _upload(at, "DSCN0010.jpg", (shared_data / SMALL_PHOTO).read_bytes())
    _ask(at, ["local"])
    [answer] = [h.proto.body for h in at.get("html") if "Portuguese" in h.proto.body]
    assert "&lt;b&gt;Lisbon&lt;/b&gt;" in answer and "<b>" not in answer
    # a card is narrow: its claims in a static table (cells escaped by inert_table)
    [clues] = [t.value for t in at.table if "verdict" in t.value.columns]
    verdicts = {shown(c): shown(v) for c, v in zip(clues["claim"], clues["verdict"], strict=True)}
    assert verdicts["driving side: left"] == "contradicted by the truth"
    assert verdicts["language: Portuguese"] == "contradicted by the truth"


def _mode_key(at: AppTest) -> str:
    [radio] = [r for r in at.radio if r.label == "Ground truth"]
    return str(radio.key).removeprefix("live_truth_mode_")


def test_asking_again_about_the_same_photo_makes_no_call(
    live_env: LiveEnv, shared_data: Path
) -> None:
    at = _live_app()
    _upload(at, "DSCN0010.jpg", (shared_data / SMALL_PHOTO).read_bytes())
    _ask(at, ["local", "local-free"])
    assert live_env.server.calls == 2
    fresh = _live_app()  # a new browser session, same server cache
    _upload(fresh, "copy.jpg", (shared_data / SMALL_PHOTO).read_bytes())
    _ask(fresh, ["local", "local-free"])
    assert live_env.server.calls == 2
    assert "cached, not charged again" in _rendered_text(fresh)
    assert "Italy (ITA)" in _rendered_text(fresh)


def test_spending_cap_stops_the_paid_model_with_a_message(
    live_env: LiveEnv, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GEOSCOPE_LIVE_BUDGET_USD", "0.0001")
    at = _live_app()
    _upload(at, "DSCN0010.jpg", (shared_data / SMALL_PHOTO).read_bytes())
    _ask(at, ["local", "local-free"])
    warnings = [shown(w.value) for w in at.warning]
    assert any("spending cap reached" in w and "GEOSCOPE_LIVE_BUDGET_USD" in w for w in warnings)
    assert "France (FRA)" in _rendered_text(at)
    assert [r.model for r in live_env.server.requests] == ["test-vlm-free"]


def test_a_preset_without_its_key_names_the_variable_only(
    live_env: LiveEnv, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_ENV)
    at = _live_app()
    _upload(at, "DSCN0010.jpg", (shared_data / SMALL_PHOTO).read_bytes())
    labels = at.multiselect(key="live_presets").options
    [paid] = [label for label in labels if label.startswith("local ")]
    assert KEY_ENV in paid and "unavailable" in paid


def test_unknown_truth_gives_guesses_without_scores(live_env: LiveEnv, shared_data: Path) -> None:
    at = _live_app()
    _upload(at, "DSCN0010.jpg", (shared_data / SMALL_PHOTO).read_bytes())
    [radio] = [r for r in at.radio if r.label == "Ground truth"]
    radio.set_value("Unknown")
    at.run()
    _ask(at, ["local-free"])
    text = _rendered_text(at)
    assert "France (FRA)" in text and "error:" not in text and "points" not in text
    assert "truth" not in {str(layer["id"]) for layer in _deck(at)["layers"]}


def test_save_as_run_puts_the_guesses_in_the_live_dataset(
    live_env: LiveEnv, shared_data: Path
) -> None:
    at = _live_app()
    _upload(at, "DSCN0010.jpg", (shared_data / SMALL_PHOTO).read_bytes())
    _ask(at, ["local", "local-free"])
    at.button(key="live_save").click()
    at.run()
    assert any("Saved 2 guesses" in s.value for s in at.success)
    store = Store(live_env.db)
    runs = store.list_runs(dataset="live")
    assert len(runs) == 2 and set(runs["model"]) == {"test-vlm", "test-vlm-free"}
    frame = store.run_frame(str(runs.loc[runs["model"] == "test-vlm", "name"].item()))
    truth = _truth_csv(shared_data, "exif_gps/DSCN0010.jpg")
    assert (frame["true_lat"].item(), frame["true_lon"].item()) == pytest.approx(truth, abs=1e-6)
    assert frame["pred_country"].item() == "ITA" and frame["distance_km"].item() == pytest.approx(
        4, abs=1
    )
    saved = store.dataset_samples("live")["image_path"].item()
    assert Path(saved).is_file() and Path(saved).read_bytes()[:2] == b"\xff\xd8"


@pytest.mark.parametrize("index", range(8))
def test_each_bad_input_gets_its_own_message_and_the_page_survives(
    live_env: LiveEnv, shared_data: Path, index: int
) -> None:
    case = bad_inputs(
        (shared_data / SMALL_PHOTO).read_bytes(), (shared_data / BIG_PHOTO).read_bytes()
    )[index]
    at = _live_app()
    _upload(at, case.filename, case.data, case.mime)
    if case.refused:
        errors = [shown(e.value).lower() for e in at.error]
        assert len(errors) == 1 and case.expect in errors[0], (case.case, errors)
        assert at.button(key="live_run").disabled  # nothing can be asked about a refused file
    else:
        notes = [shown(i.value).lower() for i in at.info]
        assert any(case.expect in note for note in notes), (case.case, notes)
        assert not at.error
        _ask(at, ["local-free"])
        assert "France (FRA)" in _rendered_text(at)
    # Nothing else broke: a good photo right after works in the same session.
    _upload(at, "DSCN0010.jpg", (shared_data / SMALL_PHOTO).read_bytes())
    assert not at.error and at.multiselect(key="live_presets").options
    assert live_env.server.images_with_metadata == 0


def test_a_dataset_image_can_be_picked_with_its_truth(live_env: LiveEnv, shared_data: Path) -> None:
    photo = shared_data / "photos" / "exif_gps" / "Kodak_CX7530.jpg"
    truth = _truth_csv(shared_data, "exif_gps/Kodak_CX7530.jpg")
    samples = pd.DataFrame(
        [
            {
                "sample_id": "kenya",
                "true_lat": truth[0],
                "true_lon": truth[1],
                "image_path": str(photo),
            }
        ]
    )
    Store(live_env.db).ingest_samples(DatasetMeta("field-photos", kind="exif"), samples)
    at = _live_app()
    at.radio(key="live_source").set_value("Pick from a dataset")
    at.run()
    at.selectbox(key="live_dataset").set_value("field-photos")
    at.run()
    assert not at.exception and not at.error
    [truth_radio] = [r for r in at.radio if r.label == "Ground truth"]
    assert truth_radio.options[:2] == ["Dataset's truth", "Photo's GPS (EXIF)"]
    lat, lon = (n.value for n in at.number_input)
    assert (lat, lon) == pytest.approx(truth, abs=1e-9)
    _ask(at, ["local-free"])
    assert "France (FRA)" in _rendered_text(at)
    assert live_env.server.calls == 1 and live_env.server.images_with_metadata == 0


def test_a_refusal_is_shown_as_such_and_scores_zero(live_env: LiveEnv, shared_data: Path) -> None:
    live_env.server.enqueue(Reply.refuse())
    at = _live_app()
    _upload(at, "DSCN0010.jpg", (shared_data / SMALL_PHOTO).read_bytes())
    _ask(at, ["local-free"])
    text = _rendered_text(at)
    assert "no country - refused" in text and "error: no location given - 0 points" in text
    assert "No model gave a location: no consensus point." in text


# -- choices, disabled buttons, caps (issue 10: items 6, 8, 12) ---------------------------------
OTHER_PHOTO = Path("photos") / "exif_gps" / "DSCN0021.jpg"


def _ask_reason(at: AppTest) -> str:
    """Return the visible reason next to the disabled "Ask the models" button ('' if none)."""
    found = [shown(c.value) for c in at.caption if "Cannot ask" in shown(c.value)]
    return found[0] if found else ""


def _choices(at: AppTest) -> tuple[list[str], str, str]:
    return (
        list(at.multiselect(key="live_presets").value),
        str(at.selectbox(key="live_strategy").value),
        str(at.radio(key="live_form").value),
    )


def test_choices_survive_replacing_the_photo_again_and_again(
    live_env: LiveEnv, shared_data: Path
) -> None:
    photo, other = (
        (shared_data / SMALL_PHOTO).read_bytes(),
        (shared_data / OTHER_PHOTO).read_bytes(),
    )
    at = _live_app()
    _upload(at, "DSCN0010.jpg", photo)
    _choose(at, ["local", "local-free"])
    at.selectbox(key="live_strategy").set_value("must")
    at.radio(key="live_form").set_value("country")
    at.run()
    chosen = (["local", "local-free"], "must", "country")
    assert _choices(at) == chosen
    # A browser replacing a file may rerun once with no file in between; a refused file or a
    # different photo must not lose the choices either.
    replacements: list[tuple[str, bytes] | None] = [
        None,
        ("DSCN0021.jpg", other),
        None,
        ("notes.jpg", b"this is not an image"),
        ("DSCN0010.jpg", photo),
        ("DSCN0021.jpg", other),
    ]
    for step, replacement in enumerate(replacements):
        if replacement is None:
            at.file_uploader(key="live_upload").set_value(None)
            at.run()
            assert not at.exception, [e.value for e in at.exception]
        else:
            _upload(at, *replacement)
        assert _choices(at) == chosen, (step, replacement and replacement[0])
    # ... and asking right away uses them: both models, the chosen prompt, no re-picking.
    at.button(key="live_run").click()
    at.run()
    assert not at.exception
    assert live_env.server.calls == 2
    assert all("latitude" not in r.text.lower() for r in live_env.server.requests)  # country form


def test_ask_button_is_disabled_with_the_reason_when_it_cannot_act(
    live_env: LiveEnv, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GEOSCOPE_LIVE_BUDGET_USD", "0.0001")  # below one paid call's worst case
    at = _live_app()
    assert at.button(key="live_run").disabled
    assert "no photo yet" in _ask_reason(at)
    _upload(at, "DSCN0010.jpg", (shared_data / SMALL_PHOTO).read_bytes())
    assert at.button(key="live_run").disabled
    assert "no model chosen" in _ask_reason(at)
    _choose(at, ["local"])  # paid, and the session cap cannot hold its worst case
    assert at.button(key="live_run").disabled
    reason = _ask_reason(at)
    assert "spending cap reached" in reason and "GEOSCOPE_LIVE_BUDGET_USD" in reason
    _choose(at, ["local", "local-free"])  # a free model can still answer
    assert not at.button(key="live_run").disabled and _ask_reason(at) == ""
    assert live_env.server.calls == 0


def test_ask_button_names_unavailable_models(
    live_env: LiveEnv, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_ENV)
    at = _live_app()
    _upload(at, "DSCN0010.jpg", (shared_data / SMALL_PHOTO).read_bytes())
    _choose(at, ["local"])
    assert at.button(key="live_run").disabled
    assert "none of the chosen models can run here" in _ask_reason(at)
    assert KEY_ENV in _ask_reason(at)


def test_the_daily_cap_is_shared_by_every_session_of_the_server(
    live_env: LiveEnv, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One paid call may cost up to ~$0.0073 (2,000 image tokens + prompt at $2.5/M, 200 output
    # tokens at $10/M); this one reports usage costing $0.0070, so a second does not fit $0.008.
    live_env.server.enqueue(Reply.usage(ITALY, 2000, 200))
    monkeypatch.setenv("GEOSCOPE_LIVE_DAILY_BUDGET_USD", "0.008")
    first = _live_app()
    _upload(first, "DSCN0010.jpg", (shared_data / SMALL_PHOTO).read_bytes())
    _ask(first, ["local"])
    assert "Italy (ITA)" in _rendered_text(first)
    assert "Server-wide today (UTC, all sessions): $0.0070 of $0.0080 used" in _rendered_text(first)

    second = _live_app()  # a new tab: its own session cap is untouched ($1.00)...
    assert "Spending cap this session: $0.0000 of $1.00 used" in _rendered_text(second)
    assert "Server-wide today (UTC, all sessions): $0.0070 of $0.0080 used" in _rendered_text(
        second
    )
    _upload(second, "DSCN0021.jpg", (shared_data / OTHER_PHOTO).read_bytes())
    _choose(second, ["local"])
    # ... but the server's day is: the paid model cannot be asked, and the button says so.
    assert second.button(key="live_run").disabled
    reason = _ask_reason(second)
    assert "spending cap reached" in reason and "GEOSCOPE_LIVE_DAILY_BUDGET_USD" in reason
    _ask(second, ["local", "local-free"])
    [warning] = [shown(w.value) for w in second.warning]
    assert "server-wide daily cap reached" in warning and "local" in warning
    assert "France (FRA)" in _rendered_text(second)
    assert [r.model for r in live_env.server.requests] == ["test-vlm", "test-vlm-free"]
    # The ledger lives under the cache folder, so a restarted server remembers it.
    [ledger] = (live_env.cache / "live-spend").glob("*.json")
    assert json.loads(ledger.read_text())["spent_usd"] == pytest.approx(0.007)


def test_save_as_run_is_disabled_when_no_model_answered(
    live_env: LiveEnv, shared_data: Path
) -> None:
    live_env.server.enqueue(Reply.http_error(503, "overloaded"), Reply.http_error(503, "down"))
    at = _live_app()
    _upload(at, "DSCN0010.jpg", (shared_data / SMALL_PHOTO).read_bytes())
    _ask(at, ["local", "local-free"])
    assert len(at.error) == 2
    save = at.button(key="live_save")
    assert save.disabled
    assert any("no model has answered" in shown(c.value) for c in at.caption)
    assert Store(live_env.db).list_runs(dataset="live").empty


def test_hostile_bodies_get_specific_messages_and_no_negative_cost(
    live_env: LiveEnv, shared_data: Path
) -> None:
    live_env.server.reset()  # these rules instead of the fixture's
    live_env.server.script(
        lambda r: r.model == "test-vlm",
        [
            Reply.raw(b'{"choices": [{"message": {"content": "caf\xe9 \xff"}}]}'),
            Reply.usage(ITALY, -5000, -3000),
        ],
    )
    live_env.server.script(
        lambda r: r.model == "test-vlm-free",
        Reply.raw(b"<!DOCTYPE html><html><body>Sign in</body></html>", 200, "text/html"),
    )
    at = _live_app()
    _upload(at, "DSCN0010.jpg", (shared_data / SMALL_PHOTO).read_bytes())
    _ask(at, ["local", "local-free"])
    errors = sorted(shown(e.value) for e in at.error)
    assert len(errors) == 2
    assert "not valid UTF-8 JSON" in errors[1] and "UnicodeDecodeError" not in errors[1]
    assert "returned an HTML page, not a chat completion" in errors[0]
    assert "check base_url" in errors[0] and "no choices" not in errors[0]
    assert at.button(key="live_save").disabled  # nothing answered: nothing to save

    # The same paid preset reporting negative token counts: an answer, but no price at all.
    at.selectbox(key="live_strategy").set_value("must")  # a new question (no cache hit)
    at.run()
    at.button(key="live_run").click()
    at.run()
    text = _rendered_text(at)
    assert "Italy (ITA)" in text
    assert "$-" not in text and "-5000" not in text and "-5,000" not in text
    # Unknown usage books the call's reservation, never a refund.
    spent = re.search(r"Spending cap this session: \$(\d+\.\d+)", text)
    assert spent is not None and float(spent.group(1)) > 0


def test_presentation_shows_the_spend_in_one_line_for_the_room(live_env: LiveEnv) -> None:
    """Which settings cap the spend is for the host; the room sees what was spent, in one line."""
    from analysis.live import ENV_LIVE_BUDGET, ENV_LIVE_DAILY_BUDGET

    at = shared_components(AppTest.from_string(LIVE_SCRIPT, default_timeout=60))
    at.query_params["present"] = "1"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    [cap] = [shown(c.value) for c in at.caption if "Spent:" in shown(c.value)]
    assert cap == "Spent: $0.0000 of $1.00 this session, $0.0000 of $10.00 today (all sessions)."
    text = _rendered_text(at)
    assert ENV_LIVE_BUDGET not in text and ENV_LIVE_DAILY_BUDGET not in text
    assert "Spending cap this session" not in text
