"""Captions count things in correct English; untrusted text is shown literally, never rendered."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from analysis.dashboard.text import (
    WORD_JOINER,
    count_noun,
    inert,
    inert_frame,
    inert_table,
    legend_html,
)

# CommonMark, as Streamlit's renderer is at its core (its GFM and directive extras need
# unescaped punctuation, checked separately below)
MARKDOWN = MarkdownIt("commonmark")
ASCII_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")
# GFM autolink literals as Streamlit's renderer (mdast-util-gfm-autolink-literal) finds them in
# the text after escapes are resolved: a protocol, a www. host, an e-mail address
AUTOLINK = re.compile(r"(?i)https?://|www\.|[-.\w+]+@[-\w]+(\.[-\w]+)+")
HOSTILE = [
    "![p](http://127.0.0.1:9/pixel)",
    "<img src=http://127.0.0.1:9/x>",
    "[link](http://127.0.0.1:9/a)",
    "<http://127.0.0.1:9/auto>",
    ":red[x] :material/home: $x^2$",
    "**bold** _it_ `code` ~~gone~~",
    "# heading",
    "1. item",
    "- item",
    "> quote",
    "a | b\n--|--\n1 | 2",
    "&amp; &lt;b&gt; &#65;",
    "back\\slash \\*",
    "[ref]: http://127.0.0.1:9/r\n[ref]",
    "bare http://127.0.0.1:9/auto www.example.com me@example.com",
]


class _Visible(HTMLParser):
    """Collect the text a browser shows and every tag the HTML holds."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)  # a <br /> is followed by a newline in the source: kept as text

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _render(markdown: str) -> _Visible:
    parser = _Visible()
    parser.feed(MARKDOWN.render(markdown))
    parser.close()
    # the invisible joiners inert() puts into autolink triggers are not part of what one reads
    parser.text = [part.replace(WORD_JOINER, "") for part in parser.text]
    return parser


def _lines(text: str) -> str:
    """Compare line by line: Markdown trims a line's outer spaces, a blank line ends a paragraph."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def test_singular_plural_and_separators() -> None:
    assert count_noun(1, "run") == "1 run"
    assert count_noun(0, "run") == "0 runs"
    assert count_noun(2, "run") == "2 runs"
    assert count_noun(12345, "image") == "12,345 images"
    assert count_noun(2, "country", "countries") == "2 countries"


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_is_shown_literally(text: str) -> None:
    shown = _render(inert(text))
    assert set(shown.tags) <= {"p", "br"}, shown.tags
    assert _lines("".join(shown.text)) == _lines(text)
    assert shown.tags.count("br") == text.count("\n")  # hard breaks keep the lines apart


@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp"))))
def test_rendered_text_equals_the_input(text: str) -> None:
    shown = _render(inert(text))
    assert set(shown.tags) <= {"p"}, (text, shown.tags)
    # _render drops word joiners (inert's own), so one in the input is not compared either
    assert "".join(shown.text).strip() == text.replace(WORD_JOINER, "").strip()


@given(st.text(alphabet=st.sampled_from(list("ab :[]()!<>`$*_\\/.#-+|~&;=\"'\n"))))
def test_lines_and_spaces_survive(text: str) -> None:
    shown = _render(inert(text))
    assert set(shown.tags) <= {"p", "br"}, (text, shown.tags)
    assert _lines("".join(shown.text)) == _lines(text)


@given(st.text())
def test_no_punctuation_is_left_unescaped(text: str) -> None:
    # Streamlit's own syntax (:red[..], :material/..:, $..$, autolinks) needs bare punctuation
    assert not ASCII_PUNCTUATION.search(ESCAPE.sub("", inert(text)))


LINKISH = ["http://", "HTTPS://", "www.", "WwW.", "@", "me", "x.org", ".", ":", "/", "-", " ", "\n"]


@given(st.lists(st.sampled_from(LINKISH)).map("".join))
def test_no_autolink_survives_the_escapes(text: str) -> None:
    # escapes alone do not stop them: the renderer links the unescaped text
    visible = ESCAPE.sub(lambda m: m.group(0)[1], inert(text))
    assert not AUTOLINK.search(visible), visible


def test_autolink_triggers_are_broken() -> None:
    assert MARKDOWN.render(inert("http://h.example/x")) == (
        f"<p>http:{WORD_JOINER}//h.example/x</p>\n"
    )
    assert inert("a@b.c") == f"a{WORD_JOINER}\\@b\\.c"


def test_non_strings_and_exceptions_are_escaped() -> None:
    assert inert(ValueError("[x](h)")) == r"\[x\]\(h\)"
    assert inert(3.5) == r"3\.5"


def test_legend_labels_are_escaped() -> None:
    out = legend_html([('<img src="http://127.0.0.1:9/x">', (1, 2, 3))])
    assert "<img" not in out and "&lt;img src=&quot;http://127.0.0.1:9/x&quot;&gt;" in out
    assert "rgb(1,2,3)" in out
    titled = legend_html([("0%", (1, 2, 3))], title="<b>Accuracy</b> (%)")
    assert "<b>" not in titled and "&lt;b&gt;Accuracy&lt;/b&gt; (%):" in titled
    assert titled.index("Accuracy") < titled.index("0%")  # named once, before the stops


def test_inert_table_makes_every_header_and_text_cell_text() -> None:
    hostile = pd.DataFrame(
        {"Run": HOSTILE[:3], HOSTILE[3]: [32.8, float("nan"), 7.0], "note": [None, "x", HOSTILE[4]]}
    )
    shown = inert_frame(hostile)
    assert list(shown.columns) == ["Run", inert(HOSTILE[3]), "note"]
    assert shown["Run"].tolist() == [inert(text) for text in HOSTILE[:3]]
    assert shown["note"].tolist() == ["–", "x", inert(HOSTILE[4])]
    for cell in [*shown.columns, *shown["Run"], *shown["note"]]:
        rendered = _render(str(cell))
        assert set(rendered.tags) <= {"p"}, (cell, rendered.tags)  # no img, a, html
    # the number column stays numeric (st.table right-aligns it) and prints through its format
    assert shown[inert(HOSTILE[3])].tolist()[::2] == [32.8, 7.0]
    printed = inert_table(hostile, {HOSTILE[3]: lambda value: f"{value:.1f}%"}).to_html()
    assert "32.8%" in printed and "7.0%" in printed and ">–<" in printed
    # its header is right-aligned as well (over the grid's inline style); the text columns' not
    right = re.findall(r"th\.col(\d+) \{\s*text-align: right !important", printed)
    assert right == ["1"], printed[:400]
    # text cells may break anywhere (a long URL-like name must not push columns off screen)
    wrapping = re.findall(r"td\.col(\d+) p \{\s*overflow-wrap: anywhere", printed)
    assert wrapping == ["0", "2"], printed[:600]
    assert list(hostile.columns) == ["Run", HOSTILE[3], "note"]  # the caller's frame is unchanged


def test_inert_table_right_aligns_text_columns_that_read_as_figures() -> None:
    table = pd.DataFrame({"metric": ["Country"], "A − B": ["+12.3 pts"], "note": ["x"]})
    printed = inert_table(table, right=("A − B",)).to_html()
    for cell in ("th", "td"):
        aligned = re.findall(rf"{cell}\.col(\d+) \{{\s*text-align: right !important", printed)
        assert aligned == ["1"], (cell, printed[:600])
    wrapping = re.findall(r"td\.col(\d+) p \{\s*overflow-wrap: anywhere", printed)
    assert wrapping == ["0", "2"]  # the figures do not wrap mid-number; the text may
