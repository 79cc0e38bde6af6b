#!/usr/bin/env bash
# One bounded load run: start a server, wait for /health, run one scenario of the load tool
# against it, stop the server, append the tool's JSON line to bench-results/<date>.jsonl.
# Builds nothing: it needs realtime-app/target/realtime.jar, realtime-bench/target/benchmarks.jar
# and, for the node servers, realtime-bench/node/node_modules (realtime-bench/node/install.sh).
#
#   realtime-bench/run.sh <idle|broadcast|users|topics|churn> <jetty|undertow|node-ws|socketio|bare-undertow|cluster-jetty|cluster-undertow> [--flag=value...]
#   (bare-undertow: Undertow holding sockets and nothing else, the baseline of idle memory;
#   cluster-*: two nodes of that transport on one redis-server (REALTIME_BACKPLANE=redis),
#   connections on node A, API calls to node B; the report gives A as the server and the CPU
#   of B and Redis beside it. Needs redis-server on the PATH.)
#
# Flags after the server go to the load tool as they are (LoadMain --help lists them), e.g.
#   realtime-bench/run.sh broadcast undertow --connections=2000 --rate=10 --duration=20
#
# Environment (defaults in brackets):
#   SERVER_HEAP [1g]          heap cap of every server: -Xmx for the JVM, --max-old-space-size for node
#   SERVER_JAVA_OPTS          more flags for the JVM servers, after the defaults (which are the README's)
#   SERVER_JAVA [java]        the JVM servers' java (another JDK's bin/java); the load tool keeps java
#   LOAD_JAVA_OPTS            flags of the load tool's JVM [-Xms1g -Xmx1g -Xmn512m -XX:+UseParallelGC]
#   BIND_ADDRESSES [127.0.0.1-127.0.0.4]  source addresses of the load tool's sockets
#   PRIME_SECONDS [5]         an unmeasured run of the same scenario first (1000 connections),
#                             so JIT compilers (HotSpot and V8 alike) are warm; 0 skips it
#   REPEAT [1]                the measured scenario this many times against the same server, one
#                             JSON line each ("repeat":i in "bench"): a later connect storm meets
#                             code the first one compiled (docs/BENCHMARKS.md, handshakes)
#   MAX_RUN [240]             seconds the load tool may take in all (its --max-run); the run is killed 60 s later
#   JFR [0]                   1: record the JVM server's measured window (jcmd JFR.start, settings=profile,
#                             2 ms samples; the recorder itself starts with the JVM, so its start-up is not
#                             in the window); the file lands in bench-results/jfr/, see jfr-summary.sh
#   RESULTS [<repo>/bench-results]  where the JSON lines, logs and recordings go
#   BENCH_SESSION             copied into the JSON line (run-all.sh sets it to group its runs)
#   REALTIME_*                reach the JVM and node servers unchanged (REALTIME_LOG_LEVEL, REALTIME_SEND_QUEUE, ...)
set -euo pipefail

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 2; }
[[ $# -ge 2 ]] || usage
scenario=$1 server=$2
shift 2
case $scenario in idle|broadcast|users|topics|churn) ;; *) echo "run.sh: unknown scenario '$scenario'" >&2; usage ;; esac
case $server in jetty|undertow|node-ws|socketio|bare-undertow|cluster-jetty|cluster-undertow) ;; *) echo "run.sh: unknown server '$server'" >&2; usage ;; esac

bench=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench/.." && pwd)
results=${RESULTS:-$root/bench-results}
server_jar=$root/realtime-app/target/realtime.jar
load_jar=$bench/target/benchmarks.jar
heap=${SERVER_HEAP:-1g}
server_java=${SERVER_JAVA:-java}
# the README's heap flags: a heap that follows the connections held (issue 14)
heap_flags="-Xms64m -Xmx$heap -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=30000"
max_run=${MAX_RUN:-240}
prime=${PRIME_SECONDS:-5}
# loopback only, fixed for the run: the tool mints tokens with the secret and publishes with the key
secret=bench-secret-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
api_key=bench-key-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')

[[ -f $load_jar ]] || { echo "run.sh: $load_jar missing: mvn -B -pl realtime-bench package" >&2; exit 2; }
case $server in
  jetty|undertow|cluster-*)
    [[ -f $server_jar ]] || { echo "run.sh: $server_jar missing: mvn -B -pl realtime-app package" >&2; exit 2; } ;;&
  cluster-*)
    command -v redis-server >/dev/null || { echo "run.sh: $server needs redis-server" >&2; exit 2; } ;;
  jetty|undertow) ;;
  *)
    [[ -d $bench/node/node_modules ]] || { echo "run.sh: node modules missing: $bench/node/install.sh" >&2; exit 2; } ;;
esac

# a socket per connection on each side: lift the soft file limit to the hard one
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

stamp=$(date -u +%Y%m%dT%H%M%SZ)
name=$stamp-$scenario-$server
mkdir -p "$results/logs"
server_log=$results/logs/$name.server.log
load_log=$results/logs/$name.load.txt
jsonl=$results/$(date -u +%F).jsonl

server_pid=
api_pid= # cluster runs: node B
redis_pid=
jfr_watch=
stop_process() {
  local pid=$1
  [[ -n $pid ]] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do # 10 s: the servers drain in 5
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  echo "run.sh: process $pid did not stop in 10 s, killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
}
stop_server() {
  [[ -n $jfr_watch ]] && kill "$jfr_watch" 2>/dev/null || true
  stop_process "$server_pid"
  stop_process "$api_pid"
  stop_process "$redis_pid" # after the nodes: they say goodbye on the way out
  server_pid= api_pid= redis_pid=
}
trap stop_server EXIT
trap 'exit 130' INT TERM

# the port a started server logs ("server.started ... port=N") once it answers /health with 200
await_port() {
  local pid=$1 log=$2 p
  for _ in $(seq 1 300); do # 30 s
    kill -0 "$pid" 2>/dev/null || { echo "run.sh: server exited at start:" >&2; tail -20 "$log" >&2; return 1; }
    p=$(sed -n 's/.*server\.started .* port=\([0-9][0-9]*\).*/\1/p' "$log" | head -1)
    if [[ -n $p ]] && [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$p/health") == 200 ]]; then
      echo "$p"
      return 0
    fi
    sleep 0.1
  done
  echo "run.sh: server not healthy in 30 s, see $log" >&2
  return 1
}

# a loopback port nothing listens on (redis-server cannot pick its own and tell it)
free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$((30000 + RANDOM % 30000))
    (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  return 1
}

jvm_node() { # <transport> <log> [VAR=value...]: starts a JVM server in the background
  local transport=$1 log=$2
  shift 2
  # shellcheck disable=SC2086 # flags are words
  env REALTIME_TRANSPORT="$transport" REALTIME_HOST=127.0.0.1 REALTIME_PORT=0 \
      REALTIME_JWT_SECRET="$secret" REALTIME_API_KEY="$api_key" REALTIME_DRAIN_SECONDS=5 "$@" \
      "$server_java" $server_flags -jar "$server_jar" >"$log" 2>&1 </dev/null &
}

protocol=realtime
api_port=
case $server in
  jetty|undertow)
    # the README's flags: the heap flags, G1's refinement threshold where the JVM has the flag
    # (JDK 17-19), the native heap trim where it is a product flag (docs/BENCHMARKS.md); flags
    # in SERVER_JAVA_OPTS come later and win (-XX:MaxHeapFreeRatio=70 for G1's default sizing,
    # -XX:G1ConcRefinementGreenZone=<GC threads> for its default start: one buffer per GC
    # thread, -XX:TrimNativeHeapInterval=0 for no trim)
    jvm_flags=$("$server_java" -XX:+PrintFlagsFinal -version 2>/dev/null)
    refinement= trim=
    grep -q ' G1ConcRefinementGreenZone ' <<<"$jvm_flags" && refinement=" -XX:G1ConcRefinementGreenZone=1024"
    grep -q ' TrimNativeHeapInterval .*{product}' <<<"$jvm_flags" && trim=" -XX:TrimNativeHeapInterval=30000"
    server_flags="$heap_flags$refinement$trim ${SERVER_JAVA_OPTS:-}"
    # the recorder's own start-up costs a second of CPU: pay it at launch, not in the window
    [[ ${JFR:-0} == 1 ]] && server_flags="$server_flags -XX:StartFlightRecording=name=launch,settings=default,maxage=1m"
    jvm_node "$server" "$server_log"
    ;;
  cluster-*)
    transport=${server#cluster-}
    redis_port=$(free_port) || { echo "run.sh: no free port for redis-server" >&2; exit 1; }
    redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
        >"$results/logs/$name.redis.log" 2>&1 </dev/null &
    redis_pid=$!
    for _ in $(seq 1 100); do
      (echo >"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && break
      sleep 0.1
    done
    server_flags="-Xms64m -Xmx$heap -XX:+UseG1GC ${SERVER_JAVA_OPTS:-}"
    cluster_env=(REALTIME_BACKPLANE=redis "REALTIME_REDIS_URL=redis://127.0.0.1:$redis_port")
    jvm_node "$transport" "$results/logs/$name.server-b.log" "${cluster_env[@]}" REALTIME_NODE_ID=b
    api_pid=$!
    api_port=$(await_port "$api_pid" "$results/logs/$name.server-b.log") || exit 1
    jvm_node "$transport" "$server_log" "${cluster_env[@]}" REALTIME_NODE_ID=a
    ;;
  bare-undertow)
    # the baseline of idle memory: Undertow holding sockets, nothing else (BareUndertowServer)
    server_flags="$heap_flags ${SERVER_JAVA_OPTS:-}"
    # shellcheck disable=SC2086
    "$server_java" $server_flags -cp "$load_jar" io.realtime.bench.bare.BareUndertowServer >"$server_log" 2>&1 </dev/null &
    ;;
  node-ws|socketio)
    script=ws-server.js
    [[ $server == socketio ]] && { script=socketio-server.js; protocol=socketio; }
    mb=$(numfmt --from=iec "${heap^^}" | awk '{print int($1 / 1048576)}')
    server_flags="--expose-gc --max-old-space-size=$mb"
    # shellcheck disable=SC2086
    env REALTIME_HOST=127.0.0.1 REALTIME_PORT=0 \
        REALTIME_JWT_SECRET="$secret" REALTIME_API_KEY="$api_key" \
        node $server_flags "$bench/node/$script" >"$server_log" 2>&1 </dev/null &
    ;;
esac
server_pid=$!

# both the JVM and the node servers log "server.started ... port=N" once they listen
port=$(await_port "$server_pid" "$server_log") || exit 1
echo "run.sh: server=$server pid=$server_pid port=$port flags=\"$server_flags\" log=$server_log" >&2
cluster_flags=()
if [[ -n $api_port ]]; then
  echo "run.sh: API node pid=$api_pid port=$api_port; redis-server pid=$redis_pid port=$redis_port" >&2
  cluster_flags=(--api-url="http://127.0.0.1:$api_port" --other-pids="nodeB:$api_pid,redis:$redis_pid")
fi

load_flags=${LOAD_JAVA_OPTS:--Xms1g -Xmx1g -Xmn512m -XX:+UseParallelGC}
load() {
  # shellcheck disable=SC2086
  timeout --kill-after=10 $((max_run + 60)) java $load_flags -cp "$load_jar" io.realtime.bench.load.LoadMain \
    --scenario="$scenario" --protocol="$protocol" --url="http://127.0.0.1:$port" \
    --api-key="$api_key" --secret="$secret" --server-pid="$server_pid" --label="$server" \
    --bind-addresses="${BIND_ADDRESSES:-127.0.0.1-127.0.0.4}" --max-run="$max_run" \
    "${cluster_flags[@]}" "$@"
}

if [[ $prime != 0 ]]; then
  echo "run.sh: priming for ${prime} s (not measured)" >&2
  # the caller's flags first, so the prime's own size and time win
  load "$@" --connections=1000 --duration="$prime" --warmup=0 --gc=false --json-only=true \
    --max-run=$((prime + 60)) \
    >/dev/null 2>"$results/logs/$name.prime.txt" \
    || { echo "run.sh: the priming run failed:" >&2; tail -5 "$results/logs/$name.prime.txt" >&2; exit 1; }
  sleep 2 # let the server finish closing the prime's connections before the baseline
fi

if [[ ${JFR:-0} == 1 ]]; then
  if [[ $server == jetty || $server == undertow ]]; then
    mkdir -p "$results/jfr"
    jfr_file=$results/jfr/$name.jfr
    # start when the tool says the measured window begins; stopped (and written) after the run
    (
      until grep -q 'warm-up done' "$load_log" 2>/dev/null; do sleep 0.1; done
      jcmd "$server_pid" JFR.start name=bench settings=profile 'jdk.ExecutionSample#period=2ms' \
        filename="$jfr_file" >/dev/null
    ) &
    jfr_watch=$!
  else
    echo "run.sh: JFR=1 applies to the JVM servers only" >&2
  fi
fi

repeat=${REPEAT:-1}
status=0
set +e
for ((i = 1; i <= repeat; i++)); do
  [[ $i -gt 1 ]] && sleep 3 # the last run's sockets close before the next baseline
  load "$@" 2>&1 | tee -a "$load_log"
  run_status=${PIPESTATUS[0]}
  [[ $run_status != 0 ]] && status=$run_status
done
set -e

if [[ -n ${jfr_file:-} ]]; then
  if jcmd "$server_pid" JFR.stop name=bench >/dev/null 2>&1; then
    echo "run.sh: recording $jfr_file; summary: $bench/jfr-summary.sh $jfr_file" >&2
  else
    echo "run.sh: no recording (the measured window never started?)" >&2
  fi
fi
stop_server

lines=$(grep '^{"tool":"realtime-load"' "$load_log" || true)
if [[ -z $lines ]]; then
  echo "run.sh: the load tool printed no result (exit $status), see $load_log" >&2
  exit 1
fi
# what ran, beside what it measured: the server's flags, the generator's, the commit
rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
# no optional locks: never in the way of someone committing meanwhile
[[ -n $(git --no-optional-locks -C "$root" status --porcelain --untracked-files=no 2>/dev/null | head -1) ]] \
  && rev="$rev+dirty"
i=0
while IFS= read -r line; do
  i=$((i + 1))
  bench_json=$(printf '"bench":{"server":"%s","serverJava":"%s","serverFlags":"%s","loadFlags":"%s","commit":"%s","session":"%s","log":"%s","repeat":%d}' \
    "$server" "$server_java" "$server_flags" "$load_flags" "$rev" "${BENCH_SESSION:-}" "logs/$name" "$i")
  echo "${line/\{\"tool\":\"realtime-load\",/\{\"tool\":\"realtime-load\",$bench_json,}" >>"$jsonl"
done <<<"$lines"
echo "run.sh: appended to $jsonl" >&2
exit "$status"
