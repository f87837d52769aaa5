"""Named model presets from a TOML file: which adapter, which model, where, at what price.

A preset names the *environment variable* holding its API key, never the key. The file used is
``--models FILE``, else ``$GEOSCOPE_MODELS``, else ``models.toml`` at the project root (see
``analysis.config.Settings.models_file``). Relative paths inside a preset's ``options`` are
resolved against the folder of the TOML file.

Format (one table per preset under ``[models]``)::

    [models.gpt-4o]
    adapter = "openai_compat"
    model = "gpt-4o"
    base_url = "https://api.openai.com/v1"
    api_key_env = "OPENAI_API_KEY"
    price_in_per_mtok = 2.5
    price_out_per_mtok = 10.0
    max_side = 1024
    params = { temperature = 0.0, max_tokens = 300 }
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from analysis.config import Settings
from analysis.errors import ConfigError, ModelUnavailableError
from analysis.models import MODELS
from analysis.models.base import compute_cost_usd

_ALLOWED_KEYS = frozenset(
    {
        "adapter",
        "model",
        "base_url",
        "api_key_env",
        "price_in_per_mtok",
        "price_out_per_mtok",
        "max_side",
        "params",
        "options",
        "description",
        "concurrency",
        "rpm",
        "timeout_s",
        "batch_api",
        "batch_discount",
        "batch_price_in_per_mtok",
        "batch_price_out_per_mtok",
    }
)
_BATCH_APIS = ("openai", "anthropic", "none")
_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")
_PRESET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*$")
# "max_tokens" is a parameter, "access_token" a secret: match key-like names only.
_SECRET_PARAM = re.compile(
    r"(api[_-]?key|secret|password|passwd|authorization|bearer|access[_-]?token|auth[_-]?token"
    r"|^token$)",
    re.I,
)
_TOKEN_LIMIT_PARAMS = frozenset({"max_tokens", "max_completion_tokens", "max_new_tokens"})
NO_KEY_PLACEHOLDER = "not-needed"  # local servers (vLLM, Ollama) accept any non-empty key


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, eq=False)
class ModelPreset:
    """One named model configuration; prices are US dollars per million tokens."""

    name: str
    adapter: str
    model: str
    base_url: str | None = None
    api_key_env: str | None = None  # NAME of the env var holding the key; None = no key needed
    price_in_per_mtok: float = 0.0
    price_out_per_mtok: float = 0.0
    max_side: int = 1024  # longest image side sent to the model, pixels
    params: Mapping[str, Any] = field(default_factory=lambda: _frozen({}))
    options: Mapping[str, Any] = field(default_factory=lambda: _frozen({}))  # adapter-specific
    description: str = ""
    concurrency: int | None = None  # preset's suggested default (e.g. 1 for Ollama)
    rpm: float | None = None  # provider's requests-per-minute limit, when known
    timeout_s: float | None = None
    source_file: Path | None = None
    batch_api: str | None = None  # "openai" | "anthropic" | "none"; None: the adapter decides
    batch_discount: float | None = None  # batch price = this x the price (OpenAI, Anthropic: 0.5)
    batch_price_in_per_mtok: float | None = None  # explicit batch prices win over the discount
    batch_price_out_per_mtok: float | None = None

    def batch_prices(self) -> tuple[float, float]:
        """Return the (input, output) USD per million tokens of batch requests.

        Explicit batch prices first, else the discount applied to the ordinary prices, else the
        ordinary prices (a provider whose batch price is unknown is not assumed cheaper).
        """
        factor = 1.0 if self.batch_discount is None else self.batch_discount
        price_in = self.batch_price_in_per_mtok
        price_out = self.batch_price_out_per_mtok
        return (
            self.price_in_per_mtok * factor if price_in is None else price_in,
            self.price_out_per_mtok * factor if price_out is None else price_out,
        )

    def at_batch_prices(self) -> ModelPreset:
        """Return this preset priced as its batch requests are billed (same identity)."""
        price_in, price_out = self.batch_prices()
        return replace(self, price_in_per_mtok=price_in, price_out_per_mtok=price_out)

    @property
    def is_paid(self) -> bool:
        """Return True when calls cost money."""
        return self.price_in_per_mtok > 0 or self.price_out_per_mtok > 0

    @property
    def max_output_tokens(self) -> int | None:
        """Return the output-token limit from ``params``, if set."""
        for key in _TOKEN_LIMIT_PARAMS:
            value = self.params.get(key)
            if isinstance(value, int):
                return value
        return None

    def cost_usd(self, input_tokens: int | None, output_tokens: int | None) -> float | None:
        """Return the dollar cost of one call with these token counts."""
        return compute_cost_usd(
            self.price_in_per_mtok, self.price_out_per_mtok, input_tokens, output_tokens
        )

    def api_key(self) -> str:
        """Return the API key from the environment; raise ModelUnavailableError when unset."""
        if not self.api_key_env:
            return NO_KEY_PLACEHOLDER
        value = os.environ.get(self.api_key_env, "").strip()
        if not value:
            raise ModelUnavailableError(
                f"model preset {self.name!r} needs an API key: set the environment variable "
                f"{self.api_key_env}"
            )
        return value

    def option_path(self, key: str) -> Path | None:
        """Return option ``key`` as a path, relative ones resolved against the TOML's folder."""
        value = self.options.get(key)
        if value is None or value == "":
            return None
        path = Path(os.path.expanduser(str(value)))
        if not path.is_absolute() and self.source_file is not None:
            path = self.source_file.parent / path
        return path

    def identity(self) -> dict[str, Any]:
        """Return what decides this preset's answers (cache keys, run records); no secrets.

        A model kept in a local folder (whatever the adapter: a local vLLM may serve one too)
        also contributes its ``revision`` (see ``local_revision``): retrained weights in the same
        folder are another model.
        """
        identity: dict[str, Any] = {
            "adapter": self.adapter,
            "model": self.model,
            "base_url": self.base_url,
            "max_side": self.max_side,
            "params": dict(sorted(self.params.items())),
            "options": {k: str(v) for k, v in sorted(self.options.items())},
        }
        revision = self.local_revision()
        if revision is not None:
            identity["revision"] = revision
        return identity

    def local_revision(self) -> str | None:
        """Fingerprint the files of a model kept in a local folder (None for any other model).

        Names, sizes and modification times of the folder's files: cheap enough for every
        request, and it changes whenever weights are written again (fine-tuning with
        ``--overwrite`` into the same folder), so cached answers and resumed runs of the old
        weights are never taken for the new ones.
        """
        folder = Path(os.path.expanduser(self.model))
        if not folder.is_absolute() and self.source_file is not None:
            folder = self.source_file.parent / folder
        try:
            if not folder.is_dir():
                return None
            entries = [
                (f.name, st.st_size, st.st_mtime_ns)
                for f in sorted(folder.iterdir())
                if f.is_file() and not f.name.startswith(".")
                for st in (f.stat(),)
            ]
        except OSError:
            return None
        digest = hashlib.sha256(json.dumps(entries).encode("utf-8")).hexdigest()
        return digest[:16]


@dataclass(frozen=True)
class PresetStatus:
    """Whether a preset can be used here, and if not, what to do about it."""

    preset: ModelPreset
    available: bool
    reason: str = ""  # e.g. "set the environment variable OPENAI_API_KEY"
    note: str = ""  # usable, but worth knowing (e.g. "weights download on first use")


def _problem(path: Path, name: str, message: str) -> ConfigError:
    return ConfigError(f"{path}: model preset {name!r}: {message}")


def _number(path: Path, name: str, key: str, value: Any, minimum: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _problem(path, name, f"{key} must be a number, got {value!r}")
    number = float(value)
    if math.isnan(number) or number < minimum:
        raise _problem(path, name, f"{key} must be >= {minimum:g}, got {value!r}")
    return number


def _parse_preset(  # noqa: C901 - one check per preset field, in file order
    path: Path, name: str, table: Any, known_adapters: set[str]
) -> ModelPreset:
    if not _PRESET_NAME.match(name):
        raise _problem(path, name, "names use letters, digits, '.', '_' and '-' only")
    if not isinstance(table, dict):
        raise _problem(path, name, "must be a table ([models.NAME])")
    unknown = sorted(set(table) - _ALLOWED_KEYS)
    if unknown and "adapter" not in table and all(isinstance(table[k], dict) for k in unknown):
        raise _problem(
            path,
            name,
            "looks like a dotted name split into nested tables; quote it: "
            f'[models."{name}.{unknown[0]}"]',
        )
    if unknown:
        raise _problem(
            path,
            name,
            f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_ALLOWED_KEYS))}",
        )
    adapter = table.get("adapter")
    if not isinstance(adapter, str) or not adapter:
        raise _problem(
            path, name, "missing 'adapter' (one of: " + ", ".join(sorted(known_adapters)) + ")"
        )
    if adapter not in known_adapters:
        raise _problem(
            path, name, f"unknown adapter {adapter!r}; known: {', '.join(sorted(known_adapters))}"
        )
    model = table.get("model")
    if not isinstance(model, str) or not model.strip():
        raise _problem(path, name, "missing 'model' (the provider's model id or a local path)")
    base_url = table.get("base_url")
    if base_url is not None and (
        not isinstance(base_url, str) or not base_url.startswith(("http://", "https://"))
    ):
        raise _problem(
            path, name, f"base_url must start with http:// or https://, got {base_url!r}"
        )
    key_env = table.get("api_key_env")
    if key_env is not None and (not isinstance(key_env, str) or not _ENV_NAME.match(key_env)):
        # Never echo the value: it may be a pasted key.
        raise _problem(
            path,
            name,
            "api_key_env must be the NAME of an environment variable "
            "(upper case, like OPENAI_API_KEY), never the key itself",
        )
    params = table.get("params", {})
    options = table.get("options", {})
    for key, value in (("params", params), ("options", options)):
        if not isinstance(value, dict):
            raise _problem(path, name, f"{key} must be a table, got {value!r}")
    secret_like = sorted(k for k in [*params, *options] if _SECRET_PARAM.search(k))
    if secret_like:
        raise _problem(
            path,
            name,
            f"{', '.join(secret_like)}: secrets do not belong in the preset file; "
            "put the key in an environment variable and name it in api_key_env",
        )
    max_side = table.get("max_side", 1024)
    if isinstance(max_side, bool) or not isinstance(max_side, int) or max_side < 16:
        raise _problem(path, name, f"max_side must be an integer >= 16 pixels, got {max_side!r}")
    concurrency = table.get("concurrency")
    if concurrency is not None and (
        isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1
    ):
        raise _problem(path, name, f"concurrency must be an integer >= 1, got {concurrency!r}")
    rpm = table.get("rpm")
    timeout_s = table.get("timeout_s")
    description = table.get("description", "")
    if not isinstance(description, str):
        raise _problem(path, name, "description must be a string")
    batch_api = table.get("batch_api")
    if batch_api is not None and batch_api not in _BATCH_APIS:
        raise _problem(path, name, f"batch_api must be one of {', '.join(_BATCH_APIS)}")
    discount = table.get("batch_discount")
    if discount is not None:
        discount = _number(path, name, "batch_discount", discount, 0)
        if discount > 1:
            raise _problem(
                path,
                name,
                f"batch_discount is the share of the price paid (0.5 = half), got " f"{discount:g}",
            )
    batch_prices = {
        key: _number(path, name, key, table[key], 0)
        for key in ("batch_price_in_per_mtok", "batch_price_out_per_mtok")
        if table.get(key) is not None
    }
    preset = ModelPreset(
        name=name,
        adapter=adapter,
        model=model.strip(),
        base_url=base_url.rstrip("/") if isinstance(base_url, str) else None,
        api_key_env=key_env,
        price_in_per_mtok=_number(
            path, name, "price_in_per_mtok", table.get("price_in_per_mtok", 0), 0
        ),
        price_out_per_mtok=_number(
            path, name, "price_out_per_mtok", table.get("price_out_per_mtok", 0), 0
        ),
        max_side=max_side,
        params=_frozen(params),
        options=_frozen(options),
        description=description,
        concurrency=concurrency,
        rpm=None if rpm is None else _number(path, name, "rpm", rpm, 0),
        timeout_s=None if timeout_s is None else _number(path, name, "timeout_s", timeout_s, 0.001),
        source_file=path,
        batch_api=batch_api,
        batch_discount=discount,
        **batch_prices,
    )
    problem = MODELS.get(adapter).preset_problem(preset)
    if problem:
        raise _problem(path, name, f"{adapter} {problem}")
    return preset


def load_presets(path: str | os.PathLike[str]) -> dict[str, ModelPreset]:
    """Read and validate every preset in a TOML file, in file order."""
    file = Path(path)
    if not file.is_file():
        raise ConfigError(
            f"model presets file {file} not found; copy models.example.toml to models.toml, "
            "or pass --models FILE / set GEOSCOPE_MODELS"
        )
    try:
        document = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{file}: not UTF-8 text") from None
    tables = document.get("models")
    if not isinstance(tables, dict) or not tables:
        raise ConfigError(f"{file}: no [models.NAME] tables found")
    extra = sorted(set(document) - {"models"})
    if extra:
        raise ConfigError(f"{file}: unknown top-level key(s) {', '.join(extra)}; only [models.*]")
    known = set(MODELS.names())
    return {name: _parse_preset(file, name, table, known) for name, table in tables.items()}


def resolve_models_file(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the presets file: explicit path, else $GEOSCOPE_MODELS, else models.toml."""
    return Settings.from_env(models=explicit).models_file


def get_preset(name: str, models_file: str | os.PathLike[str] | None = None) -> ModelPreset:
    """Return one preset by name from the resolved presets file."""
    file = resolve_models_file(models_file)
    presets = load_presets(file)
    try:
        return presets[name]
    except KeyError:
        raise ConfigError(
            f"no model preset {name!r} in {file}; known: {', '.join(presets)}"
        ) from None


def preset_status(preset: ModelPreset) -> PresetStatus:
    """Tell whether a preset can run here: the same check ``create_adapter`` (``run``) makes."""
    adapter_cls = MODELS.get(preset.adapter)
    reason = adapter_cls.why_unavailable(preset)
    if reason:
        return PresetStatus(preset, False, reason)
    return PresetStatus(preset, True, "", adapter_cls.availability_note(preset) or "")


def hub_weights_note(source: str) -> str | None:
    """Return a note when ``source`` is a hub id whose weights are not in the local cache."""
    if Path(os.path.expanduser(source)).exists():
        return None
    try:
        from huggingface_hub import try_to_load_from_cache  # lazy: heavy, only for hub models

        cached = try_to_load_from_cache(source, "config.json")
    except Exception:  # noqa: BLE001 - not a valid repo id: loading will say so
        return None
    if isinstance(cached, str):
        return None
    return f"{source} is not in the local Hugging Face cache: it downloads on first use"


def missing_module(module: str) -> bool:
    """Return True when ``module`` cannot be imported (checked without importing it)."""
    try:
        return importlib.util.find_spec(module) is None
    except (ImportError, ValueError):
        return True
