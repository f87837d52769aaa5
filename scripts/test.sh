#!/usr/bin/env bash
# Install GeoScope if needed, then run every test (browser tests included) with pytest.
# Extra arguments go to pytest (e.g. -x, -k map, tests/metrics).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/_ensure_installed.sh
. scripts/_ensure_installed.sh
exec .venv/bin/python -m pytest "$@"
