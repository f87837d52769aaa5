"""Input modes reshape a rendered query: what each sends, and that the mode enters every hash."""

from __future__ import annotations

import pytest

from analysis.commands.run import INPUT_MODES
from analysis.errors import InputError
from analysis.prompts import InputMode, apply_mode, describe_messages, get_prompt, parse_mode
from analysis.prompts.modes import (
    DESCRIBE_REQUEST,
    DESCRIPTION_ONLY_ROLE,
    mode_template_hash,
    mode_template_text,
)
from analysis.prompts.strategy import ROLE_TEXT
from analysis.types import Sample

QUERY = Sample("q", 48.85, 2.35, "FRA", "loc1", 0, "test", "q.jpg", "a" * 64)
DESCRIPTION = "A cobbled street with cream stone facades and a green café awning."


def _views() -> list[Sample]:
    # out of order on purpose: the request must show them by heading
    return [
        Sample(f"v{h}", 48.85, 2.35, "FRA", "loc1", h, "test", f"v{h}.jpg", f"{h:064d}")
        for h in (180, 0, 270, 90)
    ]


def test_cli_lists_exactly_the_modes_the_prompts_know() -> None:
    assert tuple(m.value for m in InputMode) == INPUT_MODES
    assert parse_mode(" all-views ") is InputMode.ALL_VIEWS
    with pytest.raises(InputError, match="known: image, image\\+description"):
        parse_mode("pixels")


def test_image_mode_is_todays_prompt_with_todays_hash() -> None:
    plain = get_prompt("must").render(QUERY, (), "coords")
    assert apply_mode(plain, "image") is plain
    assert "mode" not in plain.canonical()
    template = get_prompt("must").template_hash("coords")
    assert mode_template_hash(template, "image") == template


def test_image_plus_description_sends_the_image_and_the_description() -> None:
    plain = get_prompt("must").render(QUERY, (), "country")
    shaped = apply_mode(plain, InputMode.IMAGE_DESCRIPTION, description=f"  {DESCRIPTION}\n")
    (turn,) = shaped.turns
    assert [i.sha256 for i in turn.images] == ["a" * 64]
    assert DESCRIPTION in turn.text and turn.text.endswith(plain.turns[0].text)
    assert shaped.system == plain.system and shaped.mode == "image+description"
    assert shaped.hash != plain.hash


def test_description_only_sends_no_pixels_and_says_so() -> None:
    plain = get_prompt("must").render(QUERY, (), "country")
    shaped = apply_mode(plain, "description", description=DESCRIPTION)
    assert shaped.images() == ()
    assert DESCRIPTION in shaped.turns[0].text
    assert ROLE_TEXT not in shaped.system and DESCRIPTION_ONLY_ROLE in shaped.system
    with_image = apply_mode(plain, "image+description", description=DESCRIPTION)
    assert len({shaped.hash, with_image.hash, plain.hash}) == 3


def test_describe_then_locate_is_two_user_turns_around_the_models_description() -> None:
    plain = get_prompt("tips").render(QUERY, (), "coords")
    shaped = apply_mode(plain, "describe-then-locate", description=DESCRIPTION)
    assert [t.role for t in shaped.turns] == ["user", "assistant", "user"]
    assert shaped.turns[0].text == DESCRIBE_REQUEST and len(shaped.turns[0].images) == 1
    assert shaped.turns[1].text == DESCRIPTION and not shaped.turns[2].images
    assert len(shaped.images()) == 1 and shaped.system == plain.system


def test_all_views_sends_every_heading_in_order() -> None:
    plain = get_prompt("basic").render(QUERY, (), "country")
    shaped = apply_mode(plain, "all-views", views=_views())
    (turn,) = shaped.turns
    assert [i.path for i in turn.images] == ["v0.jpg", "v90.jpg", "v180.jpg", "v270.jpg"]
    assert "4 photos" in turn.text and "0, 90, 180, 270" in turn.text


def test_modes_refuse_what_they_cannot_mean() -> None:
    plain = get_prompt("must").render(QUERY, (), "country")
    with pytest.raises(InputError, match="no description"):
        apply_mode(plain, "description", description="  ")
    with pytest.raises(InputError, match="views"):
        apply_mode(plain, "all-views")
    example = Sample("e", 35.0, 139.0, "JPN", "loc2", 0, "train", "e.jpg", "b" * 64)
    kshot = get_prompt("static_kshot").with_options(k=1).render(QUERY, [example], "country")
    with pytest.raises(InputError, match="without examples"):
        apply_mode(kshot, "image+description", description=DESCRIPTION)


def test_describe_request_names_its_image_and_mode_in_the_hash() -> None:
    request = describe_messages(QUERY)
    assert request.images()[0].sha256 == "a" * 64 and request.canonical()["mode"] == "describe"
    other = describe_messages(Sample("r", 0.0, 0.0, image_sha256="c" * 64))
    assert request.hash != other.hash


def test_run_level_hash_and_text_differ_per_mode() -> None:
    strategy = get_prompt("basic")
    template = strategy.template_hash("country")
    hashes = {mode_template_hash(template, m, "d" * 64) for m in InputMode}
    assert len(hashes) == len(InputMode)
    # another describe prompt is another experiment for the modes that carry a description
    assert mode_template_hash(template, "description", "e" * 64) != mode_template_hash(
        template, "description", "d" * 64
    )
    assert mode_template_hash(template, "all-views", "e" * 64) == mode_template_hash(
        template, "all-views", "d" * 64
    )
    text = mode_template_text(strategy.template_text("country"), "all-views")
    assert text.startswith(strategy.template_text("country")) and "all-views" in text
