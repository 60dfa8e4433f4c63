#!/usr/bin/env bash
# Starts a private PostgreSQL for the CloudGateway tests: Debian's packages (installed when missing), a cluster of
# its own in DIR owned by the postgres user, listening on 127.0.0.1 only on a free port, with a role and a database.
# Prints the Npgsql connection string on stdout (and keeps it in DIR/connection-string); everything else goes to
# stderr. Idempotent: when the cluster in DIR is already running it only prints the connection string again.
#   bash tests/postgres/start-postgres.sh [DIR]      DIR defaults to $CLOUDGATEWAY_PG_DIR or /tmp/cloudgateway-pg
# Use:  export CLOUDGATEWAY_TEST_POSTGRES="$(bash tests/postgres/start-postgres.sh)"
set -euo pipefail

dir="${1:-${CLOUDGATEWAY_PG_DIR:-/tmp/cloudgateway-pg}}"
data="$dir/data"
sockets="$dir/sockets"
role="cloudgateway"
database="cloudgateway_test"

log() { echo "start-postgres: $*" >&2; }

find_bin() {
    local found
    found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    [ -n "$found" ] && [ -x "$found/initdb" ] && echo "$found"
}

as_postgres() {
    if [ "$(id -u)" = "0" ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

bin="$(find_bin || true)"
if [ -z "$bin" ]; then
    log "PostgreSQL is not installed; installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    timeout 600 apt-get update -qq >&2
    timeout 900 apt-get install -y -qq postgresql >&2
    bin="$(find_bin)"
fi

mkdir -p "$dir"
if [ "$(id -u)" = "0" ]; then
    chown postgres:postgres "$dir"
fi
as_postgres mkdir -p "$sockets"

if [ -f "$dir/connection-string" ] && as_postgres "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    log "already running in $dir"
    cat "$dir/connection-string"
    exit 0
fi

if [ ! -f "$data/PG_VERSION" ]; then
    log "creating a cluster in $data"
    rm -rf "$data"
    as_postgres "$bin/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
fi

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Ports below Linux's ephemeral range (32768-60999), so no client socket of a test run holds the one picked; and
# another attempt on another port if the bind fails anyway (a port taken between the check and the start).
pick_port() {
    local candidate
    if [ -s "$dir/port" ] && port_is_free "$(cat "$dir/port")"; then cat "$dir/port"; return 0; fi
    for candidate in $(shuf -i 20000-32000 -n 50); do
        if port_is_free "$candidate"; then echo "$candidate"; return 0; fi
    done
    return 1
}

started=""
for attempt in 1 2 3 4 5; do
    port="$(pick_port)" || { log "no free port found"; exit 1; }
    log "starting on 127.0.0.1:$port"
    as_postgres truncate -s 0 "$dir/server.log" 2>/dev/null || true
    if as_postgres "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $sockets -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >&2; then
        started=yes
        break
    fi
    tail -n 5 "$dir/server.log" >&2
    grep -q "Address already in use" "$dir/server.log" || break
    rm -f "$dir/port"
    log "port $port was taken; attempt $((attempt + 1)) on another"
done
[ -n "$started" ] || { tail -n 30 "$dir/server.log" >&2; exit 1; }
echo "$port" | as_postgres tee "$dir/port" >/dev/null

psql_admin() { as_postgres "$bin/psql" -h "$sockets" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

password_file="$dir/password"
if [ ! -s "$password_file" ]; then
    head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | as_postgres tee "$password_file" >/dev/null
    as_postgres chmod 600 "$password_file"
fi
password="$(as_postgres cat "$password_file")"

if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" != "1" ]; then
    psql_admin -c "CREATE ROLE $role LOGIN CREATEDB PASSWORD '$password'"
else
    psql_admin -c "ALTER ROLE $role PASSWORD '$password'"
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$database'")" != "1" ]; then
    psql_admin -c "CREATE DATABASE $database OWNER $role"
fi

connection="Host=127.0.0.1;Port=$port;Database=$database;Username=$role;Password=$password"
echo "$connection" | as_postgres tee "$dir/connection-string" >/dev/null
as_postgres chmod 600 "$dir/connection-string"
log "ready on 127.0.0.1:$port, database $database, role $role (password in $password_file)"
echo "$connection"
