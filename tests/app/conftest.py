"""Dashboard fixtures: a temporary database with the simulated demo plus one small real run."""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pytest

from analysis.config import PROJECT_ROOT
from analysis.store import DatasetMeta, RunMeta, Store
from analysis.types import CoordsSource, Prediction, PredictionStatus

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

APP = str(PROJECT_ROOT / "app.py")
REAL_DATASET = "real-mini"
REAL_RUN = "real-run"
# raw text with markdown and HTML in it: the page must show it verbatim, never render it
TRICKY_RAW = (
    "**Bold claim** <b>France</b> <script>alert(1)</script>\n# heading\nlat 48.85, lon 2.35"
)


def add_real_run(store: Store, run: str = REAL_RUN) -> None:
    """Write a 4-image real (not simulated) dataset and one run on it."""
    samples = pd.DataFrame(
        {
            "sample_id": ["r1", "r2", "r3", "r4"],
            "location_id": ["L1", "L1", "L2", "L3"],
            "true_lat": [48.85, 48.86, 52.52, -33.87],
            "true_lon": [2.35, 2.36, 13.40, 151.21],
            "true_country": ["FRA", "FRA", "DEU", "AUS"],
            "heading": [0, 90, 0, 0],
        }
    )
    store.ingest_samples(DatasetMeta(name=REAL_DATASET, kind="csv"), samples)
    store.create_run(
        RunMeta(name=run, dataset=REAL_DATASET, model="real-model", prompt_strategy="basic")
    )
    store.add_predictions(
        run,
        [
            Prediction(
                "r1", TRICKY_RAW, PredictionStatus.OK, "FRA", 48.85, 2.35, CoordsSource.MODEL
            ),
            Prediction(
                "r2", "Germany", PredictionStatus.OK, "DEU", 51.0, 10.0, CoordsSource.COUNTRY_POINT
            ),
            Prediction("r3", "I cannot tell.", PredictionStatus.REFUSED),
            Prediction(
                "r4",
                "Australia, Sydney",
                PredictionStatus.OK,
                "AUS",
                -33.9,
                151.2,
                CoordsSource.MODEL,
            ),
        ],
    )


@pytest.fixture(scope="session", autouse=True)
def _no_default_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point GEOSCOPE_DB/GEOSCOPE_CACHE at a private folder for the whole session.

    The page tests set both per test (``app_env``, ``fresh_env``), and monkeypatch removes them
    again afterwards; a script run that AppTest left behind in its thread and that reaches
    ``ensure_database`` after that would otherwise create the default database and a 240-place
    demo inside the checkout (cache/), seen in CI while another test checked that folder.
    """
    root = tmp_path_factory.mktemp("no-default-db")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GEOSCOPE_DB", os.environ.get("GEOSCOPE_DB") or str(root / "geoscope.duckdb"))
        patch.setenv("GEOSCOPE_CACHE", os.environ.get("GEOSCOPE_CACHE") or str(root / "cache"))
        yield


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Build the shared read-only database once: demo (60 places) + the real run."""
    from analysis.demo import load_demo

    root = tmp_path_factory.mktemp("dash")
    store = Store(root / "geoscope.duckdb")
    load_demo(store, root / "cache", n_locations=60, seed=11)
    add_real_run(store)
    return root / "geoscope.duckdb", root / "cache"


@pytest.fixture()
def app_env(demo_db: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Point the dashboard at the shared demo database."""
    db, cache = demo_db
    monkeypatch.setenv("GEOSCOPE_DB", str(db))
    monkeypatch.setenv("GEOSCOPE_CACHE", str(cache))
    return db, cache


@pytest.fixture()
def fresh_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    """A database path that does not exist yet (first launch), in a private folder."""
    monkeypatch.setenv("GEOSCOPE_DB", str(tmp_path / "new.duckdb"))
    monkeypatch.setenv("GEOSCOPE_CACHE", str(tmp_path / "cache"))
    yield tmp_path / "new.duckdb", tmp_path / "cache"


_COMPONENTS: list[Any] = []  # this process's component manager, once found


def shared_components(at: AppTest) -> AppTest:
    """Give ``at`` the component manager found once in this process, and return ``at``.

    Each AppTest's first run scans the metadata of every installed package for Streamlit
    components (about 0.3 s of CPU beside torch and transformers). No test installs a package,
    so every scan finds the same; AppTest keeps the result on a private attribute, so where a
    Streamlit release renames it this does nothing and each AppTest scans as before.
    """
    if not hasattr(at, "_bidi_component_manager"):
        return at
    if not _COMPONENTS:
        from streamlit.components.v2.component_manager import BidiComponentManager

        manager = BidiComponentManager()
        manager.discover_and_register_components(start_file_watching=False)
        _COMPONENTS.append(manager)
    at._bidi_component_manager = _COMPONENTS[0]
    return at


def new_app(timeout: float = 120) -> AppTest:
    """An AppTest of app.py (imported lazily: streamlit is heavy)."""
    from streamlit.testing.v1 import AppTest

    return shared_components(AppTest.from_file(APP, default_timeout=timeout))


def decks(at: AppTest) -> list[dict[str, Any]]:
    """Every pydeck chart on the page as the JSON spec sent to the browser."""
    return [json.loads(e.proto.json) for e in at.get("deck_gl_json_chart")]


def layers_of(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {layer["id"]: layer for layer in spec["layers"]}


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "bdata" in value and "dtype" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        if "shape" in value:
            array = array.reshape([int(x) for x in str(value["shape"]).split(",")])
        return array.tolist()
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def figures(at: AppTest) -> list[dict[str, Any]]:
    """Every plotly chart's spec, with plotly's base64 arrays decoded to lists."""
    return [_decode(json.loads(e.proto.spec)) for e in at.get("plotly_chart")]


def assert_clean(at: AppTest) -> None:
    """No exception element and no 'unexpected error' message on the page."""
    assert not at.exception, [e.value for e in at.exception]
    unexpected = [e.value for e in at.error if "Unexpected error" in e.value]
    assert not unexpected, unexpected


# CommonMark: a backslash before ASCII punctuation shows that character (what inert() adds)
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def shown(markdown: str) -> str:
    """Return what the browser shows for Markdown that inert() escaped (AppTest sees source)."""
    unescaped = _ESCAPED.sub(r"\1", str(markdown)).replace("  \n", "\n")
    return unescaped.replace("\u2060", "")  # the word joiners that break autolinks are invisible


def texts(at: AppTest) -> str:
    """All visible text-ish element values joined (markdown, captions, text, titles)."""
    from streamlit.testing.v1.element_tree import Element

    parts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "text",
        "info",
        "warning",
        "error",
    ):
        for e in at.get(kind):
            assert isinstance(e, Element), e  # text-ish kinds are elements, never blocks
            parts.append(str(e.value) if kind == "text" else shown(e.value))
    return "\n".join(parts)


@pytest.fixture(autouse=True)
def _quiet_streamlit_logs() -> None:
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
