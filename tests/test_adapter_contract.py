"""The adapter contract is enforced by code: base class, registry check, capabilities, no names.

An adapter written exactly as docs/models.md says (a ``ModelAdapter`` subclass in its own module,
one registry line, a preset) runs end to end through ``python -m analysis run``; a class that
does not subclass the base is refused with a clear error; and no adapter's name is tested
anywhere outside its own module and the registry lines (callers use its capabilities).
"""

from __future__ import annotations

import ast
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.errors import RegistryError
from analysis.models import MODELS
from analysis.store import Store
from tests.support.datasets import ingest, make_samples

ROOT = Path(__file__).resolve().parent.parent

# Written as docs/models.md ("Writing an adapter") shows it, nothing more.
MINIMAL_ADAPTER = '''
from analysis.models.base import Capabilities, CostModel, ModelAdapter, ModelResponse


class ParisAdapter(ModelAdapter):
    """Answer Paris for every photo (a stand-in for a real model)."""

    CAPABILITIES = Capabilities(cost_model=CostModel.FREE)

    async def complete(self, messages, images, *, sample=None):
        """Answer one prompt about the images."""
        assert images and images[-1].data, "the query image arrives as bytes"
        return ModelResponse(text='{"country": "France", "lat": 48.8566, "lon": 2.3522}')
'''


@pytest.fixture
def temporary_adapter(tmp_path: Path) -> Iterator[str]:
    """Put the minimal adapter in a module of its own and register it for this test only."""
    package = tmp_path / "contract_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "paris_adapter.py").write_text(textwrap.dedent(MINIMAL_ADAPTER))
    sys.path.insert(0, str(tmp_path))
    MODELS.register("paris_test", "contract_pkg.paris_adapter:ParisAdapter")
    try:
        yield "paris_test"
    finally:
        MODELS._entries.pop("paris_test", None)  # the registry has no public removal: tests only
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith("contract_pkg")]:
            del sys.modules[name]


def test_an_adapter_written_as_documented_runs_end_to_end(
    temporary_adapter: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GEOSCOPE_CACHE", str(tmp_path / "cache"))
    samples = make_samples(tmp_path / "images", 3)
    db = tmp_path / "db.duckdb"
    ingest(Store(db), "syn", samples)
    models = tmp_path / "models.toml"
    models.write_text(f'[models.paris]\nadapter = "{temporary_adapter}"\nmodel = "paris-1"\n')
    assert main(["--db", str(db), "models", "--models", str(models)]) == 0
    assert "available" in capsys.readouterr().out
    args = ["--db", str(db), "run", "--dataset", "syn", "--model", "paris", "--form", "coords"]
    assert main([*args, "--models", str(models), "--no-progress"]) == 0
    assert "3 answered now (ok 3)" in capsys.readouterr().out
    frame = Store(db).run_frame("syn:paris:basic:coords")
    assert list(frame["pred_country"]) == ["FRA"] * 3
    assert frame["distance_km"].notna().all()


def test_a_class_that_does_not_subclass_the_base_is_refused(tmp_path: Path) -> None:
    class Duck:
        """Has the methods, not the base: from_preset and capabilities would be missing."""

        async def complete(self, messages: object, images: object) -> None:
            """Answer nothing."""

    with pytest.raises(RegistryError, match="does not subclass analysis.models.base.ModelAdapter"):
        MODELS.register("duck_test", Duck)  # type: ignore[arg-type]
    assert "duck_test" not in MODELS
    MODELS.register("lazy_duck_test", "tests.test_adapter_contract:_LazyDuck")
    try:
        with pytest.raises(RegistryError, match="lazy_duck_test.*does not subclass"):
            MODELS.get("lazy_duck_test")
    finally:
        MODELS._entries.pop("lazy_duck_test", None)


class _LazyDuck:
    """Registered lazily by the test above: refused when first resolved."""


def _adapter_modules() -> dict[str, Path]:
    """Return each registered adapter's name and the file its class lives in."""
    modules = {}
    for name in MODELS.names():
        entry = MODELS._entries[name]
        module = entry.partition(":")[0] if isinstance(entry, str) else entry.__module__
        modules[name] = ROOT / (module.replace(".", "/") + ".py")
    return modules


def _python_files() -> Iterator[Path]:
    yield ROOT / "app.py"
    for folder in ("analysis", "pages"):
        yield from sorted((ROOT / folder).rglob("*.py"))


def test_no_adapter_name_is_tested_outside_its_own_module() -> None:
    modules = _adapter_modules()
    registry = ROOT / "analysis" / "models" / "__init__.py"
    offenders = []
    for path in _python_files():
        if path == registry:
            continue  # the registry lines name every adapter
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            own = modules.get(node.value)
            if own is not None and own != path:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert not offenders, "branch on Capabilities, not on adapter names:\n" + "\n".join(offenders)
