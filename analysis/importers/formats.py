"""Input formats as registry entries that recognise their own files.

A ``FileFormat`` names a reader (lazily, as ``"module:attr"``, so detection imports no reader)
and declares how to recognise its input: file suffixes, a ``sniff`` over the path and its first
bytes, or both. ``detect`` asks every format registered *at call time*, so a format a plugin
registers later is detected like the built-in ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from analysis.registry import Registry, load_attr

R = TypeVar("R")

# A sniff sees the input path and its first bytes (b"" for a folder or an unreadable file); it
# may be given as a lazy "module:attr" so that it lives in its format's own module.
Sniff = Callable[[Path, bytes], bool]
SNIFF_BYTES = 4096

# Evidence ranks: content beats a name, a name beats "whatever is left".
_NONE, _FALLBACK, _SUFFIX, _SNIFF = 0, 1, 2, 3


@dataclass(frozen=True)
class FileFormat(Generic[R]):
    """An input format: its reader (or a lazy ``"module:attr"``) and how to recognise it.

    With only ``suffixes``, a matching suffix claims the input; with only ``sniff``, an accepting
    sniff does; with both, the input needs both. A ``fallback`` format's claim counts only when
    no other format claims the input. Neither suffixes nor a sniff: reachable by name only.
    """

    reader: R | str
    suffixes: tuple[str, ...] = ()  # lower case, with the dot: (".csv", ".tsv")
    sniff: Sniff | str | None = None
    fallback: bool = False
    description: str = ""

    def load(self) -> R:
        """Return the reader, importing it if it was given as ``"module:attr"``."""
        if isinstance(self.reader, str):
            loaded: R = load_attr(self.reader)
            return loaded
        return self.reader

    def evidence(self, path: Path, head: bytes) -> int:
        """Rank this format's claim on ``path``: 0 none, 1 fallback, 2 suffix, 3 sniff."""
        suffix_ok = path.suffix.lower() in self.suffixes
        if self.suffixes and not suffix_ok:
            return _NONE
        if self.sniff is not None:
            sniff: Sniff = load_attr(self.sniff) if isinstance(self.sniff, str) else self.sniff
            if not sniff(path, head):
                return _NONE
            return _FALLBACK if self.fallback else _SNIFF
        if not self.suffixes:
            return _NONE
        return _FALLBACK if self.fallback else _SUFFIX


def as_format(entry: object) -> FileFormat[Any]:
    """Return a registry entry as a FileFormat (a bare reader is reachable by name only)."""
    return entry if isinstance(entry, FileFormat) else FileFormat(entry)


def read_head(path: Path, n_bytes: int = SNIFF_BYTES) -> bytes:
    """Return the first bytes of a file (b"" for a folder, a missing or unreadable file)."""
    if not path.is_file():
        return b""
    try:
        with path.open("rb") as stream:
            return stream.read(n_bytes)
    except OSError:
        return b""


def detect(registry: Registry[FileFormat[Any]], path: Path) -> str | None:
    """Return the registered format claiming ``path`` most strongly (ties: registered first)."""
    head = read_head(path)
    best, best_rank = None, _NONE
    for name in registry.names():
        rank = as_format(registry.get(name)).evidence(path, head)
        if rank > best_rank:
            best, best_rank = name, rank
    return best


def suffix_list(registry: Registry[FileFormat[Any]]) -> str:
    """Return the suffixes the registered formats claim, for messages ("a .csv, .jsonl ...")."""
    formats = [as_format(registry.get(name)) for name in registry.names()]
    seen = dict.fromkeys(suffix for fmt in formats for suffix in fmt.suffixes)
    return ", ".join(seen) or "none"
