"""Live: drop in a photo, pick a few models, watch their guesses arrive side by side on a map.

Thin view: every decision (validation, EXIF stripping, parallel calls, cache, spending cap,
consensus, saving) lives in ``analysis.live``. API keys never reach the browser: presets only
name their environment variable, and only that name is ever shown.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import datetime
from typing import Any

import streamlit as st

from analysis.config import PROJECT_ROOT
from analysis.dashboard.data import samples_with_image_files
from analysis.dashboard.text import inert
from analysis.errors import ConfigError, GeoScopeError, ImageError
from analysis.live import (
    ENV_LIVE_BUDGET,
    ENV_LIVE_DAILY_BUDGET,
    LIVE_DATASET,
    CombinedBudget,
    DailyBudget,
    LiveCache,
    LiveConfig,
    LiveImage,
    LiveResult,
    LiveRound,
    SessionBudget,
    ask_blocker,
    build_calls,
    live_prompt,
    live_strategies,
    prepare_image,
    read_dataset_image,
    rescore,
    run_live,
    save_rounds,
)
from analysis.live.bind import LivePrompt, PresetChoice, preset_choices
from analysis.live.budget import format_cap
from analysis.live.intake import UPLOAD_TYPES
from analysis.live.session import save_blocker, truth_or_none
from analysis.types import LatLon
from pages import _live_cards as cards
from pages import _shared as sh
from pages import _ui as ui

SOURCE_UPLOAD = "Upload a photo"
SOURCE_DATASET = "Pick from a dataset"
TRUTH_EXIF = "Photo's GPS (EXIF)"
TRUTH_DATASET = "Dataset's truth"
TRUTH_TYPED = "Type coordinates"
TRUTH_UNKNOWN = "Unknown"
# Choices that must survive a run where their widget is not drawn (Streamlit forgets a widget's
# value then): a photo being replaced, a refused file, a visit to another page.
KEPT_CHOICES = ("live_presets", "live_strategy", "live_form")


def _restore(key: str, options: list[str], multi: bool = False) -> None:
    """Give widget ``key`` back its last value if Streamlit dropped it (only current options)."""
    kept = st.session_state.get(f"_kept_{key}")
    if key in st.session_state or kept is None:
        return
    if multi:
        st.session_state[key] = [value for value in kept if value in options]
    elif kept in options:
        st.session_state[key] = kept


def _remember() -> None:
    """Copy the choices into keys no widget owns, which Streamlit never drops."""
    for key in KEPT_CHOICES:
        if key in st.session_state:
            st.session_state[f"_kept_{key}"] = st.session_state[key]


# -- session --------------------------------------------------------------------------------
def _session(config: LiveConfig) -> tuple[str, SessionBudget]:
    """Return this browser session's id and spending tracker (created on first use)."""
    if "live_session_id" not in st.session_state:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        st.session_state["live_session_id"] = f"{stamp}-{secrets.token_hex(2)}"
        st.session_state["live_budget"] = SessionBudget(config.budget_usd)
        st.session_state["live_rounds"] = []
    return st.session_state["live_session_id"], st.session_state["live_budget"]


# -- photo ----------------------------------------------------------------------------------
def _photo_from_dataset(config: LiveConfig) -> tuple[bytes, str, LatLon | None] | None:
    datasets = sh.list_datasets()
    if datasets.empty:
        st.info("No dataset is loaded yet; upload a photo instead.")
        return None
    names = datasets["name"].astype(str).tolist()
    dataset = st.selectbox("Dataset", names, key="live_dataset")
    samples = sh.dataset_samples(dataset)
    with_images = samples_with_image_files(samples, PROJECT_ROOT)
    if with_images.empty:
        st.info(
            f"None of the {len(samples):,} images of dataset {inert(repr(dataset))} is on this "
            "machine; "
            "upload a photo instead, or re-import the dataset where its image files are."
        )
        return None
    ids = with_images["sample_id"].astype(str).tolist()
    sample_id = st.selectbox("Image", ids, key="live_sample")
    row = with_images[with_images["sample_id"].astype(str) == sample_id].iloc[0]
    path = str(row["image_path"])
    data = read_dataset_image(path, config, root=PROJECT_ROOT)
    return data, path.rsplit("/", 1)[-1], truth_or_none(row["true_lat"], row["true_lon"])


def _photo(config: LiveConfig) -> tuple[bytes, str, LatLon | None] | None:
    source = st.radio("Photo", [SOURCE_UPLOAD, SOURCE_DATASET], horizontal=True, key="live_source")
    if source == SOURCE_DATASET:
        return _photo_from_dataset(config)
    upload = st.file_uploader(
        "Upload a photo (JPEG, PNG, WebP, HEIC)",
        type=list(UPLOAD_TYPES),
        key="live_upload",
        max_upload_size=config.max_upload_mb,
        help="EXIF is removed before any model sees the photo; its GPS, if any, is offered "
        "as the ground truth below.",
    )
    if upload is None:
        return None
    return upload.getvalue(), upload.name, None


def _prepared(data: bytes, filename: str, config: LiveConfig) -> LiveImage:
    """Validate and strip the photo once per upload (kept across reruns of this session)."""
    from analysis.images import image_sha256

    key = (image_sha256(data), filename)
    cached = st.session_state.get("live_prepared")
    if cached is not None and cached[0] == key:
        image: LiveImage = cached[1]
        return image
    image = prepare_image(data, filename, config)
    st.session_state["live_prepared"] = (key, image)
    return image


# -- truth ----------------------------------------------------------------------------------
def _truth(image: LiveImage, dataset_truth: LatLon | None) -> LatLon | None:
    options = []
    if dataset_truth is not None:  # a benchmark's truth is checked: offer it first
        options.append(TRUTH_DATASET)
    if image.exif_gps is not None:
        options.append(TRUTH_EXIF)
    options += [TRUTH_TYPED, TRUTH_UNKNOWN]
    mode = st.radio(
        "Ground truth",
        options,
        horizontal=True,
        key=f"live_truth_mode_{image.original_sha256[:12]}",
        help="Where the photo was really taken: scores (km, GeoGuessr points) need it.",
    )
    if mode == TRUTH_UNKNOWN:
        st.caption("No truth: the models' guesses are shown without scores.")
        return None
    start = {TRUTH_EXIF: image.exif_gps, TRUTH_DATASET: dataset_truth}.get(mode)
    suffix = f"{mode}_{image.original_sha256[:12]}"
    left, right = st.columns(2)
    lat = left.number_input(
        "Latitude (deg, north +)",
        -90.0,
        90.0,
        value=None if start is None else start.lat,
        format="%.6f",
        key=f"live_lat_{suffix}",
    )
    lon = right.number_input(
        "Longitude (deg, east +)",
        -180.0,
        180.0,
        value=None if start is None else start.lon,
        format="%.6f",
        key=f"live_lon_{suffix}",
    )
    return truth_or_none(lat, lon)


# -- models ---------------------------------------------------------------------------------
def _models(config: LiveConfig) -> list[PresetChoice]:
    try:
        choices = preset_choices(config.settings.models_file)
    except ConfigError as exc:
        st.error(f"Model presets cannot be read: {inert(exc)}")
        return []
    # Values are preset names, not labels: a label changes with availability, a name does not.
    by_name = {c.preset.name: c for c in choices}
    _restore("live_presets", list(by_name), multi=True)
    picked = st.multiselect(
        "Models",
        list(by_name),
        key="live_presets",
        format_func=lambda name: by_name[name].label if name in by_name else name,
        help="Presets come from the models file (GEOSCOPE_MODELS). Unavailable ones name the "
        "environment variable to set; keys are never shown here.",
    )
    return [by_name[name] for name in picked if name in by_name]


def _ask(
    image: LiveImage,
    chosen: list[PresetChoice],
    truth: LatLon | None,
    prompt: LivePrompt,
    config: LiveConfig,
    budget: CombinedBudget,
) -> LiveRound:
    from analysis.models.base import AdapterContext

    context = AdapterContext(store=sh.store(), images_root=PROJECT_ROOT)
    calls = build_calls([c.preset for c in chosen], prompt, context=context)
    names = sh.country_names()
    columns = st.columns(max(1, min(len(calls), 4)))
    slots = {}
    for index, call in enumerate(calls):
        slot = columns[index % len(columns)].empty()
        with slot.container():
            cards.waiting(call.preset)
        slots[call.preset] = slot
    results: dict[str, LiveResult] = {}
    for result in run_live(
        image.data,  # as a benchmark sends a file: answers are shared through the cache
        image.original_sha256,
        calls,
        truth=truth,
        timeout_s=config.timeout_s,
        budget=budget,
        cache=LiveCache(config.settings.cache_dir),
        max_workers=config.max_workers,
    ):
        results[result.preset] = result
        with slots[result.preset].container():
            cards.card(result, names, truth)
    ordered = tuple(results[c.preset] for c in calls)
    return LiveRound(image=image, truth=truth, prompt=prompt, results=ordered)


def _save(session_id: str, config: LiveConfig) -> None:
    rounds: list[LiveRound] = st.session_state["live_rounds"]
    if not rounds:
        return
    blocker = save_blocker(rounds)
    clicked = st.button(
        "Save as run",
        key="live_save",
        icon=":material/save:",
        disabled=blocker is not None,
        help=f"Store this session's guesses as runs of the '{LIVE_DATASET}' dataset, "
        "so they appear on the other pages.",
    )
    if blocker is not None:
        st.caption(f"Cannot save: {inert(blocker)}")
        return
    if clicked:
        report = save_rounds(sh.store(), rounds, session_id, config.settings.cache_dir)
        sh.clear_caches()
        if report.runs:
            st.success(
                f"Saved {report.predictions:,} guesses as {len(report.runs)} run(s) of the "
                f"'{LIVE_DATASET}' dataset: {', '.join(inert(run) for run in report.runs)}."
            )
        if report.skipped_without_truth:
            st.info(
                f"{report.skipped_without_truth:,} photo(s) without a ground truth were not saved: "
                "a stored sample needs its true location to be scored."
            )
        if report.skipped_unanswered:
            st.info(
                f"{report.skipped_unanswered:,} photo(s) that no model answered were not saved."
            )


def _show_cap(slot: Any, budget: CombinedBudget) -> None:
    today = budget.daily.snapshot()
    in_flight = f", ${today.reserved_usd:.4f} held by calls in flight" if today.reserved_usd else ""
    # inert(): the dollar signs would otherwise start Markdown maths
    if sh.presentation_mode():  # one line for the room; which setting caps it is for the host
        lines = [
            inert(
                f"Spent: ${budget.session.spent_usd:.4f} of {format_cap(budget.session.limit_usd)} "
                f"this session, ${today.spent_usd:.4f} of {format_cap(today.limit_usd)} today "
                f"(all sessions{in_flight})."
            )
        ]
    else:
        lines = [
            inert(
                f"Spending cap this session: ${budget.session.spent_usd:.4f} of "
                f"{format_cap(budget.session.limit_usd)} used (paid presets only; "
                f"set {ENV_LIVE_BUDGET})."
            ),
            inert(
                f"Server-wide today (UTC, all sessions): ${today.spent_usd:.4f} of "
                f"{format_cap(today.limit_usd)} used{in_flight} (set {ENV_LIVE_DAILY_BUDGET})."
            ),
        ]
    if today.problem:
        lines.append(inert(today.problem))
    slot.caption("  \n".join(lines))


def _usable_photo(config: LiveConfig) -> tuple[LiveImage | None, str, LatLon | None]:
    """Read the chosen photo, or say why there is none; the rest of the page is drawn anyway."""
    picked = _photo(config)
    if picked is None:
        return None, "", None
    data, filename, dataset_truth = picked
    try:
        image = _prepared(data, filename, config)
    except ImageError as exc:
        st.error(f"This file cannot be used: {inert(exc)}")
        return None, filename, None
    for note in image.notes:
        st.info(inert(note))
    return image, filename, dataset_truth


# -- page -----------------------------------------------------------------------------------
def body() -> None:
    """Draw the page."""
    st.title("Live")
    st.caption("Drop in a photo, pick a few models and compare their guesses on the map.")
    config = LiveConfig.from_env()
    session_id, session_budget = _session(config)
    budget = CombinedBudget(
        session_budget, DailyBudget(config.settings.cache_dir, config.daily_budget_usd)
    )

    image, filename, dataset_truth = _usable_photo(config)
    left, right = st.columns([1, 2])
    with left:
        if image is not None:
            st.image(
                image.model_bytes,
                caption=f"{inert(filename)} - {image.width:d}x{image.height:d} "
                f"{inert(image.source_format)}, sent without EXIF",
                width="stretch",
            )
    with right:
        truth = _truth(image, dataset_truth) if image is not None else None
        chosen = _models(config)
        strategies = live_strategies()
        _restore("live_strategy", strategies)
        strategy = st.selectbox("Prompt strategy", strategies, key="live_strategy")
        _restore("live_form", ["coords", "country"])
        form = st.radio(
            "Answer",
            ["coords", "country"],
            horizontal=True,
            key="live_form",
            format_func=lambda f: "country + coordinates" if f == "coords" else "country only",
        )
        cap_slot = st.empty()
        _show_cap(cap_slot, budget)
        prompt = None if image is None else live_prompt(strategy, form, image.original_sha256)
        blocker = ask_blocker(
            chosen,
            image_sha256=None if image is None else image.original_sha256,
            prompt=prompt,
            session=budget.session,
            today=budget.daily.snapshot(),
            cache=LiveCache(config.settings.cache_dir),
        )
        run = st.button(
            "Ask the models",
            key="live_run",
            type="primary",
            icon=":material/travel_explore:",
            disabled=blocker is not None,
        )
        if blocker is not None:  # a button that cannot act says why, next to it
            st.caption(f":material/block: Cannot ask: {inert(blocker)}")
    _remember()
    if image is None or prompt is None:
        return

    rounds: list[LiveRound] = st.session_state["live_rounds"]
    if run:
        try:
            live_round = _ask(image, chosen, truth, prompt, config, budget)
        except GeoScopeError as exc:
            st.error(inert(exc))
            return
        rounds.append(live_round)
        _show_cap(cap_slot, budget)  # what this round spent
    elif rounds and rounds[-1].image.original_sha256 == image.original_sha256:
        live_round = rounds[-1]
        if live_round.truth != truth:  # truth edited after the answers: rescore, no new calls
            live_round = replace(
                live_round, truth=truth, results=rescore(live_round.results, truth)
            )
            rounds[-1] = live_round
        cards.show(live_round)
    else:
        return
    cards.result_map(live_round)
    _save(session_id, config)


ui.guarded(body)
