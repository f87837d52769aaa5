"""Shared fixtures: the real third-party data in ../shared/data, temporary stores."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis.config import PROJECT_ROOT


def shared_data_dir() -> Path | None:
    """Return ../shared/data (or $GEOSCOPE_SHARED_DATA) if present."""
    candidate = Path(
        os.environ.get("GEOSCOPE_SHARED_DATA") or PROJECT_ROOT.parent / "shared" / "data"
    )
    return candidate if candidate.is_dir() else None


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data folder; fail loudly in CI when missing, skip elsewhere."""
    found = shared_data_dir()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("../shared/data is missing in CI (set GEOSCOPE_SHARED_DATA)")
        pytest.skip("real data folder ../shared/data not found (set GEOSCOPE_SHARED_DATA)")
    return found


def _module_rank(items: list[pytest.Item]) -> int:
    """0 for a module with real-browser tests, 1 for one with slow tests, 2 for the rest."""
    if any(item.get_closest_marker("browser") for item in items):
        return 0
    return 1 if any(item.get_closest_marker("slow") for item in items) else 2


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the longest modules first: browser modules, then modules with slow tests.

    With ``-n N --dist loadfile --no-loadscope-reorder`` (scripts/test.sh) pytest-xdist hands
    out whole modules in this order, so the long ones start at once and the many short ones
    fill the gaps beside them instead of leaving one long module running alone at the end.
    Tests keep their order inside a module.
    """
    by_module: dict[str, list[pytest.Item]] = {}
    for item in items:
        by_module.setdefault(item.nodeid.split("::", 1)[0], []).append(item)
    ordered = sorted(by_module.values(), key=_module_rank)  # stable: collection order otherwise
    items[:] = [item for module in ordered for item in module]


_EXIT_STATUS: dict[str, int] = {}


def _close_shared_browser() -> None:
    harness = sys.modules.get("tests.app.browser_support")  # loaded only by browser tests
    if harness is not None:
        harness.close_process_browser()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After the last of a row of real-browser tests, close the chromium they shared.

    Browser modules run first and one after another (see above), so one chromium serves them
    all; it must be gone before the others: Playwright's sync driver keeps an event loop running
    in this thread, and ``asyncio.run()`` refuses to start beside it.
    """
    result = yield  # the tests' own fixtures are torn down first
    if nextitem is None or nextitem.get_closest_marker("browser") is None:
        _close_shared_browser()
    return result


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Close a shared chromium still open; remember the exit status for the exit guard."""
    _close_shared_browser()
    _EXIT_STATUS["status"] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """After the summary, leave at once: nothing may keep a finished test run alive.

    ``GEOSCOPE_TEST_EXIT_GUARD=0`` turns the guard off (e.g. to debug a hang at exit).
    Only the main pytest process is guarded (not a worker of a plugin that forks).
    """
    if os.environ.get("GEOSCOPE_TEST_EXIT_GUARD", "1") == "0" or "status" not in _EXIT_STATUS:
        return
    if os.environ.get("PYTEST_XDIST_WORKER"):  # a worker reports to its controller, which guards
        return
    from tests.support.exit_guard import report_and_exit

    report_and_exit(_EXIT_STATUS["status"])
