# Sourced by dashboard.sh and test.sh: install into .venv the first time, and again whenever a
# file that decides what is installed has changed since the last complete install.
# The stamp is written by install.sh only after everything it installs has succeeded.
geoscope_install_inputs() {
    cat requirements.txt requirements-dev.txt pyproject.toml scripts/install.sh 2>/dev/null \
        | sha256sum | cut -d' ' -f1
}
[ "${1:-}" = "--stamp-only" ] && return 0
if [ ! -x .venv/bin/python ] || [ "$(cat .venv/.geoscope-installed 2>/dev/null)" != "$(geoscope_install_inputs)" ]; then
    echo "installing GeoScope into .venv (first run, or its requirements changed)..."
    bash scripts/install.sh
fi
