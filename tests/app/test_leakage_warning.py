"""A run scored despite overlapping its model's training samples is flagged on every view of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.store import Store
from pages._registry import page_by_url
from tests.app.conftest import REAL_DATASET, REAL_RUN, add_real_run, assert_clean, new_app, texts

pytestmark = pytest.mark.slow

LEAK = {"override": True, "overlapping_samples": 3, "checked_samples": 4}
OTHER_RUN = "real-run-b"


@pytest.fixture()
def leaked_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database with two runs on one dataset; the first was evaluated with --allow-leakage."""
    store = Store(tmp_path / "leak.duckdb")
    add_real_run(store)
    add_real_run(store, OTHER_RUN)
    card = {"base_model": "org/base", "dataset": REAL_DATASET, "split": "train", "leakage": LEAK}
    store.set_run_params(REAL_RUN, json.dumps({"form": "coords", "finetune": card}))
    monkeypatch.setenv("GEOSCOPE_DB", str(tmp_path / "leak.duckdb"))
    monkeypatch.setenv("GEOSCOPE_CACHE", str(tmp_path / "cache"))


@pytest.mark.usefixtures("leaked_env")
@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("map", {"dataset": REAL_DATASET, "runs": [REAL_RUN]}),
        ("countries", {"dataset": REAL_DATASET, "runs": [REAL_RUN]}),
        ("gallery", {"dataset": REAL_DATASET, "runs": [REAL_RUN]}),
        ("compare", {"dataset": REAL_DATASET, "a": REAL_RUN, "b": OTHER_RUN}),
    ],
)
def test_every_view_of_a_leaked_run_warns(page: str, params: dict[str, object]) -> None:
    at = new_app()
    at.query_params.update(params)
    at.switch_page(page_by_url(page).file)
    at.run()
    assert_clean(at)
    warnings = [w.value for w in at.warning]
    assert any(REAL_RUN in w and "3 of 4 samples" in w for w in map(_plain, warnings)), warnings
    assert not any(OTHER_RUN in _plain(w) for w in warnings)  # the clean run is not flagged
    assert "training" in texts(at)


def _plain(markdown: str) -> str:
    from tests.app.conftest import shown

    return shown(markdown)
