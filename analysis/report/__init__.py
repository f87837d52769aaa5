"""Static report: leaderboard, failure map, choropleth, confusion and comparison, offline HTML + PNG.

``build_report(store, runs, out_dir)`` writes ``out_dir/index.html`` (opens from disk with no
network: plotly.js sits beside it), and one PNG per figure in ``out_dir/figures/``;
``report_zip`` packs the same into a zip for the dashboard's download button.
"""

from __future__ import annotations

from analysis.report.build import ReportResult, build_report, report_zip

__all__ = ["ReportResult", "build_report", "report_zip"]
