#!/usr/bin/env bash
# Stops the private PostgreSQL that start-postgres.sh started in DIR; with --remove also deletes DIR.
# Idempotent: a cluster that is not running is left as it is.
#   bash tests/postgres/stop-postgres.sh [--remove] [DIR]
set -euo pipefail

remove=0
if [ "${1:-}" = "--remove" ]; then remove=1; shift; fi
dir="${1:-${CLOUDGATEWAY_PG_DIR:-/tmp/cloudgateway-pg}}"
data="$dir/data"

as_postgres() {
    if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -n "$bin" ] && [ -f "$data/postmaster.pid" ]; then
    as_postgres "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >&2 || true
    if as_postgres "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        as_postgres "$bin/pg_ctl" -D "$data" -m immediate -w -t 30 stop >&2
    fi
fi
if [ "$remove" = "1" ]; then
    rm -rf "$dir"
fi
echo "stop-postgres: $dir stopped" >&2
