#!/usr/bin/env bash
# bench/clients.sh: real PostgreSQL clients through three paths, alternating (issue 19). See bench/README.md.
#   direct   pgbench -> PostgreSQL
#   pair     pgbench -> stunnel (client mode) -> TLS -> HAProxy (terminating TLS) -> PostgreSQL
#   ours     pgbench -> our tenant tunnel (CloudTunnel, as Start-CloudTunnel runs it) -> TLS -> our relay -> PostgreSQL
# Workloads: pgbench -c 8 -j 2, -c 1, select-only -S -c 8 -j 2, connection per transaction -C -S -c 8 -j 2, and a
# pg_basebackup stream (-c fast -Ft -X fetch -D -). Prints per workload and path the median of REPS runs and the CPU the
# path's own processes used (stunnel + HAProxy, or tunnel + relay) per transaction or per MiB, with the ratio ours/pair.
# Loopback only; every run bounded in time; every process started here is stopped on exit.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
RUN=${RUN_DIR:-$HERE/run/clients}
HOST_DIR=$HERE/CloudGateway.BenchHost
HOST=$HOST_DIR/bin/Release/net10.0/CloudGateway.BenchHost
SCALE=${SCALE:-30}
DUR=${DUR:-10}
REPS=${REPS:-2}
WORKLOADS=${WORKLOADS:-"tpcb8 tpcb1 select8 connect8 basebackup"}
PAIR_PORT=${PAIR_PORT:-19643}
HAPROXY_PORT=${HAPROXY_PORT:-19644}
OURS_PORT=${OURS_PORT:-19645}
GATEWAY_PORT=${GATEWAY_PORT:-19646}
PATHS="direct pair ours"
declare -A PID=()

mkdir -p "$RUN"
log() { echo "# $*"; }

# ---------------------------------------------------------------- prerequisites, builds, PostgreSQL
missing=()
command -v haproxy >/dev/null || missing+=(haproxy)
command -v stunnel4 >/dev/null || command -v stunnel >/dev/null || missing+=(stunnel4)
command -v openssl >/dev/null || missing+=(openssl)
ls /usr/lib/postgresql/*/bin/pgbench >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >"$RUN/apt.log" 2>&1 \
    || { echo "apt-get install ${missing[*]} failed (see $RUN/apt.log)"; exit 1; }
fi
STUNNEL=$(command -v stunnel4 || command -v stunnel)
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
log "building the bench host (Release)"
dotnet build "$HOST_DIR/CloudGateway.BenchHost.csproj" -c Release -nologo -v q >"$RUN/build.log" 2>&1 \
  || { tail -20 "$RUN/build.log"; echo "bench host build failed"; exit 1; }

CERTS=$RUN/certs
if [ ! -f "$CERTS/ec.pfx" ]; then
  mkdir -p "$CERTS"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 -subj /CN=localhost \
    -keyout "$CERTS/ec.key" -out "$CERTS/ec.crt" 2>/dev/null
  cat "$CERTS/ec.crt" "$CERTS/ec.key" > "$CERTS/ec.pem"
  openssl pkcs12 -export -passout pass: -in "$CERTS/ec.crt" -inkey "$CERTS/ec.key" -out "$CERTS/ec.pfx" 2>/dev/null
fi
THUMBPRINT=$(openssl x509 -in "$CERTS/ec.crt" -noout -fingerprint -sha256 | cut -d= -f2 | tr -d :)

PGDIR=$RUN/pg
CONNECTION=$(CLOUDGATEWAY_PG_DIR=$PGDIR bash "$ROOT/tests/postgres/start-postgres.sh" 2>"$RUN/postgres.log") \
  || { cat "$RUN/postgres.log"; echo "PostgreSQL did not start"; exit 1; }
field() { echo "$CONNECTION" | tr ';' '\n' | sed -n "s/^$1=//p"; }
PGPORT=$(field Port)
export PGUSER=$(field Username) PGPASSWORD=$(field Password) PGDATABASE=$(field Database) PGSSLMODE=disable PGCONNECT_TIMEOUT=10
runuser -u postgres -- "$PGBIN/psql" -h "$PGDIR/sockets" -p "$PGPORT" -U postgres -d postgres -qAt \
  -c "ALTER ROLE $PGUSER REPLICATION" >/dev/null
if [ "$(cat "$RUN/scale" 2>/dev/null)" != "$SCALE" ]; then
  log "pgbench -i -s $SCALE (once; kept for the next run)"
  "$PGBIN/pgbench" -h 127.0.0.1 -p "$PGPORT" -i -q -s "$SCALE" >"$RUN/pgbench-init.log" 2>&1 \
    || { tail -5 "$RUN/pgbench-init.log"; echo "pgbench -i failed"; exit 1; }
  echo "$SCALE" > "$RUN/scale"
fi

# ---------------------------------------------------------------- the two TLS paths
cat > "$RUN/haproxy.cfg" <<EOF
global
    maxconn 4000
    ssl-default-bind-ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256
    ssl-default-bind-options ssl-min-ver TLSv1.2
defaults
    mode tcp
    timeout connect 5s
    timeout client 1h
    timeout server 1h
listen postgres
    bind 127.0.0.1:$HAPROXY_PORT ssl crt $CERTS/ec.pem
    server pg 127.0.0.1:$PGPORT
EOF
cat > "$RUN/stunnel.conf" <<EOF
foreground = yes
pid =
[postgres]
client = yes
accept = 127.0.0.1:$PAIR_PORT
connect = 127.0.0.1:$HAPROXY_PORT
verifyPeer = yes
CAfile = $CERTS/ec.crt
checkHost = localhost
EOF
"$HOST" init "$RUN/gateway.db" "$CERTS/ec.pfx" "$PGPORT" "bench=$GATEWAY_PORT" >/dev/null \
  || { echo "creating the gateway database failed"; exit 1; }

wait_port() { local i; for i in $(seq 1 150); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
start() { # start NAME PORT COMMAND...
  local name=$1 port=$2; shift 2
  setsid "$@" >"$RUN/$name.log" 2>&1 &
  PID[$name]=$!
  wait_port "$port" || { echo "$name did not listen on $port (see $RUN/$name.log)"; exit 1; }
}
cleanup() {
  local name
  for name in "${!PID[@]}"; do kill -TERM -- "-${PID[$name]}" 2>/dev/null || kill -TERM "${PID[$name]}" 2>/dev/null; done
  wait 2>/dev/null
  CLOUDGATEWAY_PG_DIR=$PGDIR bash "$ROOT/tests/postgres/stop-postgres.sh" >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM
start haproxy "$HAPROXY_PORT" haproxy -db -f "$RUN/haproxy.cfg"
start stunnel "$PAIR_PORT" "$STUNNEL" "$RUN/stunnel.conf"
start relay "$GATEWAY_PORT" "$HOST" serve "$RUN/gateway.db"
start tunnel "$OURS_PORT" "$HOST" tunnel "$GATEWAY_PORT" "$OURS_PORT" "$THUMBPRINT"

# ---------------------------------------------------------------- measuring
port_of() { case $1 in direct) echo "$PGPORT" ;; pair) echo "$PAIR_PORT" ;; ours) echo "$OURS_PORT" ;; esac; }
processes_of() { case $1 in direct) echo "" ;; pair) echo "${PID[stunnel]} ${PID[haproxy]}" ;; ours) echo "${PID[tunnel]} ${PID[relay]}" ;; esac; }
cpu_ticks() { local p total=0; for p in "$@"; do total=$(( total + $(awk '{print $14 + $15}' "/proc/$p/stat") )); done; echo "$total"; }
TICK_MS=$(( 1000 / $(getconf CLK_TCK) ))

one_run() { # one_run WORKLOAD PATH -> "value units work" (tps and transactions, or MiB/s and MiB)
  local port; port=$(port_of "$2")
  local pg=("$PGBIN/pgbench" -h 127.0.0.1 -p "$port" -T "$DUR" -n)
  case $1 in
    tpcb8) "${pg[@]}" -c 8 -j 2 ;;
    tpcb1) "${pg[@]}" -c 1 ;;
    select8) "${pg[@]}" -S -c 8 -j 2 ;;
    connect8) "${pg[@]}" -C -S -c 8 -j 2 ;;
    basebackup)
      local start end bytes
      start=$(date +%s.%N)
      bytes=$(timeout 300 "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$port" -c fast -Ft -X fetch -D - 2>>"$RUN/basebackup.err" | wc -c)
      end=$(date +%s.%N)
      echo "bytes=$bytes seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')" ;;
  esac
}
parse() { # parse WORKLOAD OUTPUT -> "value work"
  if [ "$1" = basebackup ]; then
    echo "$2" | awk -F'[= ]' '{ mib = $2 / 1048576; printf "%.1f %.1f\n", mib / $4, mib }'
  else
    local tps tx
    tps=$(echo "$2" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
    tx=$(echo "$2" | sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p')
    echo "${tps:-0} ${tx:-0}"
  fi
}
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

RES=$RUN/results.tsv
: > "$RES"
log "cloudgateway clients bench $(date -u +%FT%TZ) cpus=$(nproc) scale=$SCALE dur=${DUR}s reps=$REPS commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)"
log "$(haproxy -v | head -1 | awk '{print "haproxy", $3}') | stunnel $(dpkg-query -W -f='${Version}' stunnel4 2>/dev/null) | $(openssl version | awk '{print $1, $2}') | $("$PGBIN/postgres" --version)"
for workload in $WORKLOADS; do
  one_run "$workload" ours >/dev/null 2>&1   # warm-up: JIT, TLS session, PostgreSQL caches
  for rep in $(seq 1 "$REPS"); do
    for path in $PATHS; do
      procs=$(processes_of "$path")
      before=$(cpu_ticks $procs)
      out=$(one_run "$workload" "$path" 2>>"$RUN/client.err")
      after=$(cpu_ticks $procs)
      read -r value work <<<"$(parse "$workload" "$out")"
      cpu_ms=$(( (after - before) * TICK_MS ))
      per=$(awk -v c="$cpu_ms" -v w="$work" 'BEGIN { printf "%.3f", (w > 0 ? c / w : 0) }')
      printf '%s\t%s\t%s\t%s\t%s\n' "$workload" "$path" "$value" "$per" "$rep" >> "$RES"
      log "$workload $path run $rep: $value ($( [ "$workload" = basebackup ] && echo MiB/s || echo tps)), path CPU ${per} ms per $( [ "$workload" = basebackup ] && echo MiB || echo transaction)"
    done
  done
done

echo
printf '%-11s %10s %10s %10s %12s %14s %14s %12s\n' workload direct pair ours ours/pair "pair CPU/unit" "ours CPU/unit" "CPU ours/pair"
for workload in $WORKLOADS; do
  d=$(awk -F'\t' -v w="$workload" '$1 == w && $2 == "direct" { print $3 }' "$RES" | median)
  p=$(awk -F'\t' -v w="$workload" '$1 == w && $2 == "pair" { print $3 }' "$RES" | median)
  o=$(awk -F'\t' -v w="$workload" '$1 == w && $2 == "ours" { print $3 }' "$RES" | median)
  pc=$(awk -F'\t' -v w="$workload" '$1 == w && $2 == "pair" { print $4 }' "$RES" | median)
  oc=$(awk -F'\t' -v w="$workload" '$1 == w && $2 == "ours" { print $4 }' "$RES" | median)
  awk -v w="$workload" -v d="$d" -v p="$p" -v o="$o" -v pc="$pc" -v oc="$oc" 'BEGIN {
    printf "%-11s %10.1f %10.1f %10.1f %12.2f %14.3f %14.3f %12.2f\n", w, d, p, o, (p > 0 ? o / p : 0), pc, oc, (pc > 0 ? oc / pc : 0) }'
done
echo "(tps, or MiB/s for basebackup; CPU in ms of the path's own processes per transaction, or per MiB; medians of $REPS)"
