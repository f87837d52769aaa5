"""Store.session(): one DuckDB instance for a batch of calls, with the lock that implies.

Whether two calls shared an instance is read off DuckDB itself: a ``SET GLOBAL`` lives as long
as the instance, so a second connection sees it only when the instance stayed open between them.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
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
            pytest.raises(StoreError, match="this thread holds it open read-only"),
            store.session(write=True),
        ):
            pass
        assert _marked(store) is False  # the outer session is intact and still usable
    assert set(store.list_datasets()["name"]) == {"d"}


def test_another_threads_write_waits_for_a_read_session_instead_of_failing(store: Store) -> None:
    inside = threading.Event()
    times: dict[str, float] = {}
    problems: list[BaseException] = []

    def write() -> None:
        inside.wait(30)
        try:
            store.ingest_samples(DatasetMeta(name="e", kind="csv"), _samples(1))
            times["written"] = time.monotonic()
        except BaseException as exc:  # noqa: BLE001 - reported below
            problems.append(exc)

    writer = threading.Thread(target=write)
    writer.start()
    with store.session():
        inside.set()
        time.sleep(0.5)  # the writer is waiting on the lock meanwhile
        times["ended"] = time.monotonic()
    writer.join(30)
    assert problems == []
    assert times["written"] >= times["ended"]  # it waited for the session, then wrote
    assert set(store.list_datasets()["name"]) == {"d", "e"}


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


def _version_1_file(path: Path) -> None:
    """A database as the first GeoScope release wrote it (schema version 1 only)."""
    import duckdb

    from analysis.store.schema import MIGRATIONS

    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE schema_version (version INTEGER NOT NULL, "
        "applied_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp())"
    )
    MIGRATIONS[0][1](con)
    con.execute("INSERT INTO schema_version (version) VALUES (1)")
    con.close()


@pytest.mark.parametrize("first_call", ["read", "write", "session"])
def test_an_old_file_is_migrated_by_whatever_call_comes_first(
    tmp_path: Path, first_call: str
) -> None:
    from analysis.store.schema import SCHEMA_VERSION

    path = tmp_path / "old.duckdb"
    _version_1_file(path)
    old = Store(path)
    if first_call == "read":
        assert old.list_runs().empty  # a read-only first call cannot migrate in its own hold
    elif first_call == "write":
        old.ingest_samples(DatasetMeta(name="e", kind="csv"), _samples(1))
    else:
        with old.session():
            assert old.list_datasets().empty
    assert Store(path).schema_version() == SCHEMA_VERSION
