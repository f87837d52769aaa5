"""Store.session(): one DuckDB instance for a batch of calls, with the lock that implies.

Whether two calls shared an instance is read off DuckDB itself: a ``SET GLOBAL`` lives as long
as the instance, so a second connection sees it only when the instance stayed open between them.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from analysis.config import PROJECT_ROOT
from analysis.errors import StoreError
from analysis.store import DatasetMeta, Store

PROBE = "default_null_order"


def _mark(store: Store) -> None:
    with store.reader() as con:
        con.execute(f"SET GLOBAL {PROBE} = 'nulls_first'")


def _marked(store: Store) -> bool:
    with store.reader() as con:
        row = con.execute(f"SELECT current_setting('{PROBE}')").fetchone()
    return row is not None and str(row[0]).lower() == "nulls_first"


def _samples(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sample_id": [f"s{i}" for i in range(n)],
            "true_lat": [10.0 + i for i in range(n)],
            "true_lon": [20.0 + i for i in range(n)],
            "true_country": ["FRA"] * n,
        }
    )


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    made = Store(tmp_path / "s.duckdb")
    made.ingest_samples(DatasetMeta(name="d", kind="csv"), _samples(3))
    return made


def test_calls_in_a_session_share_one_instance_and_calls_outside_do_not(store: Store) -> None:
    with store.session():
        _mark(store)
        assert _marked(store)  # the same instance answered both calls
        assert len(Store(store.path).dataset_samples("d")) == 3  # another Store object too
        assert _marked(store)
    assert not _marked(store)  # the session closed it: the next call built a new instance
    _mark(store)
    assert not _marked(store)  # without a session every call opens the file anew


def test_a_write_session_serves_reads_and_writes_and_keeps_them(store: Store) -> None:
    with store.session(write=True):
        store.ingest_samples(DatasetMeta(name="e", kind="csv"), _samples(2))
        assert len(store.dataset_samples("e")) == 2  # a read inside sees the write
        with store.session():  # a read session nests in a write one
            assert set(store.list_datasets()["name"]) == {"d", "e"}
    assert set(Store(store.path).list_datasets()["name"]) == {"d", "e"}


def test_a_write_inside_a_read_session_is_refused_at_once(store: Store) -> None:
    with store.session():
        with pytest.raises(StoreError, match="holds it open read-only"):
            store.ingest_samples(DatasetMeta(name="e", kind="csv"), _samples(1))
        with (
            pytest.raises(StoreError, match="already holds it read-only"),
            store.session(write=True),
        ):
            pass
        assert _marked(store) is False  # the outer session is intact and still usable
    assert set(store.list_datasets()["name"]) == {"d"}


def test_an_inner_session_leaves_the_outer_one_open(store: Store) -> None:
    with store.session():
        _mark(store)
        with store.session():
            assert _marked(store)
        assert _marked(store)  # the inner exit did not close the outer instance


def test_a_session_on_a_new_file_creates_the_schema(tmp_path: Path) -> None:
    fresh = Store(tmp_path / "new.duckdb")
    with fresh.session():
        assert fresh.list_datasets().empty
    assert fresh.path.exists()


WRITE_ONCE = textwrap.dedent(
    """
    import sys
    import pandas as pd
    from analysis.errors import StoreError
    from analysis.store import DatasetMeta, Store
    frame = pd.DataFrame({"sample_id": ["x"], "true_lat": [1.0], "true_lon": [2.0]})
    try:
        Store(sys.argv[1], lock_timeout_s=0.3).ingest_samples(
            DatasetMeta(name=sys.argv[2], kind="csv"), frame
        )
    except StoreError as exc:
        print(exc)
        sys.exit(3)
    """
)


def _write_from_another_process(path: Path, name: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WRITE_ONCE, str(path), name],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_session_holds_the_file_lock_until_it_ends(store: Store) -> None:
    with store.session():
        blocked = _write_from_another_process(store.path, "during")
    assert blocked.returncode == 3, blocked.stderr
    assert "locked by another process" in blocked.stdout
    after = _write_from_another_process(store.path, "after")
    assert after.returncode == 0, after.stdout + after.stderr
    assert set(store.list_datasets()["name"]) == {"d", "after"}
