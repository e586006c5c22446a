#!/usr/bin/env bash
# Creates, once, a private virtual environment holding checkdmarc for the interop tests and prints
# its python. checkdmarc pins its own dependency versions, so it never shares the project's venv.
# PYTHON picks the interpreter that builds the venv (python3 by default); PyPI must be reachable
# the first time.
set -euo pipefail
base="${CYBERAUDIT_INTEROP_DIR:-$HOME/.cache/cyberaudit-interop}"
venv="$base/checkdmarc"
version="${CHECKDMARC_VERSION:-6.0.4}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import checkdmarc" 2>/dev/null; then
  mkdir -p "$base"
  "${PYTHON:-python3}" -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "checkdmarc==$version" >&2
fi
echo "$venv/bin/python"
