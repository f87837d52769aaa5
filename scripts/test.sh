#!/usr/bin/env bash
# Install GeoScope if needed, then run every test (browser tests included) with pytest.
# Extra arguments go to one plain pytest call instead (e.g. -x, -k map, tests/metrics).
#
# With no arguments the whole suite runs in one pytest-xdist session:
#   - one worker more than the machine has cores (at most 4): the real-browser tests and the
#     tests that start servers or subprocesses spend part of their time waiting, and the extra
#     worker fills that time;
#   - --dist loadfile: a module's tests, and its module fixtures (a streamlit server, a
#     browser), stay on one worker;
#   - --no-loadscope-reorder keeps the module order of tests/conftest.py, which starts the
#     longest modules (real browser, then slow) first, so no long module runs alone at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/_ensure_installed.sh
. scripts/_ensure_installed.sh
# Python may write .pyc files for the tests and GeoScope's own modules (into __pycache__, which
# git ignores) even where the machine sets PYTHONDONTWRITEBYTECODE: otherwise every Python
# process of a run (pytest workers, streamlit servers, CLI subprocesses) compiles each module it
# imports again, and pytest rewrites every test module again in each worker.
unset PYTHONDONTWRITEBYTECODE
if [ $# -gt 0 ]; then
    exec .venv/bin/python -m pytest "$@"
fi
workers=$(( $(nproc 2>/dev/null || echo 2) + 1 ))
[ "$workers" -le 4 ] || workers=4  # more workers mostly add start-up and memory
exec .venv/bin/python -m pytest -n "$workers" --dist loadfile --no-loadscope-reorder
