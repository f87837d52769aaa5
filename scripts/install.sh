#!/usr/bin/env bash
# Install GeoScope into ./.venv (runtime + test dependencies).
# With root (or passwordless sudo) it also installs Debian's chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# torch==2.13.0 is pinned in requirements.txt; on a machine without a local wheel pip fetches it.
.venv/bin/python -m pip install --quiet -r requirements-dev.txt

if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo"; else SUDO="none"; fi
    if [ "$SUDO" != "none" ] && command -v apt-get >/dev/null 2>&1; then
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null
    else
        echo "note: chromium not installed; browser tests will be skipped (apt-get install chromium)" >&2
    fi
fi
echo "GeoScope installed in .venv"
