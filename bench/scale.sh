#!/usr/bin/env bash
# Issue 18: one configuration at estate scale (10,000 tenants), measured. Not part of build.sh test; loopback only;
# every step is bounded in time; a private PostgreSQL started here is stopped on exit. See bench/README.md.
#   bash bench/scale.sh | tee bench/run/scale/last.txt
set -euo pipefail
cd "$(dirname "$0")/.."

TENANTS="${TENANTS:-10000}"
SMALL_TENANTS="${SMALL_TENANTS:-10}"
POOLS="${POOLS:-20}"
REPS="${REPS:-5}"
IMPORT_REPS="${IMPORT_REPS:-3}"
BACKEND_PORT="${SCALE_BACKEND_PORT:-19200}"
POSTGRES="${SCALE_POSTGRES:-auto}"   # auto: a private cluster when PostgreSQL is installed; off; or a connection string
PG_TENANTS="${PG_TENANTS:-1000}"      # made one change at a time on PostgreSQL; the large estate comes by import
RELAYS="${FLEET_RELAYS:-3}"
RATE="${FLEET_RATE:-100}"
FLEET_SECONDS="${FLEET_SECONDS:-10}"

work="bench/run/scale"
results="$work/results.txt"
rm -rf "$work" && mkdir -p "$work"
: >"$results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { echo "scale: $*" >&2; }
# Runs a step bounded in time; its key=value line goes to results.txt tagged with the step's name.
step() {
    local name="$1" limit="$2"; shift 2
    log "$name"
    local line
    line="$(timeout "$limit" "$@" | tail -n 1)" || { log "$name failed"; return 1; }
    echo "step=$name $line" | tee -a "$results"
}

pg_dir=""
cleanup() {
    if [ -n "$pg_dir" ]; then
        CLOUDGATEWAY_PG_DIR="$pg_dir" bash tests/postgres/stop-postgres.sh --remove >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT

log "building the bench host and the module"
dotnet build bench/CloudGateway.BenchHost -c Release --nologo -v quiet >"$work/build.log"
bash build.sh build >>"$work/build.log"
host=(dotnet bench/CloudGateway.BenchHost/bin/Release/net10.0/CloudGateway.BenchHost.dll)
module="$(ls -d "$PWD"/out/CloudGateway/*/CloudGateway.psd1 | sort -V | tail -n 1)"
pwsh=(dotnet pwsh -NoProfile -NonInteractive)

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/ec.key" -out "$work/ec.crt" -days 2 \
    -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null
openssl pkcs12 -export -inkey "$work/ec.key" -in "$work/ec.crt" -out "$work/ec.pfx" -passout pass:

large="$PWD/$work/large.db"
small="$PWD/$work/small.db"
step estate_sqlite 900 "${host[@]}" estate "$large" "$TENANTS" "$POOLS" "$work/ec.pfx" "$BACKEND_PORT"
step estate_sqlite_small 120 "${host[@]}" estate "$small" "$SMALL_TENANTS" "$POOLS" "$work/ec.pfx" "$BACKEND_PORT"

for i in $(seq "$REPS"); do
    step import_module 120 "${pwsh[@]}" -File bench/scale-import-module.ps1 -Module "$module"
done
step cmdlets 600 "${pwsh[@]}" -File bench/scale-cmdlets.ps1 -Module "$module" -Database "$large" \
    -Tenant "$(printf 'c-tenant-%05d' 2)" -ExportPath "$PWD/$work/export.json" -Reps "$REPS"
for i in $(seq "$IMPORT_REPS"); do
    rm -f "$work/imported.db"*
    step import_sqlite 600 "${pwsh[@]}" -File bench/scale-import.ps1 -Module "$module" -Database "$PWD/$work/imported.db" -Document "$PWD/$work/export.json"
done

step relay_small 300 "${host[@]}" relay "$small" "$BACKEND_PORT"
step relay_large 300 "${host[@]}" relay "$large" "$BACKEND_PORT"

if [ "$POSTGRES" = "auto" ]; then
    if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
        pg_dir="/tmp/cloudgateway-scale-pg-$$"
        POSTGRES="$(CLOUDGATEWAY_PG_DIR="$pg_dir" bash tests/postgres/start-postgres.sh 2>"$work/postgres.log")"
    else
        log "PostgreSQL is not installed: its part is skipped (SCALE_POSTGRES=<connection string> to use one)"
        POSTGRES=off
    fi
fi
if [ "$POSTGRES" != "off" ]; then
    export CLOUDGATEWAY_KEY_FILE="$PWD/$work/postgres.key"
    step estate_postgres 900 "${host[@]}" estate "$POSTGRES" "$PG_TENANTS" "$POOLS" "$work/ec.pfx" "$BACKEND_PORT"
    step import_postgres 600 "${pwsh[@]}" -File bench/scale-import.ps1 -Module "$module" -ConnectionString "$POSTGRES" -Document "$PWD/$work/export.json"
    step relay_postgres_large 300 "${host[@]}" relay "$POSTGRES" "$BACKEND_PORT"
    step fleet_postgres 300 "${host[@]}" fleet "$POSTGRES" "$RELAYS" "$RATE" "$FLEET_SECONDS"
    step estate_postgres_small 120 "${host[@]}" estate "$POSTGRES" "$SMALL_TENANTS" "$POOLS" "$work/ec.pfx" "$BACKEND_PORT"
    step relay_postgres_small 300 "${host[@]}" relay "$POSTGRES" "$BACKEND_PORT"
fi

echo
awk -f bench/scale-summary.awk "$results"
