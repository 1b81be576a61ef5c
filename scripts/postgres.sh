#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test run: start | stop | url.
# Uses Debian's postgresql binaries; the cluster lives under /tmp and
# listens on a local port only. Run as root, the server runs as user postgres.
set -euo pipefail
cd "$(dirname "$0")/.."
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
PORT="${CARETIES_PG_PORT:-54329}"
# Under /tmp, not the checkout: the postgres user may not be able to enter the clone's parents.
PG_HOME="${CARETIES_PG_HOME:-/tmp/careties-postgres-$PORT}"
DATA_DIR="$PG_HOME/data"
as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "${1:-}" in
  start)
    [ -n "$PGBIN" ] || { echo "postgres.sh: PostgreSQL is not installed (make system installs it)" >&2; exit 1; }
    mkdir -p "$PG_HOME"
    if [ "$(id -u)" = "0" ]; then chown postgres "$PG_HOME"; fi
    if [ ! -f "$DATA_DIR/PG_VERSION" ]; then
      as_owner "$PGBIN/initdb" -D "$DATA_DIR" -U postgres --auth=trust -E UTF8 >/dev/null
    fi
    if ! as_owner "$PGBIN/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1; then
      as_owner "$PGBIN/pg_ctl" -D "$DATA_DIR" -l "$PG_HOME/server.log" -w \
        -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null
    fi
    echo "postgres://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    if [ -n "$PGBIN" ] && [ -f "$DATA_DIR/PG_VERSION" ]; then
      as_owner "$PGBIN/pg_ctl" -D "$DATA_DIR" -m fast stop >/dev/null 2>&1 || true
    fi
    ;;
  url)
    echo "postgres://postgres@127.0.0.1:$PORT/postgres"
    ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
