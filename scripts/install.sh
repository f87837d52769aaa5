#!/usr/bin/env bash
# Install GeoScope into ./.venv (runtime + test dependencies).
# With root (or passwordless sudo) it also installs Debian's chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
# torch is pinned in requirements.txt. Where the machine keeps wheels on local disk (PIP_FIND_LINKS,
# as here: a CPU build of torch), uv is pointed at them too, so it installs torch with the rest;
# without that, pip installs torch first, on its own, since pip finds such a wheel and uv does not.
FIND_LINKS=()
if [ -n "${PIP_FIND_LINKS:-}" ] && [ -d "${PIP_FIND_LINKS}" ]; then
    FIND_LINKS=(--find-links "$PIP_FIND_LINKS")
else
    .venv/bin/python -m pip install --quiet "$(grep -E '^torch==' requirements.txt)"
fi
# The rest through uv (MIT/Apache-2.0), which installs the same pins several times faster than
# pip (about 25 s against 50 s here); pip installs them instead when uv cannot be had or fails.
if .venv/bin/python -m pip install --quiet uv \
        && .venv/bin/python -m uv pip install --quiet --python .venv/bin/python \
               "${FIND_LINKS[@]}" -r requirements-dev.txt; then
    :
else
    echo "uv was not usable: installing with pip" >&2
    .venv/bin/python -m pip install --quiet -r requirements-dev.txt
fi
# GeoScope itself, editable: `python -m analysis` and `geoscope` then work from any folder.
# --no-deps: the pins above are the dependencies; the build uses the venv's own setuptools when
# it has one (no network needed), else pip fetches it into an isolated build environment.
if .venv/bin/python -c "import setuptools" 2>/dev/null; then
    .venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
else
    .venv/bin/python -m pip install --quiet --no-deps -e .
fi

# Bytecode for what GeoScope and its tests import (about 4,000 of the venv's 20,000 modules),
# written by importing them once, two processes side by side. uv's --compile-bytecode compiled
# every module instead (27 s of the 37 s install here); without any, each Python process would
# compile pandas, streamlit, torch... again where PYTHONDONTWRITEBYTECODE is set. A module this
# misses is compiled by the first process that imports it (scripts/test.sh lets Python write).
warm_imports() {
    PYTHONDONTWRITEBYTECODE= .venv/bin/python - "$@" <<'PY' || echo "note: bytecode warm-up: $*: failed (harmless)" >&2
import importlib, sys
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except Exception as exc:  # a warm-up only: the tests and the dashboard report real problems
        print(f"note: bytecode warm-up could not import {name}: {exc!r}", file=sys.stderr)
PY
}
warm_imports torch transformers transformers.models.llava.modeling_llava &
warm_pid=$!
warm_imports analysis.cli analysis.dashboard streamlit streamlit.testing.v1 plotly.graph_objects \
    pydeck geopandas openai PIL pillow_heif peft accelerate pytest xdist hypothesis mypy.api \
    playwright.sync_api importlinter
wait "$warm_pid"

if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo"; else SUDO="none"; fi
    if [ "$SUDO" != "none" ] && command -v apt-get >/dev/null 2>&1; then
        # Only what headless chromium (with Mesa for WebGL, and Playwright's node: libatomic1) needs: chromium's "recommends" bring daemons (avahi, upower,
        # udev, printing) that a package script may start, and a started daemon that inherits
        # this script's output keeps a CI log open after the tests end.
        # On a CI machine no service may start at all (policy-rc.d 101, removed afterwards).
        APT_LOG="$(mktemp -t geoscope-apt.XXXXXX)"
        POLICY=/usr/sbin/policy-rc.d
        if [ "${CI:-}" = "true" ] && [ ! -e "$POLICY" ]; then
            printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
            $SUDO chmod +x "$POLICY"
            trap '$SUDO rm -f "$POLICY"' EXIT
        fi
        echo "installing Debian's chromium for the browser tests (log: $APT_LOG)"
        if ! { $SUDO apt-get update -qq &&
               DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
                   chromium fonts-liberation fonts-noto-color-emoji libgl1-mesa-dri libegl-mesa0 libatomic1; } \
             </dev/null >"$APT_LOG" 2>&1; then
            tail -n 40 "$APT_LOG" >&2
            echo "apt-get could not install chromium (full log: $APT_LOG)" >&2
            exit 1
        fi
    else
        echo "note: chromium not installed; browser tests will be skipped (apt-get install chromium)" >&2
    fi
fi
# the stamp that dashboard.sh and test.sh compare: written last, so a failed install is redone
. scripts/_ensure_installed.sh --stamp-only
geoscope_install_inputs >.venv/.geoscope-installed
echo "GeoScope installed in .venv"
