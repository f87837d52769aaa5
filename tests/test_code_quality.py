"""The tree stays lint-clean, and type-checks under mypy --strict with pandas-stubs.

mypy checks what pyproject.toml's [tool.mypy] ``files`` lists (analysis, pages, app.py and
tests), the same as a bare ``mypy`` at the project root; only packages that ship no types are
exempt from import checks, each named in its overrides.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from analysis.config import PROJECT_ROOT


def _tool(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (it comes with requirements-dev.txt)")


def test_ruff_finds_nothing() -> None:
    _tool("ruff")
    cmd = [sys.executable, "-m", "ruff", "check", "analysis", "pages", "app.py", "tests"]
    done = subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_mypy_strict_on_the_configured_files() -> None:
    _tool("mypy")
    # no path arguments: mypy checks pyproject's [tool.mypy] files, so the test and the config
    # cannot drift apart
    cmd = [sys.executable, "-m", "mypy", "--no-error-summary"]
    done = subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
