#!/usr/bin/env bash
# bench/run.sh: our relay side by side with direct loopback and HAProxy TLS (issue 6). See bench/README.md.
# One command: installs what is missing, builds the release bench host, compiles the shared relaybench client,
# makes the ECDSA P-256 certificate, starts the backend, HAProxy TLS and our gateway (a real configuration
# database), measures every test REPS times (targets interleaved), and prints one line per (test, target):
# the median, its ratio to direct loopback and to HAProxy TLS, and the issue's target where there is one.
# Loopback only; every run is bounded in time and count; every process started here is stopped on exit.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED=${SHARED_BENCH:-$ROOT/../shared/bench}
RUN=${RUN_DIR:-$HERE/run}
BIN=$RUN/bin
RB=$BIN/relaybench
HOST_DIR=$HERE/CloudGateway.BenchHost
HOST=$HOST_DIR/bin/Release/net10.0/CloudGateway.BenchHost
REPS=${REPS:-3}
DUR=${DUR:-3}
STREAMS=${STREAMS:-8}
RTT_ITERS=${RTT_ITERS:-20000}
MSG=${MSG:-64}
RATE_DUR=${RATE_DUR:-2}
RATE_THREADS=${RATE_THREADS:-4}
IDLE_CONNS=${IDLE_CONNS:-5000}
FAILOVER_REPS=${FAILOVER_REPS:-5}
WAIT_QUIET=${WAIT_QUIET:-0}
MAX_BUSY=${MAX_BUSY:-15}
TESTS=${TESTS:-"up1 up8 down1 down8 rtt rtt_1cpu cps cps_resume idle failover"}
export TLS13_CIPHERS=${TLS13_CIPHERS:-TLS_AES_128_GCM_SHA256}
BACK_PORT=${BACK_PORT:-19100}
declare -A PORT=([direct]=$BACK_PORT [haproxy-tls]=${HAPROXY_PORT:-19543} [gateway]=${GATEWAY_PORT:-19545}
                 [gw-a]=${FAILOVER_PRIMARY_PORT:-19546} [gw-b]=${FAILOVER_SECONDARY_PORT:-19547})
declare -A PID=()
TARGETS="direct haproxy-tls gateway"
GATEWAY_ENV=${GATEWAY_ENV:-}   # extra environment for our gateway processes, e.g. DOTNET_gcServer=1

mkdir -p "$RUN" "$BIN"
ulimit -n "$(ulimit -Hn)" 2>/dev/null
ulimit -c 0
log() { echo "# $*"; }

# ---------------------------------------------------------------- prerequisites and builds
missing=()
command -v haproxy >/dev/null || missing+=(haproxy)
command -v gcc >/dev/null || missing+=(gcc)
command -v openssl >/dev/null || missing+=(openssl)
command -v taskset >/dev/null || missing+=(util-linux)
[ -f /usr/include/openssl/ssl.h ] || missing+=(libssl-dev)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >"$RUN/apt.log" 2>&1 \
    || { echo "apt-get install ${missing[*]} failed (see $RUN/apt.log)"; exit 1; }
fi
[ -f "$SHARED/relaybench.c" ] || { echo "relaybench.c not found in $SHARED (set SHARED_BENCH)"; exit 1; }
if [ ! -x "$RB" ] || [ "$SHARED/relaybench.c" -nt "$RB" ]; then
  gcc -O2 -pthread -o "$RB" "$SHARED/relaybench.c" -lssl -lcrypto || { echo "relaybench build failed"; exit 1; }
fi
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

# HAProxy TLS exactly as the shared driver's haproxy-tls (same global/defaults, same cipher suites, same cert).
cat > "$RUN/haproxy-tls.cfg" <<EOF
global
    maxpipes 1000
    maxconn 8000
    ssl-default-bind-ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256
    ssl-default-bind-options ssl-min-ver TLSv1.2
defaults
    mode tcp
    timeout connect 5s
    timeout client 1h
    timeout server 1h
    maxconn 8000
listen relay
    bind 127.0.0.1:${PORT[haproxy-tls]} ssl crt $CERTS/ec.pem
    server s1 127.0.0.1:$BACK_PORT
EOF

# Our configuration databases, created through the real store: one gateway for the relay tests, two for failover.
"$HOST" init "$RUN/gateway.db" "$CERTS/ec.pfx" "$BACK_PORT" "bench=${PORT[gateway]}" \
  || { echo "creating the gateway database failed"; exit 1; }
"$HOST" init "$RUN/failover.db" "$CERTS/ec.pfx" "$BACK_PORT" "gw-a=${PORT[gw-a]}" "gw-b=${PORT[gw-b]}" \
  || { echo "creating the failover database failed"; exit 1; }
HELLO=$(printf '{"version":1,"tenant":"bench","password":"bench-password-0123456789","resource":"backend"}')

# ---------------------------------------------------------------- process control
wait_port() { local i; for i in $(seq 1 150); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; return 1; }
start_target() {
  local t=$1 cmd
  case $t in
    direct) return 0 ;;
    haproxy-tls) cmd="exec haproxy -db -f $RUN/haproxy-tls.cfg" ;;
    gateway) cmd="exec env $GATEWAY_ENV $HOST serve $RUN/gateway.db" ;;
    gw-a|gw-b) cmd="exec env $GATEWAY_ENV $HOST serve $RUN/failover.db $t" ;;
  esac
  setsid bash -c "$cmd" >"$RUN/$t.log" 2>&1 &
  PID[$t]=$!
  wait_port "${PORT[$t]}" || echo "WARN: $t did not listen on ${PORT[$t]} (see $RUN/$t.log)"
}
stop_target() {
  local t=$1 p=${PID[$1]:-} i
  [ -z "$p" ] && return 0
  kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null
  for i in $(seq 1 30); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$p" 2>/dev/null
  exec 3>&2 2>/dev/null; wait "$p"; exec 2>&3 3>&-   # no "Killed" job notice (the failover probe kills gw-a)
  unset "PID[$t]"
}
BACK_PID=
cleanup() {
  local t
  for t in "${!PID[@]}"; do stop_target "$t"; done
  [ -n "$BACK_PID" ] && { kill "$BACK_PID" 2>/dev/null; wait "$BACK_PID" 2>/dev/null; }
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ALLCPU=0-$(( $(nproc) - 1 ))
pids_of_pid() { echo "$1$(ps -o pid= --ppid "$1" | tr -s ' \n' ',' | sed 's/^,*/,/;s/,*$//')"; }
pin_tree() { local p; for p in $(pids_of_pid "$1" | tr ',' ' '); do taskset -a -p -c "$2" "$p" >/dev/null 2>&1; done; }

# CPU busy% of the whole machine over $1 s, from /proc/stat
cpu_busy() { local a b; a=($(head -1 /proc/stat)); sleep "${1:-1}"; b=($(head -1 /proc/stat))
  local idle=$(( (b[4]+b[5]) - (a[4]+a[5]) )) tot=0 i
  for i in 1 2 3 4 5 6 7 8; do tot=$(( tot + b[i] - a[i] )); done
  echo $(( tot > 0 ? 100 * (tot - idle) / tot : 0 )); }
wait_quiet() { local t0=$SECONDS b; b=$(cpu_busy 0.5)
  while [ "$b" -gt "$MAX_BUSY" ] && [ $((SECONDS - t0)) -lt "$WAIT_QUIET" ]; do sleep 0.5; b=$(cpu_busy 0.5); done
  echo "$b"; }
busy_report() { local b; b=$(cpu_busy 1)
  log "machine busy ($1): ${b}% over 1 s, load average $(cut -d' ' -f1-3 /proc/loadavg); top consumers:"
  ps -eo pid,pcpu,comm --sort=-pcpu | sed -n '2,5p' | sed 's/^/#   /'; }

one_run() { # test target -> one relaybench (or failover probe) key=value line
  local test=$1 t=$2 a="127.0.0.1:${PORT[$2]}" tls=""
  [ "$t" != direct ] && tls=-T
  if [ "$t" = gateway ]; then export RB_HELLO="$HELLO"; else unset RB_HELLO; fi
  case $test in
    up1)   "$RB" up   -a "$a" -s 1 -d "$DUR" $tls ;;
    up8)   "$RB" up   -a "$a" -s "$STREAMS" -d "$DUR" $tls ;;
    down1) "$RB" down -a "$a" -s 1 -d "$DUR" $tls ;;
    down8) "$RB" down -a "$a" -s "$STREAMS" -d "$DUR" $tls ;;
    rtt)   "$RB" rtt  -a "$a" -n "$RTT_ITERS" -m "$MSG" -d 10 $tls ;;
    rtt_1cpu)
           pin_tree "$BACK_PID" 0; [ -n "${PID[$t]:-}" ] && pin_tree "${PID[$t]}" 0
           taskset -c 0 "$RB" rtt -a "$a" -n "$RTT_ITERS" -m "$MSG" -d 10 $tls
           pin_tree "$BACK_PID" "$ALLCPU"; [ -n "${PID[$t]:-}" ] && pin_tree "${PID[$t]}" "$ALLCPU" ;;
    cps)   "$RB" rate -a "$a" -t "$RATE_THREADS" -d "$RATE_DUR" $tls ;;
    cps_resume) "$RB" rate -a "$a" -t "$RATE_THREADS" -d "$RATE_DUR" $tls -R ;;
    idle)  "$RB" hold -a "$a" -n "$IDLE_CONNS" -d 60 -w 1.5 $tls -P "${PID[$t]}" ;;
    failover) timeout 30 "$HOST" failover "$RUN/failover.db" "${PID[gw-a]}" ;;
  esac
}
targets_for() {
  case $1 in
    cps_resume) echo "haproxy-tls gateway" ;;
    idle) echo "haproxy-tls gateway" ;;
    failover) echo "gateway" ;;
    *) echo "$TARGETS" ;;
  esac
}
warm_up() { # warm_up SECONDS [full] [targets]: a short burst through relays so JIT/TLS set-up is not measured
  local t
  for t in ${3:-haproxy-tls gateway}; do
    if [ "$t" = gateway ]; then export RB_HELLO="$HELLO"; else unset RB_HELLO; fi
    "$RB" rate -a "127.0.0.1:${PORT[$t]}" -t 2 -d "$1" -T >/dev/null 2>>"$RUN/client.err"
    [ "${2:-}" = full ] && "$RB" up -a "127.0.0.1:${PORT[$t]}" -s 2 -d 1 -T >/dev/null 2>>"$RUN/client.err"
  done
  unset RB_HELLO
}

# ---------------------------------------------------------------- run
"$RB" server -p "$BACK_PORT" -L 3600 2>"$RUN/backend.log" &
BACK_PID=$!
wait_port "$BACK_PORT" || { echo "backend did not start"; exit 1; }
for t in haproxy-tls gateway; do start_target "$t"; done
warm_up 1 full

RES=$RUN/results.tsv
: > "$RES"
: > "$RUN/client.err"
log "cloudgateway bench $(date -u +%FT%TZ) cpus=$(nproc) cpu=\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')\" kernel=$(uname -r) reps=$REPS dur=${DUR}s tls13=$TLS13_CIPHERS"
[ -n "$GATEWAY_ENV" ] && log "gateway environment: $GATEWAY_ENV"
log "haproxy $(haproxy -v | head -1 | awk '{print $3}') | $(openssl version | awk '{print $1,$2}') | dotnet $(dotnet --version) | commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)"
busy_report start
for test in $TESTS; do
  tl=$(targets_for "$test")
  reps=$REPS; [ "$test" = failover ] && reps=$FAILOVER_REPS
  [ "$test" = failover ] && start_target gw-b
  # (the loop's stderr goes to client.err: the failover probe SIGKILLs gw-a, and bash reports that job there)
  for rep in $(seq 1 "$reps"); do
    for t in $tl; do
      # idle memory is measured on a freshly started relay (after a short warm-up, the same for every target)
      if [ "$test" = idle ]; then stop_target "$t"; start_target "$t"; warm_up 0.3 "" "$t"; sleep 0.5; fi
      # failover: a fresh primary each time; the probe kills it
      [ "$test" = failover ] && start_target gw-a
      busy=$(wait_quiet)
      line=$(one_run "$test" "$t" 2>>"$RUN/client.err" | tail -1)
      [ -z "$line" ] && line="value=0 errors=1"
      printf '%s\t%s\t%s\t%s pre_busy=%s\n' "$test" "$t" "$rep" "$line" "$busy" >> "$RES"
      [ "$test" = failover ] && stop_target gw-a
      if [ "$test" = cps ] || [ "$test" = cps_resume ]; then sleep 0.5; fi
    done
  done 2>>"$RUN/client.err"
  [ "$test" = failover ] && stop_target gw-b
  awk -F'\t' -v test="$test" -v order="$tl" -v maxbusy="$MAX_BUSY" -f "$HERE/summarize.awk" "$RES"
done
for t in "${!PID[@]}"; do stop_target "$t"; done
sleep 1
busy_report end
log "raw results: $RES"
