"""docs/extending.md followed to the letter in a copy of the project: every recipe works.

The guide's ``# file:`` blocks are written to the paths they name and its ``# add to:`` blocks
appended to theirs, in a temporary copy of analysis/, pages/, app.py, models.toml and
.streamlit/. Every check runs in a subprocess whose cwd and PYTHONPATH are the copy, so the
copy's ``analysis`` shadows the installed one and nothing registered leaks into this process.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.datasets import make_samples

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "extending.md"
COPIED = ("analysis", "pages", "app.py", "models.toml", ".streamlit")
# the recipe headings, in the guide's order
RECIPES = ("A metric", "A model adapter", "A prompt strategy", "A dataset format",
           "A dashboard page")  # fmt: skip
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
MARKER = re.compile(r"^#\s*(file|add to):\s*(\S+)\s*$")

RESULTS_CSV = """sample_id,true_lat,true_lon,pred_lat,pred_lon,pred_country
paris,48.8566,2.3522,48.8566,2.3522,France
lyon,45.7640,4.8357,48.8566,2.3522,France
nyc,40.7128,-74.0060,51.5074,-0.1278,United Kingdom
"""
POINTS = "#points\nparis 48.8566 2.3522\ntokyo 35.6762 139.6503\nbroken line\n"

pytestmark = pytest.mark.slow


@dataclass
class Recipe:
    """One recipe of the guide: the files it creates and the lines it registers."""

    heading: str
    files: dict[str, str] = field(default_factory=dict)
    additions: list[tuple[str, str]] = field(default_factory=list)


def parse_guide(text: str) -> dict[str, Recipe]:
    """Return each recipe's marked code blocks; raise AssertionError for an incomplete recipe."""
    sections = re.split(r"^## (?:\d+\.\s*)?(.+)$", text, flags=re.MULTILINE)
    recipes: dict[str, Recipe] = {}
    for heading, body in zip(sections[1::2], sections[2::2], strict=True):
        if heading.strip() not in RECIPES:
            continue
        recipe = Recipe(heading.strip())
        for _lang, block in FENCE.findall(body):
            first, _, rest = block.partition("\n")
            marked = MARKER.match(first)
            if marked is None:
                continue  # a shell example or a fragment: not a step
            kind, path = marked.groups()
            if kind == "file":
                recipe.files[path] = rest
            else:
                recipe.additions.append((path, rest))
        recipes[recipe.heading] = recipe
    for heading in RECIPES:
        found = recipes.get(heading)
        assert found is not None, f"docs/extending.md has no recipe {heading!r}"
        assert found.files, f"recipe {heading!r}: no '# file:' block"
        assert found.additions, f"recipe {heading!r}: no '# add to:' block"
    return recipes


def apply_guide(recipes: dict[str, Recipe], root: Path) -> None:
    """Write every documented file and append every registration block, as a reader would."""
    for recipe in recipes.values():
        for rel, text in recipe.files.items():
            target = root / rel
            assert not target.exists(), f"{rel} would overwrite a file of the project"
            target.write_text(text, encoding="utf-8")
        for rel, text in recipe.additions:
            target = root / rel
            assert target.is_file(), f"recipe {recipe.heading!r} adds to a missing file {rel}"
            with target.open("a", encoding="utf-8") as out:
                out.write("\n\n" + text)  # two blank lines: the file may end with a function


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with every recipe of the guide applied."""
    root = tmp_path_factory.mktemp("guide") / "project"
    root.mkdir()
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=skip)
        elif source.exists():
            shutil.copy2(source, root / name)
    apply_guide(parse_guide(GUIDE.read_text(encoding="utf-8")), root)
    return root


def _env(copy: Path) -> dict[str, str]:
    work = copy.parent
    # no GEOSCOPE_MODELS: the copy's own models.toml (where the guide adds the preset) is read
    outer = {k: v for k, v in os.environ.items() if not k.startswith("GEOSCOPE_")}
    return {
        **outer,
        "PYTHONPATH": str(copy),
        "GEOSCOPE_DB": str(work / "guide.duckdb"),
        "GEOSCOPE_CACHE": str(work / "cache"),
    }


def _python(copy: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run python in the copy; fail with its output when it fails."""
    done = subprocess.run(
        [sys.executable, *args], cwd=copy, env=_env(copy), capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


def _cli(copy: Path, *args: str) -> str:
    return _python(copy, "-m", "analysis", *args).stdout


def _code(copy: Path, source: str) -> str:
    return _python(copy, "-c", textwrap.dedent(source)).stdout


def test_the_copy_uses_its_own_analysis(copy: Path) -> None:
    out = _code(copy, "import analysis; print(analysis.__file__)")
    assert Path(out.strip()).resolve().is_relative_to(copy.resolve())


def test_the_documented_code_passes_the_linter(copy: Path) -> None:
    recipes = parse_guide(GUIDE.read_text(encoding="utf-8"))
    paths = {p for r in recipes.values() for p in [*r.files, *(a for a, _ in r.additions)]}
    python = sorted(p for p in paths if p.endswith(".py"))
    config = ["--config", str(ROOT / "pyproject.toml")]
    for command in (["check"], ["format", "--check"]):
        done = subprocess.run(
            [sys.executable, "-m", "ruff", *command, *config, *python], cwd=copy,
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr


def test_a_missing_marker_or_block_is_reported() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert parse_guide(text)
    unmarked = text.replace("# file: analysis/metrics/my_metric.py", "# analysis/metrics/my.py")
    with pytest.raises(AssertionError, match="A metric.*'# file:'"):
        parse_guide(unmarked)
    no_line = text.replace("# add to: analysis/prompts/__init__.py", "# analysis/prompts")
    with pytest.raises(AssertionError, match="A prompt strategy.*'# add to:'"):
        parse_guide(no_line)
    gone = re.sub(r"^## 5\. A dashboard page$", "## 5. Pages", text, flags=re.MULTILINE)
    with pytest.raises(AssertionError, match="no recipe 'A dashboard page'"):
        parse_guide(gone)


def test_metric_recipe(copy: Path) -> None:
    csv = copy.parent / "results.csv"
    csv.write_text(RESULTS_CSV, encoding="utf-8")
    assert "imported 3 predictions" in _cli(copy, "import", str(csv), "--run", "mine")
    out = json.loads(_cli(copy, "metrics", "--run", "mine", "--json", "--resamples", "50"))
    assert out["acc_100km"] == pytest.approx(1 / 3)  # Paris only: Lyon is 392 km off
    assert "acc_100km" in out["ci"]
    assert "Within 100 km" in _cli(copy, "metrics", "--run", "mine", "--no-ci")
    shown = _code(
        copy,
        """
        import json, os
        from analysis.dashboard import leaderboard as lbm
        from analysis.store import Store

        store = Store(os.environ["GEOSCOPE_DB"])
        runs = store.list_runs()
        lb = lbm.leaderboard_frame(runs, {"mine": lbm.summarize_run(store.run_frame("mine"),
                                                                   "mine", n_resamples=20)})
        print(json.dumps({
            "headline": list(lbm.headline_frame(lb, lbm.headline_metrics())),
            "titles": [c.title for c in lbm.headline_columns(lbm.headline_metrics()).values()],
            "table": list(lbm.display_table(lb, lbm.headline_metrics())),
            "csv": list(lbm.export_frame(lb)),
        }))
        """,
    )
    tables = json.loads(shown)
    assert tables["headline"][-1] == "acc_100km" and tables["titles"][-1] == "≤100 km"
    assert "Within 100 km" in tables["table"]
    assert {"acc_100km", "acc_100km_ci95_low", "acc_100km_ci95_high"} <= set(tables["csv"])


def _photos(folder: Path) -> Path:
    """Write two small photos with a manifest naming them; return the manifest."""
    samples = make_samples(folder, 2)
    rows = [f"{s.sample_id},{s.lat},{s.lon},{s.path.name}" for s in samples]
    manifest = folder / "manifest.csv"
    manifest.write_text("sample_id,lat,lon,image_path\n" + "\n".join(rows) + "\n")
    return manifest


def test_adapter_recipe(copy: Path) -> None:
    _cli(copy, "import-dataset", str(_photos(copy.parent / "places")), "--name", "places")
    assert re.search(r"my-model\b.*available", _cli(copy, "models"))
    out = _cli(copy, "run", "--dataset", "places", "--model", "my-model", "--form", "coords",
               "--no-progress")  # fmt: skip
    assert "2 answered now (ok 2)" in out
    metrics = json.loads(_cli(copy, "metrics", "--run", "places:my-model:basic:coords", "--json",
                              "--no-ci"))  # fmt: skip
    assert metrics["n"] == 2 and metrics["country_accuracy"] == 0.5  # Paris right, Tokyo wrong


def test_prompt_recipe(copy: Path) -> None:
    out = _code(
        copy,
        """
        from analysis.prompts import PROMPTS, get_prompt
        from analysis.types import Sample

        print(PROMPTS.names())
        sample = Sample(sample_id="s1", true_lat=0.0, true_lon=0.0, image_path="x.jpg")
        print(get_prompt("my_prompt").render(sample, form="coords").as_text())
        """,
    )
    assert "'my_prompt'" in out and "road markings" in out and '"lat"' in out
    _cli(copy, "import-dataset", str(_photos(copy.parent / "prompted")), "--name", "prompted")
    dry = _cli(copy, "run", "--dataset", "prompted", "--model", "my-model", "--prompt",
               "my_prompt", "--dry-run")  # fmt: skip
    assert "my_prompt" in dry


def test_dataset_format_recipe(copy: Path) -> None:
    points = copy.parent / "cities.points"
    points.write_text(POINTS, encoding="utf-8")
    out = _cli(copy, "import-dataset", str(points), "--name", "cities")
    assert "(my_format): 2 samples" in out
    listed = json.loads(_cli(copy, "datasets", "--json"))
    assert any(d.get("name") == "cities" for d in listed)


def test_page_recipe(copy: Path) -> None:
    out = _code(
        copy,
        """
        from streamlit.testing.v1 import AppTest
        from pages._registry import page_by_url

        spec = page_by_url("my-page")
        at = AppTest.from_file("app.py", default_timeout=120)
        at.run()
        at.switch_page(spec.file)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        print("TITLE", [t.value for t in at.title])
        """,
    )
    assert "TITLE ['My page']" in out
