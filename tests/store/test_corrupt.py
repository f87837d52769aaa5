"""A database file that cannot be read is named as such, everywhere, and never written to."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analysis.cli import main
from analysis.errors import CorruptDatabaseError, StoreError
from analysis.store import DatasetMeta, Store

CLEAR = "is not a readable GeoScope database"
BLOCK_BYTES = 262144  # DuckDB's block size; the first 12 KB are the file headers


def _geoscope_db(path: Path) -> Path:
    """Write a real GeoScope database with enough rows to span several blocks."""
    n = 30_000
    samples = pd.DataFrame(
        {
            "sample_id": [f"img-{i:06d}.jpg" for i in range(n)],
            "true_lat": [(i % 180) - 89.5 for i in range(n)],
            "true_lon": [(i % 360) - 179.5 for i in range(n)],
            "image_path": [f"/photos/some/long/folder/name/img-{i:06d}.jpg" for i in range(n)],
        }
    )
    Store(path).ingest_samples(DatasetMeta("d", kind="manifest"), samples)
    return path


def _zero(path: Path) -> None:
    path.write_bytes(b"")


def _random(path: Path) -> None:
    path.write_bytes(os.urandom(100_000))


def _text(path: Path) -> None:
    path.write_text("sample_id,lat,lon\nx,1,2\n")


def _truncated(path: Path) -> None:
    data = _geoscope_db(path).read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _bad_blocks(path: Path) -> None:
    data = bytearray(_geoscope_db(path).read_bytes())
    for start in range(12288, len(data), BLOCK_BYTES):  # damage every data block, keep headers
        for i in range(start + 64, min(start + 4096, len(data))):
            data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def _foreign(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE invoices AS SELECT range AS id FROM range(10)")
    con.close()


DAMAGES: dict[str, Callable[[Path], None]] = {
    "zero-bytes": _zero,
    "random-bytes": _random,
    "csv-text": _text,
    "truncated": _truncated,
    "bad-checksums": _bad_blocks,
    "foreign-duckdb": _foreign,
}


@pytest.fixture(params=sorted(DAMAGES))
def damaged(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, bytes]:
    path = tmp_path / "geoscope.duckdb"
    DAMAGES[request.param](path)
    return path, path.read_bytes()


def test_store_names_the_file_and_leaves_it_alone(damaged: tuple[Path, bytes]) -> None:
    path, before = damaged
    store = Store(path, lock_timeout_s=0.5)
    with pytest.raises(CorruptDatabaseError, match=CLEAR) as err:
        store.list_datasets()
    assert str(path) in str(err.value)
    samples = pd.DataFrame({"sample_id": ["a"], "true_lat": [1.0], "true_lon": [2.0]})
    with pytest.raises(CorruptDatabaseError):
        Store(path, lock_timeout_s=0.5).ingest_samples(DatasetMeta("e", kind="manifest"), samples)
    assert path.read_bytes() == before
    assert not Path(f"{path}.wal").exists()


def test_cli_prints_the_message_without_traceback(
    damaged: tuple[Path, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    path, before = damaged
    for argv in (["datasets"], ["runs"], ["delete-dataset", "d"]):
        assert main(["--db", str(path), *argv]) == 1
        err = capsys.readouterr().err
        assert err.startswith("error: ") and CLEAR in err and str(path) in err
        assert "Traceback" not in err and "IOException" not in err
    assert path.read_bytes() == before


def test_a_locked_file_is_busy_not_corrupt(tmp_path: Path) -> None:
    path = _geoscope_db(tmp_path / "geoscope.duckdb")
    holder = duckdb.connect(str(path))  # read-write in this process: a read-only open must wait
    try:
        with pytest.raises(StoreError, match="locked") as err:
            Store(path, lock_timeout_s=0.2).list_datasets()
        assert not isinstance(err.value, CorruptDatabaseError)
    finally:
        holder.close()
    assert len(Store(path).dataset_samples("d")) == 30_000


def test_a_folder_given_as_database_is_named(tmp_path: Path) -> None:
    with pytest.raises(CorruptDatabaseError, match=f"{CLEAR}: it is a folder"):
        Store(tmp_path).list_datasets()
