"""Model adapters: one file per adapter, one registry line each (imported lazily).

``MODELS`` maps an adapter name (as written in a preset's ``adapter = ...``) to its class; the
class is imported only when first used, so the CLI and the dashboard start without openai,
torch or transformers. Add an adapter: write ``analysis/models/my_adapter.py`` with a subclass
of ``ModelAdapter`` (see ``base.py`` and docs/models.md) and register it below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analysis.errors import RegistryError
from analysis.models.base import Capabilities, ModelAdapter
from analysis.registry import Registry

if TYPE_CHECKING:
    from analysis.models.presets import ModelPreset


def _checked(name: str, obj: object) -> type[ModelAdapter]:
    """Return ``obj`` when it is a ModelAdapter subclass; raise a RegistryError saying what to do."""
    if isinstance(obj, type) and issubclass(obj, ModelAdapter):
        return obj
    raise RegistryError(
        f"model adapter {name!r}: {obj!r} does not subclass analysis.models.base.ModelAdapter; "
        "adapters subclass it (it provides from_preset, availability and capabilities; see "
        "docs/models.md)"
    )


class AdapterRegistry(Registry[type[ModelAdapter]]):
    """The adapter registry: refuses anything that is not a ModelAdapter subclass."""

    def register(self, name: str, obj: type[ModelAdapter] | str) -> None:
        """Add an adapter class (checked now) or a lazy ``"module:Class"`` (checked on import)."""
        super().register(name, obj if isinstance(obj, str) else _checked(name, obj))

    def get(self, name: str) -> type[ModelAdapter]:
        """Return the adapter class for ``name``, importing and checking a lazy entry."""
        return _checked(name, super().get(name))


MODELS = AdapterRegistry("model adapter")
MODELS.register("openai_compat", "analysis.models.openai_compat:OpenAICompatAdapter")
MODELS.register("hf_local", "analysis.models.hf_local:HFLocalAdapter")
MODELS.register("retrieval", "analysis.models.retrieval:RetrievalAdapter")
MODELS.register("geoclip", "analysis.models.geoclip_adapter:GeoCLIPAdapter")


def adapter_capabilities(preset: ModelPreset) -> Capabilities:
    """Return what the adapter a preset names does with it (imports the adapter's module)."""
    return MODELS.get(preset.adapter).capabilities_for(preset)


def create_adapter(
    preset: ModelPreset, *, timeout_s: float | None = None, context: Any = None
) -> ModelAdapter:
    """Build the adapter a preset names; raise ModelUnavailableError when it cannot run here.

    The check is the one ``models`` lists (``ModelAdapter.why_unavailable``).

    Args:
        preset: the model preset.
        timeout_s: per-request timeout for network adapters (seconds); preset's value if None.
        context: optional ``AdapterContext`` (store, settings) for adapters that need data.
    """
    return MODELS.get(preset.adapter).from_preset(preset, timeout_s=timeout_s, context=context)
