#!/usr/bin/env bash
# A bounded soak of one server (not part of mvn verify): start the server, hold connections,
# churn 10% of them a minute, publish to every route kind, abuse a few connections a minute,
# sample heap after full GC, RSS, threads, fds and the registry, then close everything and
# check the registry, threads and fds are back at baseline and the ledger lost nothing
# (io.realtime.bench.load.SoakMain). Builds nothing: it needs realtime-app/target/realtime.jar
# and realtime-bench/target/benchmarks.jar (mvn -B -q package -pl realtime-app,realtime-bench -am -DskipTests).
#
#   realtime-bench/soak.sh <jetty|undertow> [--seconds=600] [--connections=1000] [--rate=20] [--sample-seconds=30]
#
# Environment: SERVER_HEAP [512m] the server's -Xmx; RESULTS [<repo>/bench-results];
# SERVER_JAR, LOAD_JAR: other copies of the two jars (so a build meanwhile cannot replace them
# under the running JVMs).
# Exit status: 0 when nothing was lost and everything went back to baseline.
set -euo pipefail

[[ $# -ge 1 ]] || { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 2; }
server=$1
shift
case $server in jetty|undertow) ;; *) echo "soak.sh: unknown server '$server'" >&2; exit 2 ;; esac

bench=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench/.." && pwd)
results=${RESULTS:-$root/bench-results}
server_jar=${SERVER_JAR:-$root/realtime-app/target/realtime.jar}
load_jar=${LOAD_JAR:-$bench/target/benchmarks.jar}
[[ -f $server_jar && -f $load_jar ]] || { echo "soak.sh: build first: mvn -B -q package -pl realtime-app,realtime-bench -am -DskipTests" >&2; exit 2; }
secret=soak-secret-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
api_key=soak-key-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$results/logs"
server_log=$results/logs/$stamp-soak-$server.server.log
soak_log=$results/logs/$stamp-soak-$server.soak.txt

server_pid=
stop_server() {
  [[ -n $server_pid ]] || return 0
  kill -TERM "$server_pid" 2>/dev/null || return 0
  for _ in $(seq 1 150); do
    kill -0 "$server_pid" 2>/dev/null || { server_pid=; return 0; }
    sleep 0.1
  done
  kill -KILL "$server_pid" 2>/dev/null || true
  server_pid=
}
trap stop_server EXIT
trap 'exit 130' INT TERM

env REALTIME_TRANSPORT="$server" REALTIME_HOST=127.0.0.1 REALTIME_PORT=0 \
    REALTIME_JWT_SECRET="$secret" REALTIME_API_KEY="$api_key" REALTIME_DRAIN_SECONDS=5 \
    java -Xms64m -Xmx"${SERVER_HEAP:-512m}" -XX:+UseG1GC -jar "$server_jar" >"$server_log" 2>&1 </dev/null &
server_pid=$!

port=
for _ in $(seq 1 300); do
  kill -0 "$server_pid" 2>/dev/null || { echo "soak.sh: server exited at start:" >&2; tail -20 "$server_log" >&2; exit 1; }
  port=$(sed -n 's/.*server\.started .* port=\([0-9][0-9]*\).*/\1/p' "$server_log" | head -1)
  if [[ -n $port ]] && [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/health") == 200 ]]; then
    break
  fi
  port=
  sleep 0.1
done
[[ -n $port ]] || { echo "soak.sh: server not healthy in 30 s, see $server_log" >&2; exit 1; }
echo "soak.sh: server=$server pid=$server_pid port=$port log=$server_log" >&2

set +e
java -Xms256m -Xmx1g -cp "$load_jar" io.realtime.bench.load.SoakMain \
  --url="http://127.0.0.1:$port" --api-key="$api_key" --secret="$secret" \
  --server-pid="$server_pid" --label="$server" "$@" 2>&1 | tee "$soak_log"
status=${PIPESTATUS[0]}
set -e
stop_server
echo "soak.sh: report in $soak_log (exit $status)" >&2
exit "$status"
