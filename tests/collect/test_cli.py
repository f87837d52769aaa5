"""The collect command's help, registry and input checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.cli import main
from analysis.collect import COLLECT_SOURCES


@pytest.mark.parametrize("argv", [["collect"], ["collect", "streetview"], ["collect", "mapillary"]])
def test_help_has_examples(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([*argv, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert "examples:" in text and "python -m analysis collect" in text


def test_sources_are_registered_lazily_and_resolve() -> None:
    assert COLLECT_SOURCES.names() == ["streetview", "mapillary"]
    for name in COLLECT_SOURCES:
        source = COLLECT_SOURCES.get(name)
        assert source.name == name and source.licence


def test_bad_options_are_user_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["collect", "streetview", "--out", str(tmp_path / "o"), "--dry-run"]
    assert main([*base, "--countries", "FRA", "--size", "2000"]) == 1
    assert "--size" in capsys.readouterr().err
    assert main([*base, "--countries", "Narnia"]) == 1
    assert "Narnia" in capsys.readouterr().err
    assert main([*base, "--countries", "FRA", "--headings", "0,400"]) == 1
    assert main([*base, "--countries", "FRA", "--rpm", "-1"]) == 1
    with pytest.raises(SystemExit):  # --countries or --all-countries is required
        main(base)
