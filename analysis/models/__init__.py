"""Model adapters: one file per adapter, one registry line each (imported lazily).

``MODELS`` maps an adapter name (as written in a preset's ``adapter = ...``) to its class; the
class is imported only when first used, so the CLI and the dashboard start without openai,
torch or transformers. Add an adapter: write ``analysis/models/my_adapter.py`` with a class
following ``ModelAdapter`` (see ``base.py``) and register it below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analysis.registry import Registry

if TYPE_CHECKING:
    from analysis.models.base import ModelAdapter
    from analysis.models.presets import ModelPreset

MODELS: Registry[type[Any]] = Registry("model adapter")
MODELS.register("openai_compat", "analysis.models.openai_compat:OpenAICompatAdapter")
MODELS.register("hf_local", "analysis.models.hf_local:HFLocalAdapter")
MODELS.register("retrieval", "analysis.models.retrieval:RetrievalAdapter")
MODELS.register("geoclip", "analysis.models.geoclip_adapter:GeoCLIPAdapter")


def create_adapter(
    preset: ModelPreset, *, timeout_s: float | None = None, context: Any = None
) -> ModelAdapter:
    """Build the adapter a preset names; raise ModelUnavailableError when it cannot run here.

    Args:
        preset: the model preset.
        timeout_s: per-request timeout for network adapters (seconds); preset's value if None.
        context: optional ``AdapterContext`` (store, settings) for adapters that need data.
    """
    adapter_cls = MODELS.get(preset.adapter)
    adapter: ModelAdapter = adapter_cls.from_preset(preset, timeout_s=timeout_s, context=context)
    return adapter
