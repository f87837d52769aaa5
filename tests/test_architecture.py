"""Architecture rules the code must keep: checked here, not left to goodwill.

- import-linter contracts in ``.importlinter``: the layers of docs/architecture.md, and no
  streamlit anywhere in ``analysis``;
- the module size budget (STYLE.md: split a module by concern before it grows past it).
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.config import PROJECT_ROOT

LINE_BUDGET = 450
# Data tables, not logic: long by nature, and splitting them would only scatter one table.
OVER_BUDGET_ALLOWED = {"analysis/geo/aliases.py"}


def _python_files() -> list[Path]:
    files = sorted((PROJECT_ROOT / "analysis").rglob("*.py"))
    files += sorted((PROJECT_ROOT / "pages").glob("*.py")) + [PROJECT_ROOT / "app.py"]
    return files


def _imports(source: str) -> list[tuple[int, str]]:
    """Return (line, module) for every import statement in ``source``, nested ones included."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
    return found


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        found = shutil.which("lint-imports")
        assert found, "import-linter is not installed (pip install -r requirements-dev.txt)"
        lint = Path(found)
    done = subprocess.run(
        [str(lint), "--config", str(PROJECT_ROOT / ".importlinter"), "--no-cache"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_no_module_of_analysis_imports_streamlit_even_lazily() -> None:
    """import-linter sees imports inside functions too, but check the source plainly as well."""
    offenders = []
    for path in sorted((PROJECT_ROOT / "analysis").rglob("*.py")):
        for line, name in _imports(path.read_text(encoding="utf-8")):
            if name == "streamlit" or name.startswith("streamlit."):
                offenders.append(f"{path.relative_to(PROJECT_ROOT)}:{line}")
    assert not offenders, f"analysis/ must not import streamlit: {offenders}"


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_module_stays_within_the_line_budget(path: Path) -> None:
    relative = str(path.relative_to(PROJECT_ROOT))
    lines = len(path.read_text(encoding="utf-8").splitlines())
    if relative in OVER_BUDGET_ALLOWED:
        return
    assert (
        lines <= LINE_BUDGET
    ), f"{relative} has {lines} lines (budget {LINE_BUDGET}): split it by concern"


def test_page_helpers_import_one_way() -> None:
    """pages/_ui.py (drawing) may use pages/_shared.py (caching), never the reverse: no cycle."""
    tree = ast.parse((PROJECT_ROOT / "pages" / "_shared.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
            imported.update(f"{node.module}.{a.name}" for a in node.names)
    assert not {"pages._ui", "pages.ui"} & imported


PAGE_FUNCTION_BUDGET = 100


def test_page_functions_stay_short() -> None:
    """A page is a thin drawing layer: any function over 100 lines is split into sections."""
    long = []
    for path in sorted((PROJECT_ROOT / "pages").glob("*.py")) + [PROJECT_ROOT / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                span = (node.end_lineno or node.lineno) - node.lineno + 1
                if span > PAGE_FUNCTION_BUDGET:
                    long.append(f"{path.name}:{node.name} ({span} lines)")
    assert not long, f"page functions over {PAGE_FUNCTION_BUDGET} lines: {long}"


def test_dashboard_uses_only_public_streamlit_api() -> None:
    """No page reaches into Streamlit internals (runtime, PagesManager…): they change unannounced."""
    private = []
    for path in sorted((PROJECT_ROOT / "pages").glob("*.py")) + [PROJECT_ROOT / "app.py"]:
        source = path.read_text(encoding="utf-8")
        private += [
            f"{path.name}:{line} {name}"
            for line, name in _imports(source)
            if name.startswith("streamlit.") and name != "streamlit.components.v1"
        ]
        if "PagesManager" in source:
            private.append(f"{path.name}: PagesManager")
    assert not private, private
