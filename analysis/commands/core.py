"""Core commands: import, import-dataset, metrics, runs, datasets, compare, export, deletes.

Heavy modules (pandas, the store, metrics) are imported inside handlers so ``--help`` is fast.
Names and flags here are a contract users script against (docs/cli.md): add, never rename.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.errors import InputError
from analysis.registry import LiveNames

if TYPE_CHECKING:
    import pandas as pd

    from analysis.store import Store

BY_COLUMNS = {"country": "true_country", "continent": "true_continent", "heading": "heading"}


def _store(args: argparse.Namespace) -> Store:
    from analysis.config import Settings
    from analysis.store import Store

    return Store(Settings.from_env(db=args.db).db_path)


def _clean(value: Any) -> Any:
    """Make a value JSON-safe: NaN/inf -> null, numpy scalars -> Python, timestamps -> text."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is not None and not isinstance(value, str | int | float | bool):
        try:
            import pandas as pd

            if pd.isna(value):
                return None
        except (TypeError, ValueError):
            pass
        return str(value)
    return value


def _print_json(obj: Any) -> None:
    print(json.dumps(_clean(obj), indent=2, ensure_ascii=False))


def _print_frame(frame: pd.DataFrame, columns: list[str]) -> None:
    shown = frame[[c for c in columns if c in frame.columns]]
    if shown.empty:
        print("(none)")
        return
    print(shown.to_string(index=False))


# -- import -----------------------------------------------------------------------------------
def _cmd_import(args: argparse.Namespace) -> int:
    from analysis.config import Settings
    from analysis.importers import ImportOptions, import_predictions
    from analysis.importers.limits import ImportLimits
    from analysis.importers.source import parse_column_map
    from analysis.store import Store

    settings = Settings.from_env(db=args.db)
    options = ImportOptions(
        run=args.run or "",
        dataset=args.dataset,
        model=args.model,
        column_map=parse_column_map(args.map),
        replace=args.replace,
        notes=args.notes,
        limits=ImportLimits.from_settings(settings),
    )
    report = import_predictions(Store(settings.db_path), Path(args.file), options, args.format)
    if report.unchanged:
        print(f"run {report.run!r} already holds this file ({report.n_predictions} predictions); "
              "nothing changed")  # fmt: skip
    else:
        created = (
            f"; created dataset {report.dataset!r} with {report.n_samples_added} samples"
            if report.dataset_created
            else f" on dataset {report.dataset!r}"
        )
        print(f"imported {report.n_predictions} predictions as run {report.run!r}{created}")
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def _cmd_import_dataset(args: argparse.Namespace) -> int:
    from analysis.config import Settings
    from analysis.datasets import import_dataset
    from analysis.importers.limits import ImportLimits
    from analysis.importers.source import parse_column_map
    from analysis.store import Store

    settings = Settings.from_env(db=args.db)
    report = import_dataset(
        Store(settings.db_path),
        Path(args.path),
        args.name,
        args.format,
        split=args.split,
        column_map=parse_column_map(args.map),
        image_root=Path(args.image_root) if args.image_root else None,
        hash_images=not args.no_hash,
        replace=args.replace,
        limits=ImportLimits.from_settings(settings),
    )
    state = "already imported, nothing changed" if report.unchanged else "imported"
    print(f"dataset {report.name!r} ({report.kind}): {report.n_samples} samples, "
          f"{report.n_locations} locations, {report.n_countries} countries; {state}")  # fmt: skip
    if report.skipped:
        print(f"skipped {len(report.skipped)} files:", file=sys.stderr)
        for line in report.skipped[:20]:
            print(f"  - {line}", file=sys.stderr)
    return 0


# -- metrics ----------------------------------------------------------------------------------
def _format_value(value: float, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if unit == "share":
        return f"{100 * value:.1f}%"
    if unit == "count":
        return f"{int(value)}"
    return f"{value:,.1f}" + (" km" if unit == "km" else "")


def _cmd_metrics(args: argparse.Namespace) -> int:
    from analysis.metrics import METRICS, bootstrap_ci, breakdown, compute_metrics

    store = _store(args)
    info = store.run_info(args.run)
    frame = store.run_frame(args.run)
    values = compute_metrics(frame)
    cis = {} if args.no_ci or frame.empty else bootstrap_ci(
        frame, n_resamples=args.resamples, seed=args.seed, level=args.level
    )  # fmt: skip
    table = None
    if args.by:
        table = breakdown(frame, BY_COLUMNS[args.by])
    if args.json:
        out: dict[str, Any] = {"run": args.run, "dataset": info["dataset"], "model": info["model"]}
        out.update(values)
        out["n"] = int(values.get("n", len(frame)))  # a count, not a float
        out["ci"] = {k: {"estimate": c.estimate, "low": c.low, "high": c.high}
                     for k, c in cis.items()}  # fmt: skip
        out["ci_level"] = args.level
        out["ci_resamples"] = 0 if args.no_ci else args.resamples
        if table is not None:
            out["breakdown"] = {"by": args.by, "rows": table.to_dict(orient="records")}
        _print_json(out)
        return 0
    print(f"run {args.run!r} (dataset {info['dataset']!r}, model {info['model'] or '-'})")
    level = f"{100 * args.level:g}% CI"
    print(f"{'metric':<26}{'value':>12}  {level}")
    for name in METRICS.names():
        spec = METRICS.get(name)
        value = values.get(name, math.nan)
        interval = ""
        if name in cis and spec.resample:
            ci = cis[name]
            lo, hi = _format_value(ci.low, spec.unit), _format_value(ci.high, spec.unit)
            interval = f"[{lo}, {hi}]"
        print(f"{spec.label:<26}{_format_value(value, spec.unit):>12}  {interval}")
    if table is not None:
        print(f"\nby {args.by}:")
        print(_breakdown_text(table, BY_COLUMNS[args.by]))
    return 0


_BREAKDOWN_METRICS = ("n", "country_accuracy", "acc_25km", "acc_750km", "median_km")


def _breakdown_text(table: Any, by: str) -> str:
    """Render a breakdown with the main table's labels and units (percent, km)."""
    from analysis.commands.text import aligned_table
    from analysis.metrics import METRICS

    cols = [c for c in _BREAKDOWN_METRICS if c in table.columns]
    headers = [by.removeprefix("true_")] + ["n" if c == "n" else METRICS.get(c).label for c in cols]
    rows = [
        [str(record[by])]
        + [
            str(int(record[c])) if c == "n" else _format_value(record[c], METRICS.get(c).unit)
            for c in cols
        ]
        for record in table.to_dict(orient="records")
        if int(record.get("n") or 0) > 0  # a country only ever predicted has no samples to show
    ]
    for row in rows:
        if row[0] in ("None", "nan", "<NA>"):  # e.g. photos that carry no heading
            row[0] = "(none)"
    return aligned_table(headers, rows)


def _cmd_compare(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from analysis.metrics import paired_comparison

    store = _store(args)
    frame_a, frame_b = store.run_frame(args.run_a), store.run_frame(args.run_b)
    dataset_a, dataset_b = (store.run_info(r)["dataset"] for r in (args.run_a, args.run_b))
    try:
        result = paired_comparison(frame_a, frame_b, n_resamples=args.resamples, seed=args.seed)
    except InputError:
        if dataset_a == dataset_b:
            raise
        raise InputError(
            f"run {args.run_a!r} is on dataset {dataset_a!r} and run {args.run_b!r} on "
            f"{dataset_b!r}; they share no sample_id, so there is nothing to pair: compare two "
            f"runs of one dataset (`python -m analysis runs` shows each run's dataset)"
        ) from None
    if dataset_a != dataset_b:
        print(f"note: different datasets ({dataset_a!r} vs {dataset_b!r}); compared on the "
              f"{result.n} sample ids they share, whose truth agrees", file=sys.stderr)  # fmt: skip
    data = asdict(result)
    if args.json:
        _print_json({"run_a": args.run_a, "run_b": args.run_b, **data})
        return 0
    print(f"{args.run_a!r} (A) vs {args.run_b!r} (B) on {result.n} common samples "
          f"(dropped: {result.dropped_a} only in A, {result.dropped_b} only in B)")  # fmt: skip
    print(f"country accuracy  A {_format_value(result.accuracy_a, 'share')}  "
          f"B {_format_value(result.accuracy_b, 'share')}")  # fmt: skip
    print(f"both right {result.both_right}, only A {result.only_a}, only B {result.only_b}, "
          f"both wrong {result.both_wrong}; exact McNemar p = {result.mcnemar_p:.4g}")  # fmt: skip
    for key, unit in (("diff_accuracy", "share"), ("diff_median_km", "km"),
                      ("diff_acc_25km", "share"), ("diff_acc_750km", "share")):  # fmt: skip
        ci = data[key]
        print(f"{key} (A - B): {_format_value(ci['estimate'], unit)} "
              f"[{_format_value(ci['low'], unit)}, {_format_value(ci['high'], unit)}]")  # fmt: skip
    return 0


# -- listings, export, deletes ----------------------------------------------------------------
def _cmd_runs(args: argparse.Namespace) -> int:
    runs = _store(args).list_runs(args.dataset)
    if args.json:
        _print_json(runs.to_dict(orient="records"))
        return 0
    _print_frame(runs, ["name", "dataset", "model", "prompt_strategy", "n_predictions", "n_ok",
                        "started_at"])  # fmt: skip
    return 0


def _cmd_datasets(args: argparse.Namespace) -> int:
    datasets = _store(args).list_datasets()
    if args.json:
        _print_json(datasets.to_dict(orient="records"))
        return 0
    _print_frame(datasets, ["name", "kind", "n_samples", "n_locations", "n_countries", "n_runs"])
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from analysis.importers.export import export_run

    n = export_run(_store(args), args.run, args.format, args.output)
    if args.output:
        print(f"wrote {n} predictions of run {args.run!r} to {args.output}", file=sys.stderr)
    return 0


def _cmd_delete_run(args: argparse.Namespace) -> int:
    n = _store(args).delete_run(args.name)
    print(f"deleted run {args.name!r} and its {n} predictions")
    return 0


def _cmd_delete_dataset(args: argparse.Namespace) -> int:
    runs = _store(args).delete_dataset(args.name, with_runs=args.with_runs)
    extra = f" and runs {', '.join(runs)}" if runs else ""
    print(f"deleted dataset {args.name!r}{extra}")
    return 0


# -- parser -----------------------------------------------------------------------------------
def register(subparsers: Any) -> None:
    """Add the core commands to the CLI."""
    fmt = argparse.RawDescriptionHelpFormatter
    p = subparsers.add_parser(
        "import",
        help="import predictions (CSV, JSONL run file or LLMGeo JSON) as a run",
        formatter_class=fmt,
        description=(
            "Import a prediction file as a run. Re-importing the same file changes nothing;\n"
            "a refused file writes nothing and every problem is listed.\n\n"
            "CSV columns: sample_id, true_lat, true_lon, pred_lat, pred_lon; optional\n"
            "true_country, pred_country (ISO2/ISO3/name), raw_response, heading, location_id,\n"
            "status. See docs/cli.md and docs/run-format.md."
        ),
        epilog=(
            "examples:\n"
            "  python -m analysis import results.csv --run gpt4o-basic --model gpt-4o\n"
            "  python -m analysis import select.csv --run osv --map sample_id=id "
            "--map true_country=country\n"
            "  python -m analysis import cache/runs/gpt4o-basic.jsonl"
        ),
    )
    p.add_argument("file", help="a .csv, .jsonl (GeoScope run file) or .json (LLMGeo results)")
    p.add_argument("--run", help="run name (required for CSV; JSONL: header name or file stem)")
    p.add_argument("--model", help="model name recorded with the run")
    p.add_argument("--dataset", help="dataset the samples belong to (default: the run name; "
                   "created from the truth columns when it does not exist)")  # fmt: skip
    p.add_argument("--map", action="append", metavar="NEW=OLD",
                   help="rename a column, e.g. --map pred_lat=predicted_lat (repeatable)")  # fmt: skip
    # formats are read from the registry when parsing, so a plugin's late registration counts;
    # a metavar keeps argparse from listing them (importing every importer) at parser build
    p.add_argument("--format", choices=LiveNames("analysis.importers:PREDICTION_FORMATS"),
                   metavar="FORMAT", help="input format, one of: %(choices)s "
                   "(default: detected from the extension or content)")  # fmt: skip
    p.add_argument("--replace", action="store_true", help="overwrite an existing run")
    p.add_argument("--notes", help="free-text notes stored with the run")
    p.set_defaults(handler=_cmd_import)

    p = subparsers.add_parser(
        "import-dataset", help="import images + ground truth as a dataset",
        description="Import a dataset: an LLMGeo folder or manifest CSV (LON_LAT_h<H>_p0_f90.jpg,"
        " longitude first), a CSV manifest (sample_id, lat, lon, optional country, image_path, "
        "heading, location_id, split) or a folder of photos with GPS in their EXIF.",
    )  # fmt: skip
    p.add_argument("path", help="folder or CSV file")
    p.add_argument("--name", required=True, help="dataset name")
    p.add_argument("--format", choices=LiveNames("analysis.datasets:DATASET_FORMATS"),
                   metavar="FORMAT", help="dataset format, one of: %(choices)s "
                   "(default: detected)")  # fmt: skip
    p.add_argument("--split", help="LLMGeo: import only this split (e.g. test)")
    p.add_argument("--map", action="append", metavar="NEW=OLD", help="manifest column rename")
    p.add_argument("--image-root", help="folder image paths are relative to (default: the CSV's)")
    p.add_argument("--no-hash", action="store_true", help="skip sha256 of image files")
    p.add_argument("--replace", action="store_true", help="overwrite an unused dataset")
    p.set_defaults(handler=_cmd_import_dataset)

    p = subparsers.add_parser("metrics", help="metrics of a run with bootstrap CIs")
    p.add_argument("--run", required=True, help="run name")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--by", choices=sorted(BY_COLUMNS), help="add a breakdown")
    p.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (1000)")
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed (0)")
    p.add_argument("--level", type=float, default=0.95, help="CI level (0.95)")
    p.add_argument("--no-ci", action="store_true", help="skip the bootstrap")
    p.set_defaults(handler=_cmd_metrics)

    p = subparsers.add_parser("compare", help="paired comparison of two runs")
    p.add_argument("run_a", metavar="RUN_A")
    p.add_argument("run_b", metavar="RUN_B")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (1000)")
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed (0)")
    p.set_defaults(handler=_cmd_compare)

    p = subparsers.add_parser("runs", help="list runs")
    p.add_argument("--dataset", help="only runs of this dataset")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=_cmd_runs)

    p = subparsers.add_parser("datasets", help="list datasets")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=_cmd_datasets)

    p = subparsers.add_parser("export", help="export a run's predictions (no secrets)")
    p.add_argument("--run", required=True, help="run name")
    p.add_argument("--format", choices=["csv", "jsonl"], default="csv", help="csv or jsonl")
    p.add_argument("--output", "-o", help="file to write (default: stdout)")
    p.set_defaults(handler=_cmd_export)

    p = subparsers.add_parser("delete-run", help="delete a run and its predictions")
    p.add_argument("name", help="run name")
    p.set_defaults(handler=_cmd_delete_run)

    p = subparsers.add_parser("delete-dataset", help="delete a dataset (not while runs use it)")
    p.add_argument("name", help="dataset name")
    p.add_argument("--with-runs", action="store_true", help="also delete the runs using it")
    p.set_defaults(handler=_cmd_delete_dataset)
