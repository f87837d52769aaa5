"""LLMGeo result JSON: ``{image_file_name: model_output}`` joined to an LLMGeo dataset.

The upstream scripts key results by the image's file name and store the model's free text (often
a JSON string such as ``{"country": "France"}``) or an object. Every distinct output is parsed
once with ``analysis.parsing.parse_answer``; the truth comes from the dataset.
"""

from __future__ import annotations

import json
from pathlib import Path, PureWindowsPath
from typing import Any

import pyarrow as pa

from analysis.errors import ImportValidationError
from analysis.importers.source import InputDigest, fingerprint_file, require_file
from analysis.importers.stage import (
    ImportOptions,
    ImportReport,
    existing_import,
    import_stage,
    stage_tables,
)
from analysis.importers.validate import StageInfo
from analysis.store import Store


def _pick_dataset(store: Store, wanted: str | None) -> str:
    if wanted:
        if not store.has_dataset(wanted):
            raise ImportValidationError(
                f"dataset {wanted!r} does not exist; import the LLMGeo images first with "
                f"`python -m analysis import-dataset PATH --name {wanted} --format llmgeo`"
            )
        return wanted
    datasets = store.list_datasets()
    llmgeo = datasets.loc[datasets["kind"] == "llmgeo", "name"].tolist()
    if len(llmgeo) == 1:
        return str(llmgeo[0])
    known = ", ".join(llmgeo) or "none"
    raise ImportValidationError(
        f"LLMGeo results need --dataset naming the LLMGeo dataset they answer (LLMGeo "
        f"datasets here: {known})"
    )


def _output_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)  # an object such as {"country": "France"}


def _load_results(path: Path) -> dict[str, Any]:
    """Parse the result object, refusing a file name given twice (json keeps the last)."""
    objects: list[list[tuple[str, list[int]]]] = []  # each object's repeated keys, in order

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, list[int]] = {}
        for number, (key, _) in enumerate(pairs, start=1):
            seen.setdefault(key, []).append(number)
        objects.append([(k, nums) for k, nums in seen.items() if len(nums) > 1])
        return dict(pairs)

    try:
        data = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=pairs_hook)
    except json.JSONDecodeError as exc:
        msg = f"{path.name} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        raise ImportValidationError(msg, problems=[msg]) from None
    if not isinstance(data, dict) or not data:
        msg = f"{path.name}: expected a non-empty object {{image_file_name: model_output}}"
        raise ImportValidationError(msg, problems=[msg])
    repeated = objects[-1]  # the outermost object is built last
    if repeated:
        problems = [
            f"{key!r} is given {len(nums)} times (entries {', '.join(map(str, nums[:5]))}): "
            f"keep the one answer you mean; JSON readers silently keep only the last"
            for key, nums in repeated[:10]
        ]
        noun = "file name" if len(repeated) == 1 else "file names"
        msg = f"{path.name}: refused, nothing was written ({len(repeated)} repeated {noun})"
        raise ImportValidationError(msg, problems)
    return data


def import_llmgeo_json(store: Store, path: Path, options: ImportOptions) -> ImportReport:
    """Import an LLMGeo result file as a run over an existing LLMGeo dataset."""
    require_file(path)
    dataset = _pick_dataset(store, options.dataset)  # first: the content hash includes it
    digest = InputDigest({"format": "llmgeo-json", "dataset": dataset, "model": options.model})
    fingerprint_file(path, options.limits, whole_file=True, digest=digest)
    options = ImportOptions(
        run=options.run or path.stem, dataset=dataset, model=options.model,
        column_map={}, replace=options.replace, notes=options.notes, limits=options.limits,
    )  # fmt: skip
    chash = digest.hexdigest()
    unchanged = existing_import(store, options, chash)
    if unchanged is not None:
        return unchanged
    data = _load_results(path)
    keys = list(data)
    table = pa.table({
        "_row": list(range(1, len(keys) + 1)),
        # keys may carry folders (either separator); LLMGeo joins on the bare file name
        "sample_id": [PureWindowsPath(k).name for k in keys],
        "raw_response": [_output_text(data[k]) for k in keys],
    })  # fmt: skip
    with store.writer() as con:
        con.register("raw_arrow", table)
        con.execute("CREATE OR REPLACE TEMP TABLE raw AS SELECT * FROM raw_arrow")
        present = stage_tables(
            con,
            "raw",
            {"sample_id": "sample_id", "raw_response": "raw_response"},
            typed_numbers=False,
            row_expr="_row",
        )
        info = StageInfo(source=path.name, columns=present, row_word="entry", limits=options.limits)
        return import_stage(
            con, info, options, source_path=path.resolve(), chash=chash,
            fmt="llmgeo-json",
        )  # fmt: skip
