#!/usr/bin/env bash
# Set up redthread on a fresh machine: a virtual environment at .venv/ with
# the package and everything it needs, plus the web UI's npm packages.
# Safe to run again: it only installs what is missing or changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.redthread-installed
want=$(cat pyproject.toml | sha1sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[all,dev]'
  echo "$want" > "$stamp"
fi
# Front-end libraries for the web UI come from npm and are served locally.
if [ -f redthread/web/package.json ] && command -v npm >/dev/null 2>&1; then
  if [ ! -d redthread/web/node_modules ] || [ redthread/web/package.json -nt redthread/web/node_modules ]; then
    (cd redthread/web && npm install --no-audit --no-fund --silent) && touch redthread/web/node_modules
  fi
fi
echo "redthread is set up: .venv/bin/redthread"
