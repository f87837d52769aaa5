"""Typed name -> object registries; entries may be lazy ``"module:attr"`` strings.

Lazy entries keep heavy imports (torch, transformers) out of start-up: the module is imported
only when the entry is first resolved.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any, Generic, TypeVar

from analysis.errors import RegistryError

T = TypeVar("T")


class Registry(Generic[T]):
    """Map names to objects of one kind; registering a name twice raises."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._entries: dict[str, T | str] = {}

    def register(self, name: str, obj: T | str) -> None:
        """Add ``obj`` (or a lazy ``"module:attr"`` path) under ``name``."""
        if name in self._entries:
            raise RegistryError(f"{self.kind} {name!r} is already registered")
        self._entries[name] = obj

    def get(self, name: str) -> T:
        """Return the object for ``name``, importing it if it was registered lazily."""
        try:
            entry = self._entries[name]
        except KeyError:
            known = ", ".join(sorted(self._entries)) or "none"
            raise RegistryError(f"unknown {self.kind} {name!r}; known: {known}") from None
        if isinstance(entry, str) and ":" in entry:
            obj: T = load_attr(entry)
            self._entries[name] = obj
            return obj
        return entry  # type: ignore[return-value]

    def unregister(self, name: str) -> None:
        """Remove ``name`` (a plugin or a test undoing its registration); unknown names raise."""
        if name not in self._entries:
            raise RegistryError(f"unknown {self.kind} {name!r}")
        del self._entries[name]

    def names(self) -> list[str]:
        """Return the registered names in registration order."""
        return list(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)


def load_attr(path: str) -> Any:
    """Import ``"module:attr"`` and return the attribute."""
    module_name, _, attr = path.partition(":")
    return getattr(importlib.import_module(module_name), attr)


class LiveNames:
    """A registry's names read each time they are consulted (argparse ``choices``).

    ``registry`` may be a lazy ``"module:attr"`` path, so building a parser imports nothing;
    a name registered after the parser was built is still accepted.
    """

    def __init__(self, registry: Registry[Any] | str) -> None:
        self._registry = registry

    def _names(self) -> list[str]:
        registry = self._registry
        if isinstance(registry, str):
            registry = self._registry = load_attr(registry)
        return registry.names()

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())
