#!/bin/sh
# Create (once) the virtual environment that holds sslyze for the interop tests, and print the path
# of its sslyze executable. sslyze (AGPL-3.0) is a test-only peer: it runs as a separate process and
# is never imported by cyberaudit. It pins an older cryptography than cyberaudit, hence its own venv.
#
#   CYBERAUDIT_INTEROP_DIR   cache folder (default: $HOME/.cache/cyberaudit-interop)
#   SSLYZE_SPEC              pip requirement (default: sslyze>=6,<7)
#   PYTHON                   interpreter for the venv (default: python3)
set -eu

base="${CYBERAUDIT_INTEROP_DIR:-${HOME:-/tmp}/.cache/cyberaudit-interop}"
venv="$base/sslyze"
spec="${SSLYZE_SPEC:-sslyze>=6,<7}"
python="${PYTHON:-python3}"

ready() { [ -f "$venv/.complete" ] && [ -x "$venv/bin/sslyze" ]; }

if ready; then
    echo "$venv/bin/sslyze"
    exit 0
fi

mkdir -p "$base"
# one creator at a time: parallel test runs share the cache
if command -v flock >/dev/null 2>&1; then
    exec 9>"$base/.sslyze.lock"
    flock 9
    if ready; then
        echo "$venv/bin/sslyze"
        exit 0
    fi
fi

rm -rf "$venv"
"$python" -m venv "$venv" >&2
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$spec" >&2
"$venv/bin/sslyze" --help >/dev/null
touch "$venv/.complete"
echo "$venv/bin/sslyze"
