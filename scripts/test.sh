#!/usr/bin/env bash
# Run the whole test suite the way CI does: set up, install and start the
# services the tests need (a PostgreSQL server on loopback, Debian's
# chromium, Java for Spark), run pytest, stop the services.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/services.sh install
# shellcheck disable=SC1091
source scripts/services.sh start
trap 'bash scripts/services.sh stop' EXIT
.venv/bin/python -m pytest "$@"
