"""Training examples for fine-tuning: read the chat JSONL, check and load its images.

The JSONL is the layout ``analysis.finetune.export.export_finetune`` writes: ``messages``
(system / user with ``{"type": "image"}`` placeholders / a final assistant answer), ``images``
(file paths or ``data:image/...;base64,`` URLs, one per placeholder, in order) and
``sample_id``. Nothing heavy is imported here: Pillow only.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import tempfile
import warnings
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from analysis.errors import ImageError, InputError
from analysis.finetune.lineage import SampleKey

MAX_LISTED = 5  # how many bad samples an error message names


class MissingImagesError(InputError):
    """Some training images cannot be found; ``problems`` names each one."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems: list[str] = problems or []


@dataclass(frozen=True)
class TrainExample:
    """One training conversation: the prompt turns, the images they show, the answer to learn."""

    sample_id: str
    prompt: tuple[Mapping[str, Any], ...]  # chat turns up to (not including) the answer
    images: tuple[str, ...]  # file paths or data URLs, in placeholder order
    answer: str

    def conversation(self) -> list[dict[str, Any]]:
        """Return the full chat (prompt turns + the assistant answer) as plain dicts."""
        answer_turn = {"role": "assistant", "content": [{"type": "text", "text": self.answer}]}
        return [dict(turn) for turn in self.prompt] + [answer_turn]


@dataclass(frozen=True)
class TrainingData:
    """Examples read for training, where they came from, and the samples left out."""

    examples: tuple[TrainExample, ...]
    source: str  # "store:DATASET/SPLIT" or the JSONL path
    skipped: tuple[str, ...] = ()
    image_base: Path | None = None  # folder that relative image paths are under
    # each example's place and image, for the lineage and the leakage guard (store sources)
    samples: tuple[SampleKey, ...] = ()

    def prompt_texts(self) -> list[str]:
        """Return the distinct text of the prompt turns (system + question), first seen first."""
        seen: dict[str, None] = {}
        for example in self.examples:
            seen.setdefault(_prompt_text(example), None)
        return list(seen)

    def prompt_hash(self) -> str:
        """Return a sha256 over the distinct prompt texts (images excluded)."""
        digest = hashlib.sha256()
        for text in sorted(self.prompt_texts()):
            digest.update(text.encode("utf-8") + b"\0")
        return digest.hexdigest()


def _prompt_text(example: TrainExample) -> str:
    lines = []
    for turn in example.prompt:
        content = turn.get("content")
        parts = content if isinstance(content, list) else [{"type": "text", "text": content}]
        texts = [str(p.get("text", "")) for p in parts if p.get("type") == "text"]
        lines.append(f"{turn.get('role')}: " + " ".join(texts))
    return "\n".join(lines)


def _text_of(content: Any) -> str | None:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [p.get("text") for p in content if isinstance(p, dict) and p.get("type") == "text"]
        if texts and all(isinstance(t, str) for t in texts):
            return "".join(str(t) for t in texts)
    return None


def _count_placeholders(turns: Sequence[Mapping[str, Any]]) -> int:
    count = 0
    for turn in turns:
        content = turn.get("content")
        if isinstance(content, list):
            count += sum(1 for p in content if isinstance(p, dict) and p.get("type") == "image")
    return count


def parse_line(line: str, where: str) -> TrainExample:
    """Return the example in one JSONL line; raise InputError naming ``where`` when malformed."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not valid JSON ({exc.msg})") from None
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object")
    messages = record.get("messages")
    if not isinstance(messages, list) or not messages:
        raise InputError(f"{where}: 'messages' must be a non-empty list")
    if not all(isinstance(m, dict) and isinstance(m.get("role"), str) for m in messages):
        raise InputError(f"{where}: every message needs a 'role'")
    *prompt, last = messages
    if last["role"] != "assistant" or not prompt:
        raise InputError(f"{where}: the last message must be the assistant's answer after a prompt")
    answer = _text_of(last.get("content"))
    if not answer:
        raise InputError(f"{where}: the assistant answer has no text")
    images = record.get("images", [])
    if not isinstance(images, list) or not all(isinstance(i, str) and i for i in images):
        raise InputError(f"{where}: 'images' must be a list of paths or data URLs")
    placeholders = _count_placeholders(prompt)
    if placeholders != len(images):
        raise InputError(
            f"{where}: {placeholders} image placeholder(s) in the messages but "
            f"{len(images)} image(s) listed"
        )
    sample_id = str(record.get("sample_id") or where)
    return TrainExample(sample_id, tuple(prompt), tuple(images), answer)


def data_from_jsonl(
    path: Path, images_root: Path | None = None, *, allow_missing: bool = False
) -> TrainingData:
    """Read a chat JSONL and check that every image it names exists and decodes."""
    examples = read_jsonl(path)
    base = images_root or path.resolve().parent
    kept, skipped = drop_bad_images(examples, base, allow_missing=allow_missing)
    if not kept:
        raise InputError(f"no example of {path} has a usable image")
    return TrainingData(tuple(kept), str(path), tuple(skipped), base)


def read_jsonl(path: Path) -> list[TrainExample]:
    """Read every example of a chat JSONL file (blank lines ignored)."""
    if path.is_dir():
        raise InputError(
            f"training file {path} is a directory; pass the .jsonl file that export-finetune wrote"
        )
    if not path.is_file():
        raise InputError(f"training file {path} not found")
    examples = []
    offset = 0  # byte offset of the current line, to point at undecodable bytes
    try:
        with path.open("rb") as stream:
            for number, raw in enumerate(stream, start=1):
                try:
                    # utf-8-sig on the first line: a BOM some editors write is not an error
                    line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError as exc:
                    raise InputError(
                        f"{path}:{number}: not UTF-8 text (undecodable byte "
                        f"{raw[exc.start:exc.start + 1]!r} at byte offset {offset + exc.start}); "
                        "the training file must be UTF-8 JSONL"
                    ) from None
                offset += len(raw)
                if line.strip():
                    examples.append(parse_line(line, f"{path}:{number}"))
    except OSError as exc:
        raise InputError(f"cannot read training file {path}: {exc.strerror or exc}") from None
    if not examples:
        raise InputError(f"training file {path} holds no examples")
    return examples


def _resolve(source: str, base: Path | None) -> Path:
    path = Path(os.path.expanduser(source))
    if not path.is_absolute() and base is not None:
        path = base / path
    return path


def _register_heif() -> None:
    try:
        from pillow_heif import register_heif_opener
    except ImportError:  # HEIC photos then fail the check with a clear "not an image"
        return
    register_heif_opener()


def image_problem(source: str, base: Path | None = None) -> str | None:
    """Return why one training image (path or data URL) cannot be used, or None when it can.

    Cheap on purpose: the header is parsed and the pixel count bounded; a JPEG is decoded at
    1/8 scale (truncation shows) and other formats are verified, so a bad file is found before
    training rather than after minutes of steps.
    """
    from analysis.images import ALLOWED_FORMATS, DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS

    if source.startswith("data:"):
        try:
            data = base64.b64decode(source.split(",", 1)[1], validate=True)
        except (IndexError, ValueError):
            return "image data URL is malformed"
    else:
        path = _resolve(source, base)
        if not path.is_file():
            return f"{path}: not found"
        try:
            if path.stat().st_size > DEFAULT_MAX_BYTES:
                return f"{path}: file over the {DEFAULT_MAX_BYTES / 1e6:.0f} MB limit"
            data = path.read_bytes()
        except OSError as exc:
            return f"{path}: cannot be read ({exc.strerror or exc})"
    what = "image data URL" if source.startswith("data:") else str(_resolve(source, base))
    if not data:
        return f"{what}: empty file"
    _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS)) as image:
                width, height = image.size
                if width * height > DEFAULT_MAX_PIXELS or width <= 0 or height <= 0:
                    return f"{what}: refused size {width}x{height}"
                if image.format == "JPEG":
                    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                    image.load()
                else:
                    image.verify()
    except UnidentifiedImageError:
        return f"{what}: not an image (starts with {data[:8]!r})"
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as exc:
        return f"{what}: not a readable image ({exc})"
    return None


def _listing(problems: Sequence[str]) -> str:
    shown = "; ".join(problems[:MAX_LISTED])
    more = f" (and {len(problems) - MAX_LISTED} more)" if len(problems) > MAX_LISTED else ""
    return shown + more


def _bad_images(examples: Sequence[TrainExample], base: Path | None) -> tuple[list[str], set[str]]:
    problems: list[str] = []
    bad_ids: set[str] = set()
    for example in examples:
        for image in example.images:
            problem = image_problem(image, base)
            if problem is not None:
                problems.append(f"{example.sample_id}: {problem}")
                bad_ids.add(example.sample_id)
    return problems, bad_ids


def drop_bad_images(
    examples: Sequence[TrainExample], base: Path | None = None, *, allow_missing: bool = False
) -> tuple[list[TrainExample], list[str]]:
    """Return (usable examples, skipped reasons); raise MissingImagesError unless allowed."""
    problems, bad_ids = _bad_images(examples, base)
    if problems and not allow_missing:
        raise MissingImagesError(
            f"{len(problems)} training image(s) not found or unreadable: {_listing(problems)} "
            "(pass --allow-missing to train without them)",
            problems=problems,
        )
    return [e for e in examples if e.sample_id not in bad_ids], problems


def load_training_image(source: str, max_side: int, base: Path | None = None) -> Image.Image:
    """Open one image (path or data URL) upright in RGB, its longest side at most ``max_side``."""
    from analysis.images import load_image

    if source.startswith("data:"):
        try:
            data: bytes | Path = base64.b64decode(source.split(",", 1)[1], validate=True)
        except (IndexError, ValueError):
            raise ImageError("training image data URL is malformed") from None
    else:
        data = _resolve(source, base)
    image = load_image(data)  # EXIF orientation applied, metadata dropped
    # thumbnail, like hf_local: the model sees at training what it will see when benchmarked
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return image


def _split_counts(frame: Any) -> str:
    counts = Counter("(none)" if s is None or s != s else str(s) for s in frame["split"])
    return ", ".join(f"{name} ({n})" for name, n in sorted(counts.items())) or "none"


def require_split(store: Any, dataset: str, split: str, purpose: str = "") -> None:
    """Raise InputError naming the splits present when ``dataset`` has no ``split`` samples."""
    frame = store.dataset_samples(dataset)  # NotFoundError for an unknown dataset
    if not (frame["split"] == split).any():
        hint = (
            purpose
            or "A dataset needs a train split that the benchmark's test images are not in: "
            "collect with --test-share, or import a manifest with a split column"
        )
        raise InputError(
            f"dataset {dataset!r} has no samples in split {split!r}; "
            f"splits present: {_split_counts(frame)}. {hint}"
        )


def examples_from_store(
    store: Any,
    dataset: str,
    split: str,
    *,
    prompt: str = "basic",
    form: str = "coords",
    images_root: Path | None = None,
    allow_missing: bool = False,
) -> TrainingData:
    """Export ``dataset``/``split`` through ``export_finetune`` and read it back as examples."""
    from analysis.finetune.export import export_finetune

    require_split(store, dataset, split)
    with tempfile.TemporaryDirectory(prefix="geoscope-finetune-") as folder:
        out = Path(folder) / "train.jsonl"
        result = export_finetune(
            store, dataset, out, split=split, prompt=prompt, form=form, images_root=images_root
        )
        examples = read_jsonl(out) if result.written else []
    # The export only checks that files exist; decode each one now, not mid-training.
    unreadable, bad_ids = _bad_images(examples, None)  # the export wrote absolute paths
    skipped = list(result.skipped) + unreadable
    total = len(result.skipped) + result.written
    if skipped and not allow_missing:
        raise MissingImagesError(
            f"{len(skipped)} of {total} samples in {dataset!r}/{split!r} have no usable image: "
            f"{_listing(skipped)} (pass --images-root, or --allow-missing to train without them)",
            problems=skipped,
        )
    examples = [e for e in examples if e.sample_id not in bad_ids]
    if not examples:
        raise InputError(f"no sample of {dataset!r}/{split!r} has a usable image")
    return TrainingData(tuple(examples), f"store:{dataset}/{split}", tuple(skipped))
