"""--batch-file writes vLLM run-batch input; import-batch brings run-batch output back."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analysis.cli import main
from analysis.store import Store
from tests.support.batch_server import BatchServer

RUN = "photos-file"
COLUMNS = ["status", "pred_country", "pred_lat", "pred_lon", "input_tokens", "output_tokens"]
# vLLM's BatchRequestInput (vllm/entrypoints/openai/run_batch.py, docs "Offline batch
# inference / run_batch"): custom_id, method, url, body - and nothing else.
REQUEST_KEYS = {"custom_id", "method", "url", "body"}
# fields of an OpenAI ChatCompletionRequest this project's presets may send
CHAT_FIELDS = {"model", "messages", "temperature", "max_tokens", "max_completion_tokens",
               "top_p", "stop", "seed", "frequency_penalty", "presence_penalty", "n"}  # fmt: skip


def check_vllm_request(line: dict[str, Any]) -> None:
    """Assert one line is a valid vLLM run-batch request, from the documented schema."""
    assert set(line) == REQUEST_KEYS
    assert isinstance(line["custom_id"], str) and line["custom_id"]
    assert line["method"] == "POST"
    assert line["url"] == "/v1/chat/completions"
    body = line["body"]
    assert set(body) <= CHAT_FIELDS and isinstance(body["model"], str)
    for message in body["messages"]:
        assert message["role"] in ("system", "user", "assistant")
        content = message["content"]
        if isinstance(content, str):
            continue
        for part in content:
            assert part["type"] in ("text", "image_url")
            if part["type"] == "image_url":
                assert part["image_url"]["url"].startswith("data:image/jpeg;base64,")
            else:
                assert isinstance(part["text"], str)


def run_batch_like_vllm(requests: Path, results: Path, base_url: str) -> int:
    """Answer a request file as ``vllm run-batch -i requests -o results`` would; return lines."""
    lines = [json.loads(line) for line in requests.read_text().splitlines() if line]
    with results.open("w") as out:
        for index, line in enumerate(lines):
            request = urllib.request.Request(
                base_url.removesuffix("/v1") + line["url"],
                json.dumps(line["body"]).encode(),
                {"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                body = json.loads(response.read())
            out.write(json.dumps({
                "id": f"vllm-{index}", "custom_id": line["custom_id"],
                "response": {"status_code": 200, "request_id": f"vllm-batch-{index}",
                             "body": body},
                "error": None,
            }) + "\n")  # fmt: skip
    return len(lines)


def _main(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def _run(db: Path, models: Path, *extra: str) -> int:
    return _main(db, "run", "--dataset", "photos", "--model", "local-batch", "--models",
                 str(models), "--no-progress", *extra)  # fmt: skip


def test_batch_file_is_vllm_input_and_import_batch_reproduces_the_sync_figures(
    photo_setup: tuple[Path, Path, int],
    batch_server: BatchServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, models, n = photo_setup
    requests = tmp_path / "out" / "requests.jsonl"
    assert _run(db, models, "--run", RUN, "--batch-file", str(requests)) == 0
    assert f"wrote {n} requests" in capsys.readouterr().out
    assert batch_server.calls == 0 and not batch_server.batch_calls  # nothing sent
    lines = [json.loads(line) for line in requests.read_text().splitlines()]
    assert len(lines) == n
    for line in lines:
        check_vllm_request(line)

    # two nodes: the file sharded in two, each answered by its own run-batch
    shards = [tmp_path / "shard-0.jsonl", tmp_path / "shard-1.jsonl"]
    shards[0].write_text("".join(json.dumps(x) + "\n" for x in lines[: n // 2]))
    shards[1].write_text("".join(json.dumps(x) + "\n" for x in lines[n // 2 :]))
    outputs = [tmp_path / "results-0.jsonl", tmp_path / "results-1.jsonl"]
    for shard, output in zip(shards, outputs, strict=True):
        run_batch_like_vllm(shard, output, batch_server.base_url)
    assert batch_server.calls == n
    assert _main(db, "import-batch", RUN, str(outputs[0]), str(outputs[1])) == 0
    imported = Store(db).run_frame(RUN).set_index("sample_id").sort_index()
    assert len(imported) == n

    assert _run(db, models, "--run", "photos-sync", "--no-cache") == 0
    sync = Store(db).run_frame("photos-sync").set_index("sample_id").sort_index()
    pd.testing.assert_frame_equal(imported[COLUMNS], sync[COLUMNS])
    assert imported["cost_usd"].sum() == pytest.approx(sync["cost_usd"].sum() / 2)

    # importing the same results again changes nothing
    assert _main(db, "import-batch", RUN, str(outputs[0])) == 0
    assert len(Store(db).run_frame(RUN)) == n


def test_import_batch_refuses_results_of_other_requests(
    photo_setup: tuple[Path, Path, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, models, n = photo_setup
    requests = tmp_path / "requests.jsonl"
    assert _run(db, models, "--run", RUN, "--batch-file", str(requests), "--limit", "3") == 0
    stranger = tmp_path / "stranger.jsonl"
    stranger.write_text(
        json.dumps({"id": "x", "custom_id": "f" * 64, "error": None,
                    "response": {"status_code": 200, "body": {"choices": []}}}) + "\n"
        + "not json\n"
    )  # fmt: skip
    capsys.readouterr()
    assert _main(db, "import-batch", RUN, str(stranger)) == 1
    err = capsys.readouterr().err
    assert "line 1: custom_id 'ffff" in err and "was not asked by this run" in err
    assert "line 2: not a batch result" in err
    assert Store(db).run_frame(RUN).empty
    assert _main(db, "import-batch", "no-such-run", str(stranger)) == 1
    assert "has no batches" in capsys.readouterr().err
    assert _main(db, "import-batch", RUN, str(tmp_path / "missing.jsonl")) == 1
    assert "not found" in capsys.readouterr().err
