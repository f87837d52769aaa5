"""Write the static report: index.html + plotly.min.js beside it + figures/*.png (+ zip).

The page needs no network: plotly.js is one file in the report folder (written once, ~4.7 MB,
shared by every figure) and no tag points at an http(s) URL. Chart PNGs come from kaleido with
one browser session for all figures; map PNGs from the Pillow renderer (no browser).
"""

from __future__ import annotations

import html
import io
import logging
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

import pandas as pd

from analysis.dashboard.data import name_lookup
from analysis.report.clues import clue_section
from analysis.report.figures import Figure, Section, report_sections
from analysis.store import Store

LOG = logging.getLogger(__name__)
PLOTLY_JS = "plotly.min.js"
FIGURES_DIR = "figures"
PNG_WIDTH_PX = 1600

_CSS = """
body { font-family: 'DejaVu Sans', 'Source Sans Pro', Arial, sans-serif; margin: 2rem auto;
       max-width: 1500px; color: #111; padding: 0 1.5rem; }
h1 { font-size: 2.2rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; font-size: 0.95rem; margin: 1rem 0; }
th, td { border: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: left; white-space: nowrap; }
th { background: #f3f4f6; } .note { color: #555; } .sim { color: #b45309; font-weight: bold; }
.figure { margin: 1.5rem 0; } .png { font-size: 0.9rem; }
"""


@dataclass
class ReportResult:
    """What ``build_report`` wrote: the page, the PNGs, and what could not be rendered."""

    index: Path
    pngs: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _table_html(frame: pd.DataFrame) -> str:
    """Render a table with every cell escaped (run names and answers are untrusted)."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _slug(text: str) -> str:
    keep = "".join(c if c.isalnum() or c in "-_" else "-" for c in text)
    return keep.strip("-")[:80] or "figure"


def _render_pngs(figures: list[Figure], folder: Path, problems: list[str]) -> list[Path]:
    """Write one PNG per figure: maps from Pillow, charts from kaleido in one browser session."""
    from analysis.viz.export import figure_png, static_export_problem

    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    problem = static_export_problem()
    charts = [f for f in figures if f.map_png is None]
    if problem and charts:
        problems.append(f"chart PNGs skipped: {problem}")
    server = False
    if charts and problem is None:
        import kaleido

        kaleido.start_sync_server(silence_warnings=True)  # one Chromium for every chart
        server = True
    try:
        for fig in figures:
            path = folder / f"{_slug(fig.slug)}.png"
            if fig.map_png is not None:
                path.write_bytes(fig.map_png)
            elif problem is None:
                try:
                    path.write_bytes(figure_png(fig.fig, width=PNG_WIDTH_PX))
                except Exception as exc:  # noqa: BLE001 - one bad figure must not sink the rest
                    problems.append(f"{fig.slug}.png: {exc}")
                    continue
            else:
                continue
            written.append(path)
    finally:
        if server:
            import kaleido

            kaleido.stop_sync_server(silence_warnings=True)
    return written


def _page(sections: list[Section], info: dict[str, object], pngs: set[str]) -> str:
    """Assemble the HTML page: escaped text, figure divs, links to the PNGs."""
    labels = info["labels"]
    assert isinstance(labels, dict)
    runs = ", ".join(f"{labels[r]} ({r})" for r in labels)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<title>GeoScope report</title>",
        f"<style>{_CSS}</style>",
        f"<script src='{PLOTLY_JS}'></script></head><body>",
        "<h1>GeoScope report</h1>",
        f"<p>Runs: {html.escape(runs)}. Datasets: "
        f"{html.escape(', '.join(map(str, info['datasets'])))}. Built {stamp}.</p>",  # type: ignore[call-overload]
    ]
    if info.get("simulated"):
        parts.append("<p class='sim'>Includes SIMULATED runs: not real results.</p>")
    for section in sections:
        parts.append(f"<h2>{html.escape(section.heading)}</h2>")
        if section.intro:
            parts.append(f"<p class='note'>{html.escape(section.intro)}</p>")
        for title, table in section.tables:
            parts.append(f"<h3>{html.escape(title)}</h3>{_table_html(table)}")
        for fig in section.figures:
            div = fig.fig.to_html(
                full_html=False,
                include_plotlyjs=False,
                config={"displaylogo": False, "responsive": True},
                div_id=f"fig-{_slug(fig.slug)}",
            )
            png = f"{FIGURES_DIR}/{_slug(fig.slug)}.png"
            link = (
                f"<p class='png'><a href='{html.escape(png)}'>PNG for slides</a></p>"
                if png in pngs
                else ""
            )
            note = f"<p class='note'>{html.escape(fig.caption)}</p>" if fig.caption else ""
            parts.append(f"<div class='figure'>{div}{note}{link}</div>")
    parts.append("</body></html>")
    return "\n".join(parts)


def build_report(
    store: Store, runs: Sequence[str], out_dir: Path | str, *, png: bool = True
) -> ReportResult:
    """Write the report of ``runs`` into ``out_dir`` (created); return what was written."""
    from plotly.offline import get_plotlyjs

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sections, info = report_sections(store, list(runs))
    labels = info["labels"]
    assert isinstance(labels, dict)
    sections.append(clue_section(store, list(runs), labels, name_lookup()))
    problems: list[str] = []
    figures = [f for s in sections for f in s.figures]
    pngs = _render_pngs(figures, out / FIGURES_DIR, problems) if png else []
    (out / PLOTLY_JS).write_text(get_plotlyjs(), encoding="utf-8")
    relative = {p.relative_to(out).as_posix() for p in pngs}
    index = out / "index.html"
    index.write_text(_page(sections, info, relative), encoding="utf-8")
    for problem in problems:
        LOG.warning("report: %s", problem)
    return ReportResult(index, pngs, problems)


def report_zip(store: Store, runs: Sequence[str], *, png: bool = True) -> bytes:
    """Build the report in a temporary folder and return it as zip bytes (``report/...``)."""
    buffer = io.BytesIO()
    with TemporaryDirectory(prefix="geoscope-report-") as tmp:
        root = Path(tmp) / "report"
        build_report(store, runs, root, png=png)
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(Path(tmp)).as_posix())
    return buffer.getvalue()
