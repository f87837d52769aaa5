#!/usr/bin/env bash
# Install GeoScope if needed, then start the dashboard on http://127.0.0.1:8501.
# Extra arguments go to `streamlit run` (e.g. --server.port 8600).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/_ensure_installed.sh
. scripts/_ensure_installed.sh
exec .venv/bin/streamlit run app.py "$@"
