"""Page notes and chart titles on simulated runs: all, none, or a mix with real ones."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.dashboard.simulated import (
    SIMULATED_MIX,
    SIMULATED_REMOVE,
    SIMULATED_WHAT,
    any_simulated,
    simulated_note,
    simulated_notice,
)


def test_simulated_note_names_all_simulated_and_mixed_charts() -> None:
    assert simulated_note([]) == ""
    assert simulated_note([False, float("nan"), None]) == ""  # unknown is not simulated
    assert simulated_note(pd.Series([True, True]).tolist()) == "(SIMULATED data)"
    assert simulated_note([np.True_, False]) == "(includes SIMULATED runs)"


def test_a_page_mixing_real_and_demo_runs_does_not_call_them_all_fake() -> None:
    mixed = simulated_notice([True, False])
    assert mixed.startswith(SIMULATED_MIX) and "not real results" not in mixed
    assert "real results" in mixed  # the real runs are named as real
    only_demo = simulated_notice(pd.Series([True, np.True_]))
    assert only_demo.startswith(SIMULATED_WHAT) and "not real results" in only_demo
    assert simulated_notice([False, None, float("nan")]) == ""
    assert simulated_notice([]) == ""


def test_the_audience_is_not_told_how_to_remove_the_demo() -> None:
    for flags in ([True], [True, False]):
        assert simulated_notice(flags).endswith(SIMULATED_REMOVE)
        assert SIMULATED_REMOVE not in simulated_notice(flags, for_audience=True)
    assert any_simulated([False, np.True_]) and not any_simulated([None, False])
