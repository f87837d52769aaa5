#!/usr/bin/env bash
# Install GeoScope if needed, then run every test (browser tests included) with pytest.
# Extra arguments go to one plain pytest call instead (e.g. -x, -k map, tests/metrics).
#
# With no arguments the suite runs in two phases, and both always run:
#   1. every test but the real-browser ones, spread over the machine's cores (pytest-xdist;
#      --dist loadfile keeps a module's tests, and its module fixtures, on one worker);
#   2. the real-browser tests, one at a time: software WebGL keeps chromium busy on both
#      cores, and these tests wait on a page that must not be starved by a neighbour.
# The status is the first phase's failure, else the second's.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/_ensure_installed.sh
. scripts/_ensure_installed.sh
if [ $# -gt 0 ]; then
    exec .venv/bin/python -m pytest "$@"
fi
status=0
workers=$(nproc 2>/dev/null || echo 2)
[ "$workers" -le 4 ] || workers=4  # more workers mostly add start-up and memory
.venv/bin/python -m pytest -n "$workers" --dist loadfile -m "not browser" || status=$?
.venv/bin/python -m pytest -m browser || { rc=$?; [ "$status" -ne 0 ] || status=$rc; }
exit "$status"
