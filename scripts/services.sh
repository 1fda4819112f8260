#!/usr/bin/env bash
# Test services: `install` (Debian packages), `start` (source it: exports
# REDTHREAD_TEST_PG), `stop`. The PostgreSQL server is a throw-away cluster
# on 127.0.0.1 in a temporary folder, started as the postgres user.
PGDIR=${REDTHREAD_PGDIR:-/tmp/redthread-pg}
PGPORT=${REDTHREAD_PGPORT:-54329}

_sudo() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

_pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1; }

services_install() {
  local need=()
  [ -n "$(_pgbin)" ] || need+=(postgresql)
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v npm >/dev/null 2>&1 || need+=(npm)
  command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
  command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
  dpkg -s libpango-1.0-0 >/dev/null 2>&1 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
  dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need+=(fonts-dejavu-core)
  # Chinese, Japanese and Korean names in dossiers (embedded in the PDF).
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
  if [ ${#need[@]} -gt 0 ]; then
    echo "installing Debian packages: ${need[*]}"
    _sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive _sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  # The web UI's libraries (setup.sh installs them when npm was already there).
  if [ -f redthread/web/package.json ] && [ ! -d redthread/web/node_modules ] && command -v npm >/dev/null 2>&1; then
    (cd redthread/web && npm install --no-audit --no-fund --silent)
  fi
}

services_start() {
  local bin; bin=$(_pgbin)
  if [ -z "$bin" ]; then echo "PostgreSQL is not installed" >&2; return 1; fi
  local run=()
  if [ "$(id -u)" = 0 ]; then run=(runuser -u postgres --); fi
  export REDTHREAD_TEST_PG="postgresql://postgres@127.0.0.1:$PGPORT/postgres"
  # Reuse a test server that is already up (tests make a fresh database each).
  if "$bin/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" 2>/dev/null; then
    echo "PostgreSQL test server already running on 127.0.0.1:$PGPORT"
    return 0
  fi
  if [ -f "$PGDIR/postmaster.pid" ]; then "${run[@]}" "$bin/pg_ctl" -D "$PGDIR" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$PGDIR"; mkdir -p "$PGDIR"
  [ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
  "${run[@]}" "$bin/initdb" -D "$PGDIR" -U postgres --auth=trust -E UTF8 >/dev/null
  "${run[@]}" "$bin/pg_ctl" -D "$PGDIR" -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off" -l "$PGDIR/log" -w start >/dev/null
  echo "PostgreSQL test server on 127.0.0.1:$PGPORT"
}

services_stop() {
  local bin; bin=$(_pgbin)
  local run=()
  if [ "$(id -u)" = 0 ]; then run=(runuser -u postgres --); fi
  [ -f "$PGDIR/postmaster.pid" ] && "${run[@]}" "$bin/pg_ctl" -D "$PGDIR" -m fast stop >/dev/null 2>&1
  return 0
}

case "${1:-}" in
  install) services_install ;;
  start) services_start ;;
  stop) services_stop ;;
  *) echo "usage: services.sh install|start|stop" >&2 ;;
esac
