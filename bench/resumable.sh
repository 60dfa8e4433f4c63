#!/usr/bin/env bash
# bench/resumable.sh: resumable sessions against plain ones through the same relay (issue 17). See bench/README.md.
# For each relay engine (native, managed) in one run, each phase against a fresh relay process (`serve`):
#   throughput        BYTES_MIB up and down through a plain and a resumable session, alternating, REPS times (+1 warm-up)
#   resume            CUTS cuts of a resumable session's link; cut to the first byte echoed through the resumed session
#   memory-plain      SESSIONS idle plain sessions: the relay's RSS and live managed heap per session
#   memory-resumable  the same with resumable sessions, connected, then every link cut (the relay holds them detached)
# The tenant side and the resource run in one bench host process (`resumable PHASE ...`); the relay in another.
# Loopback only; every run bounded in time; every process started here is stopped on exit (by PID).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
RUN=${RUN_DIR:-$HERE/run/resumable}
HOST_DIR=$HERE/CloudGateway.BenchHost
HOST=$HOST_DIR/bin/Release/net10.0/CloudGateway.BenchHost
ENGINES=${ENGINES:-"Automatic Managed"}
PHASES=${PHASES:-"throughput resume memory-plain memory-resumable"}
GATEWAY_PORT=${GATEWAY_PORT:-19745}
BACK_PORT=${BACK_PORT:-19746}
export BYTES_MIB=${BYTES_MIB:-512} REPS=${REPS:-5} CUTS=${CUTS:-60} SESSIONS=${SESSIONS:-1000}
RELAY_PID=""

mkdir -p "$RUN"
log() { echo "# $*"; }
command -v openssl >/dev/null || { echo "openssl is missing"; exit 1; }
log "building the bench host (Release)"
dotnet build "$HOST_DIR/CloudGateway.BenchHost.csproj" -c Release -nologo -v q >"$RUN/build.log" 2>&1 \
  || { tail -20 "$RUN/build.log"; echo "bench host build failed"; exit 1; }

CERTS=$RUN/certs
if [ ! -f "$CERTS/ec.pfx" ]; then
  mkdir -p "$CERTS"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 -subj /CN=localhost \
    -keyout "$CERTS/ec.key" -out "$CERTS/ec.crt" 2>/dev/null
  openssl pkcs12 -export -passout pass: -in "$CERTS/ec.crt" -inkey "$CERTS/ec.key" -out "$CERTS/ec.pfx" 2>/dev/null
fi
THUMBPRINT=$(openssl x509 -in "$CERTS/ec.crt" -noout -fingerprint -sha256 | cut -d= -f2 | tr -d :)
"$HOST" init "$RUN/gateway.db" "$CERTS/ec.pfx" "$BACK_PORT" "bench=$GATEWAY_PORT" >/dev/null \
  || { echo "creating the gateway database failed"; exit 1; }

wait_port() { local i; for i in $(seq 1 150); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
stop_relay() { [ -n "$RELAY_PID" ] && { kill -TERM "$RELAY_PID" 2>/dev/null; wait "$RELAY_PID" 2>/dev/null; }; RELAY_PID=""; }
trap stop_relay EXIT
trap 'exit 130' INT TERM
busy() { local a b; a=($(head -1 /proc/stat)); sleep 1; b=($(head -1 /proc/stat))
  local idle=$(( (b[4]+b[5]) - (a[4]+a[5]) )) tot=0 i
  for i in 1 2 3 4 5 6 7 8; do tot=$(( tot + b[i] - a[i] )); done
  echo $(( tot > 0 ? 100 * (tot - idle) / tot : 0 )); }

log "start: load average $(cut -d' ' -f1-3 /proc/loadavg), busy $(busy)%; BYTES_MIB=$BYTES_MIB REPS=$REPS CUTS=$CUTS SESSIONS=$SESSIONS"
RES=$RUN/results.txt
: > "$RES"
for engine in $ENGINES; do
  for phase in $PHASES; do
    relay_log=$RUN/relay-$engine-$phase.log
    # Grace period long enough that detached sessions outlive the memory reading; memory cap for SESSIONS x 5 MiB.
    BENCH_ENGINE=$engine BENCH_RESUMABLE_GRACE_S=120 BENCH_RESUMABLE_MEMORY_MIB=$(( (SESSIONS + 100) * 5 )) \
      "$HOST" serve "$RUN/gateway.db" >"$relay_log" 2>&1 &
    RELAY_PID=$!
    wait_port "$GATEWAY_PORT" || { echo "the relay did not listen (see $relay_log)"; exit 1; }
    pre=$(busy)
    line=$(timeout 600 "$HOST" resumable "$phase" "$GATEWAY_PORT" "$BACK_PORT" "$THUMBPRINT" "$RELAY_PID" "$relay_log" 2>"$RUN/probe-$engine-$phase.err")
    status=$?
    stop_relay
    if [ $status -ne 0 ]; then echo "engine=$engine $phase failed ($status): $(tail -3 "$RUN/probe-$engine-$phase.err")"; continue; fi
    echo "$line" | sed "s/^/engine=$(grep -o 'engine [A-Za-z]*' "$relay_log" | head -1 | cut -d' ' -f2) pre_busy=$pre /" | tee -a "$RES"
  done
done
log "end: load average $(cut -d' ' -f1-3 /proc/loadavg), busy $(busy)%"

# Summary: one line per figure and engine.
awk '
  { delete f; for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] } }
  $3 == "throughput" { printf "%-8s throughput %-4s plain %6.2f Gbit/s, resumable %6.2f Gbit/s, resumable/plain %.3f (goal >= 0.95: %s); relay CPU %.2f vs %.2f s/GiB, tenant+resource CPU %.2f vs %.2f s/GiB\n", f["engine"], f["direction"], f["plain_gbit"], f["resumable_gbit"], f["ratio"], (f["ratio"] >= 0.95 ? "PASS" : "MISS"), f["relay_cpu_s_per_gib_plain"], f["relay_cpu_s_per_gib_resumable"], f["tenant_cpu_s_per_gib_plain"], f["tenant_cpu_s_per_gib_resumable"] }
  $3 == "resume" { printf "%-8s resume after a cut (%d cuts, %d resumes): to the first echoed byte p50 %.1f ms, p99 %.1f ms; to reconnected p50 %.1f ms\n", f["engine"], f["cuts"], f["resumes"], f["echo_p50_ms"], f["echo_p99_ms"], f["connected_p50_ms"] }
  $3 ~ /^memory/ { printf "%-8s %-17s %-9s %d sessions: RSS %.2f KiB/session, managed heap (live) %.2f KiB/session\n", f["engine"], $3, f["state"], f["sessions"], f["rss_per_session_kib"], f["managed_per_session_kib"] }
' "$RES"
