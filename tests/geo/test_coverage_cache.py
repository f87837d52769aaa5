"""The drawn country polygons are simplified once and read back from a content-addressed file."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely

from analysis.geo import coverage_cache
from analysis.geo.coverage_cache import cache_path, simplified_coverage
from analysis.geo.naturalearth import attributes_and_wkb

TOLERANCE_DEG = 0.12


@pytest.fixture(scope="module")
def wkb() -> list[bytes]:
    return list(attributes_and_wkb()[1])


def test_a_second_call_reads_the_file_instead_of_simplifying_again(
    wkb: list[bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = simplified_coverage(wkb, TOLERANCE_DEG, tmp_path)
    assert cache_path(tmp_path, wkb, TOLERANCE_DEG).is_file()

    def no_simplifying(*_args: object) -> None:
        raise AssertionError("simplified again although the result was on disk")

    monkeypatch.setattr(shapely, "coverage_simplify", no_simplifying)
    again = simplified_coverage(wkb, TOLERANCE_DEG, tmp_path)
    assert len(again) == len(first) == len(wkb)
    assert shapely.equals_exact(first, again).all()  # same shapes, same order


def test_the_file_name_changes_with_what_the_result_depends_on(wkb: list[bytes]) -> None:
    base = cache_path(Path("c"), wkb, TOLERANCE_DEG)
    assert cache_path(Path("c"), wkb, 0.2) != base
    assert cache_path(Path("c"), wkb[:-1], TOLERANCE_DEG) != base
    assert base.parent == Path("c") / coverage_cache.CACHE_SUBDIR


@pytest.mark.parametrize(
    "content",
    [b"", b"not wkb at all", shapely.to_wkb(shapely.Point(1, 2))],
    ids=["empty", "garbage", "wrong-geometry"],
)
def test_a_corrupt_file_is_recomputed_and_replaced(
    wkb: list[bytes], tmp_path: Path, content: bytes
) -> None:
    path = cache_path(tmp_path, wkb, TOLERANCE_DEG)
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    shapes = simplified_coverage(wkb, TOLERANCE_DEG, tmp_path)
    assert len(shapes) == len(wkb) and shapely.coverage_is_valid(shapes)
    assert len(shapely.get_parts(shapely.from_wkb(path.read_bytes()))) == len(wkb)


def test_a_folder_that_cannot_be_written_only_misses_the_cache(
    wkb: list[bytes], tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    shapes = simplified_coverage(wkb, TOLERANCE_DEG, blocker)
    assert len(shapes) == len(wkb)
    assert not list(tmp_path.glob("**/*.wkb"))
