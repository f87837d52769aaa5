"""Untrusted text never reaches a Markdown-rendering Streamlit call unescaped (checked by AST).

Streamlit renders the body of ``st.markdown`` / ``st.error`` / ``st.caption``..., every widget
label, ``help=`` tooltips and radio options as Markdown: a run named ``![p](http://host/x)``
would load an image from that host. The pages may pass such a call only text GeoScope wrote:
string literals, numbers formatted as numbers, module constants, and ``inert(...)`` (the one
escaping path, ``analysis.dashboard.text``). Anything else fails this test with its location.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from analysis.config import PROJECT_ROOT

# calls whose every positional argument (and ``body=``) is rendered as Markdown
BODY_SINKS = {
    "markdown",
    "error",
    "warning",
    "info",
    "success",
    "caption",
    "write",
    "title",
    "header",
    "subheader",
    "toast",
    "badge",
    "exception",
    "metric",  # label, value and delta are all Markdown (checked in chromium)
    "table",  # every cell and header of st.table is Markdown
}
# calls whose first positional argument (or ``label=``) is a Markdown label
LABEL_SINKS = {
    "expander",
    "popover",
    "button",
    "download_button",
    "link_button",
    "checkbox",
    "toggle",
    "radio",
    "selectbox",
    "multiselect",
    "slider",
    "select_slider",
    "text_input",
    "text_area",
    "number_input",
    "date_input",
    "time_input",
    "file_uploader",
    "camera_input",
    "color_picker",
    "form_submit_button",
    "pills",
    "segmented_control",
    "data_editor",
}
# st.page_link's first argument is the page; its label comes only as ``label=``
LABEL_KEYWORD_ONLY = {"page_link"}
TABS = {"tabs"}
# widgets whose options are drawn as Markdown too (so is their format_func's result)
OPTION_SINKS = {"radio", "pills", "segmented_control"}
# st.image renders its caption as Markdown (selectbox and multiselect options stay plain text)
CAPTION_SINKS = {"image"}
# st.html renders HTML: only constants or the escaping legend builder may reach it
HTML_SINKS = {"html"}
ALL_SINKS = (
    BODY_SINKS | LABEL_SINKS | LABEL_KEYWORD_ONLY | TABS | OPTION_SINKS | CAPTION_SINKS | HTML_SINKS
)
# receivers that share a sink's method name but are not Streamlit (logging.info, ...)
NOT_STREAMLIT = {"LOG", "logging", "log", "logger", "LOGGER"}

# The allow-list: helpers whose result is safe whatever their arguments are.
SAFE_HELPERS = {
    "inert",  # escapes every Markdown character (analysis.dashboard.text)
    "count_noun",  # "3 runs": an int formatted with a GeoScope-written noun
    "legend_html",  # html.escape on every label (analysis.dashboard.text)
    "inert_table",  # inert() on every cell and header (analysis.dashboard.text)
    "highlight_html",  # html.escape on every piece of the answer (analysis.dashboard.clues)
    "simulated_notice",  # one of its module's constant notes (analysis.dashboard.simulated)
    "len",
    "int",
    "float",
    "round",
    "abs",
}
# format specs that only numbers accept ("{x:,}" on a str raises), so the output is digits
NUMERIC_SPEC_TYPES = set("bdeEfFgGnoxX%")


def _numeric_spec(spec: ast.expr | None) -> bool:
    if not isinstance(spec, ast.JoinedStr) or len(spec.values) != 1:
        return False
    part = spec.values[0]
    text = part.value if isinstance(part, ast.Constant) else None
    return (
        isinstance(text, str)
        and bool(text)
        and (text[-1] in NUMERIC_SPEC_TYPES or "," in text or "_" in text)
    )


def _receiver_root(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


@dataclass
class Scope:
    """Assignments visible to one function (or the module): name -> every value bound to it."""

    bindings: dict[str, list[ast.expr | None]] = field(default_factory=dict)
    params: set[str] = field(default_factory=set)
    trusted_params: set[str] = field(default_factory=set)


def _bindings(body: list[ast.stmt], scope: Scope) -> None:
    """Record every value a name is bound to in ``body`` (None: bound some other way)."""
    for node in (n for stmt in body for n in ast.walk(stmt)):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    scope.bindings.setdefault(target.id, []).append(node.value)
                else:  # tuple unpacking: the parts are not checked one by one
                    for name in ast.walk(target):
                        if isinstance(name, ast.Name):
                            scope.bindings.setdefault(name.id, []).append(None)
        elif isinstance(node, ast.AnnAssign | ast.AugAssign) and isinstance(node.target, ast.Name):
            scope.bindings.setdefault(node.target.id, []).append(node.value)
        elif isinstance(node, ast.For | ast.comprehension | ast.With | ast.NamedExpr):
            targets = (
                [node.target]
                if not isinstance(node, ast.With)
                else [item.optional_vars for item in node.items if item.optional_vars is not None]
            )
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        scope.bindings.setdefault(name.id, []).append(None)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("append", "extend", "insert")
            and isinstance(node.func.value, ast.Name)
        ):
            scope.bindings.setdefault(node.func.value.id, []).append(node.args[-1])


class Checker:
    """Find Markdown sinks in one module that may receive text GeoScope did not write."""

    def __init__(self, source: str, module: str = "<snippet>") -> None:
        self.tree = ast.parse(source)
        self.module = module
        self.module_scope = Scope()
        self.imports: dict[str, tuple[str, str]] = {}
        top = [s for s in self.tree.body if not isinstance(s, ast.FunctionDef | ast.ClassDef)]
        _bindings(top, self.module_scope)
        for stmt in self.tree.body:
            if isinstance(stmt, ast.ImportFrom) and stmt.module:
                for alias in stmt.names:
                    self.imports[alias.asname or alias.name] = (stmt.module, alias.name)
        self.problems: list[str] = []

    # -- safety of one expression --------------------------------------------------------
    def safe(self, node: ast.expr | None, scope: Scope, depth: int = 0) -> bool:
        """Return True when ``node`` can only be text GeoScope wrote (or escaped text)."""
        if node is None or depth > 12:
            return False

        def again(n: ast.expr | None) -> bool:
            return self.safe(n, scope, depth + 1)

        if isinstance(node, ast.Constant):
            return node.value is None or isinstance(node.value, str | int | float | bool)
        if isinstance(node, ast.JoinedStr):
            return all(again(v) for v in node.values)
        if isinstance(node, ast.FormattedValue):
            return node.conversion == -1 and (_numeric_spec(node.format_spec) or again(node.value))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return again(node.left) and again(node.right)
        if isinstance(node, ast.BoolOp):
            return all(again(v) for v in node.values)
        if isinstance(node, ast.IfExp):
            return again(node.body) and again(node.orelse)
        if isinstance(node, ast.List | ast.Tuple):
            return all(again(e) for e in node.elts)
        if isinstance(node, ast.GeneratorExp | ast.ListComp):
            return again(node.elt)
        if isinstance(node, ast.Call):
            return self._safe_call(node, scope, depth)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            return self._constant_table(node.value.id)
        if isinstance(node, ast.Name):
            return self._safe_name(node.id, scope, depth)
        return False

    def _safe_call(self, node: ast.Call, scope: Scope, depth: int) -> bool:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name in SAFE_HELPERS:
            return True
        if isinstance(func, ast.Attribute) and func.attr == "join":  # "sep".join(safe parts)
            return self.safe(func.value, scope, depth + 1) and all(
                self.safe(a, scope, depth + 1) for a in node.args
            )
        if (  # TABLE.get(key, default) on a module dict of literals
            isinstance(func, ast.Attribute)
            and func.attr == "get"
            and isinstance(func.value, ast.Name)
            and self._constant_table(func.value.id)
        ):
            return all(self.safe(a, scope, depth + 1) for a in node.args[1:])
        return False

    def _constant_table(self, name: str) -> bool:
        """A module-level UPPER_CASE dict whose values are all literals."""
        values = self.module_scope.bindings.get(name, [])
        return (
            name.isupper()
            and len(values) == 1
            and isinstance(values[0], ast.Dict)
            and all(self.safe(v, self.module_scope) for v in values[0].values)
        )

    def _safe_name(self, name: str, scope: Scope, depth: int) -> bool:
        if name in scope.params:
            return False
        if name in scope.bindings and scope is not self.module_scope:
            rebound = all(self.safe(v, scope, depth + 1) for v in scope.bindings[name])
            return rebound and (name in scope.trusted_params or name not in scope.params)
        if name in scope.trusted_params:
            return True
        if not name.isupper():
            return False
        if name in self.module_scope.bindings:
            values = self.module_scope.bindings[name]
            return all(self.safe(v, self.module_scope, depth + 1) for v in values)
        if name in self.imports:  # a constant of GeoScope's own code: check its value
            module, attr = self.imports[name]
            if module.split(".")[0] not in ("analysis", "pages"):
                return False
            value = getattr(importlib.import_module(module), attr, None)
            items = value if isinstance(value, tuple | list) else (value,)
            return all(isinstance(v, str | int | float) for v in items)
        return False

    # -- the sinks -----------------------------------------------------------------------
    def _sink_arguments(self, call: ast.Call, sink: str) -> Iterator[tuple[str, ast.expr]]:
        """Yield (what, expression) for every argument of ``call`` drawn as Markdown or HTML."""
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        if sink in BODY_SINKS or sink in HTML_SINKS:
            yield from (("text", a) for a in call.args)
            if "body" in keywords:
                yield "body", keywords["body"]
        if sink == "metric":
            yield from ((k, v) for k, v in keywords.items() if k in ("label", "value", "delta"))
        if sink in LABEL_SINKS and call.args:
            yield "label", call.args[0]
        if sink in LABEL_SINKS | LABEL_KEYWORD_ONLY and "label" in keywords:
            yield "label", keywords["label"]
        if sink in TABS and call.args:
            yield "tab labels", call.args[0]
        if sink in OPTION_SINKS:
            options = call.args[1] if len(call.args) > 1 else keywords.get("options")
            if options is not None:
                yield "options", options
            fmt = keywords.get("format_func")
            if fmt is not None:
                yield "format_func", fmt.body if isinstance(fmt, ast.Lambda) else fmt
        if sink in CAPTION_SINKS and "caption" in keywords:
            yield "caption", keywords["caption"]
        if "help" in keywords:
            yield "help", keywords["help"]

    def check(self) -> list[str]:
        """Return one line per unsafe sink argument: ``module:line: st.x(what): source``."""
        functions = [n for n in ast.walk(self.tree) if isinstance(n, ast.FunctionDef)]
        scoped: list[tuple[ast.AST, Scope]] = [(self.tree, self.module_scope)]
        for function in functions:
            scope = Scope()
            _bindings(function.body, scope)
            args = function.args
            scope.params = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
            scope.params |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
            scope.trusted_params = self._checked_params(function)
            scope.params -= scope.trusted_params
            scoped.append((function, scope))
        seen: set[int] = set()
        # innermost scope first: a call inside a function is judged with that function's names
        for owner, scope in reversed(scoped):
            for node in ast.walk(owner):
                if not isinstance(node, ast.Call) or id(node) in seen:
                    continue
                seen.add(id(node))
                func = node.func
                if not isinstance(func, ast.Attribute) or func.attr not in ALL_SINKS:
                    continue
                if _receiver_root(func.value) in NOT_STREAMLIT:
                    continue
                for what, arg in self._sink_arguments(node, func.attr):
                    if not self.safe(arg, scope):
                        self.problems.append(
                            f"{self.module}:{arg.lineno}: .{func.attr}({what}): "
                            f"{ast.unparse(arg)}"
                        )
        return self.problems

    def _checked_params(self, function: ast.FunctionDef) -> set[str]:
        """Parameters of a private function every in-module call passes safe values to."""
        if not function.name.startswith("_"):
            return set()
        names = [a.arg for a in function.args.args]
        defaults = dict(
            zip(
                names[len(names) - len(function.args.defaults) :],
                function.args.defaults,
                strict=False,
            )
        )
        calls = [
            n
            for n in ast.walk(self.tree)
            if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Name)
            and n.func.id == function.name
        ]
        checked = set()
        for index, name in enumerate(names):
            passed: list[ast.expr | None] = []
            for call in calls:
                keywords = {k.arg: k.value for k in call.keywords}
                if index < len(call.args):
                    passed.append(call.args[index])
                else:
                    passed.append(keywords.get(name, defaults.get(name)))
            if calls and all(self.safe(p, self.module_scope) for p in passed):
                checked.add(name)
        return checked


def page_sources() -> list[Path]:
    """Every script Streamlit runs: app.py and the modules in pages/."""
    return [PROJECT_ROOT / "app.py", *sorted((PROJECT_ROOT / "pages").glob("*.py"))]


def test_pages_send_markdown_sinks_only_constants_or_inert_text() -> None:
    problems = []
    for path in page_sources():
        rel = str(path.relative_to(PROJECT_ROOT))
        problems += Checker(path.read_text(encoding="utf-8"), rel).check()
    assert not problems, (
        "Markdown-rendering calls given text GeoScope did not write; wrap it in "
        "analysis.dashboard.text.inert(...) (or show it with st.text / st.code):\n"
        + "\n".join(problems)
    )


# -- the checker itself: it flags what it must, and passes what is safe ----------------------
FLAGGED = [
    'st.error(f"failed: {exc}")',
    "st.error(str(exc))",
    "st.warning(message)",
    'st.caption("run " + name)',
    'st.sidebar.info(f"{row.run}")',
    'col.metric(label, "1")',
    'col.metric("Run", name)',
    'st.metric("Run", "1", delta=name)',
    'st.expander(f"{row.run}: raw")',
    'st.selectbox("Pick", names, help=f"about {name}")',
    'st.tabs(["a", name])',
    'st.radio("Run", names)',
    'st.radio("Run", ["a"], format_func=lambda r: r)',
    'st.image(data, caption=f"{filename}")',
    'st.page_link("pages/map.py", label=f"{run}")',
    'st.html(f"<b>{name}</b>")',
    'st.error(f"{value!r}")',
    'st.caption(f"{value:>10}")',
    'st.info(", ".join(missing))',
    "st.table(data)",
]
PASSED = [
    'st.error("Plain words only")',
    "st.error(inert(exc))",
    "st.caption(f\"{n:,} rows, {share:.0%} right, {count_noun(k, 'run')}\")",
    'st.warning(f"Not in dataset {inert(name)}: " + ", ".join(inert(m) for m in missing))',
    'st.caption(f"{len(rows)} rows")',
    'st.info("a" if flag else f"b {inert(x)}")',
    'st.radio("Answer", ["coords", "country"], format_func=lambda f: "c" if f else "d")',
    'log = LOG.info(f"{anything}")',
    'st.text(f"{anything}")',
    'st.code(f"{anything}")',
    "st.html(legend_html(items))",
    "st.table(inert_table(x), hide_index=True)",
]


@pytest.mark.parametrize("line", FLAGGED)
def test_checker_flags_untrusted_text(line: str) -> None:
    params = "exc, message, name, names, row, label, run, data, filename, value, missing"
    source = f"def body({params}):\n    {line}\n"
    assert Checker(source).check(), line


@pytest.mark.parametrize("line", PASSED)
def test_checker_passes_constants_numbers_and_inert_text(line: str) -> None:
    params = "exc, n, share, k, name, missing, rows, flag, x, items, anything"
    source = f"def body({params}):\n    {line}\n"
    assert Checker(source).check() == [], line


def test_checker_follows_local_names_module_constants_and_private_helpers() -> None:
    source = """
NOTE = "Simulated data"
ICONS = {1: ":material/check:", 2: ":material/error:"}
def _show(text, tone):
    st.info(text)
    st.caption(tone)
def body(row, state):
    label = f"{inert(row.name)} ({row.count:,})"
    options = []
    options.append(NOTE)
    st.radio("Mode", options)
    st.markdown(f"**{label}** {ICONS.get(state, '')}")
    _show(NOTE, "calm")
    _show(inert(row.text), row.tone)
"""
    problems = Checker(source).check()
    # only the second call's ``row.tone`` makes ``tone`` unsafe; ``text`` is safe at both calls
    assert problems == ["<snippet>:6: .caption(text): tone"], problems
