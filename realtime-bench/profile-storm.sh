#!/usr/bin/env bash
# Where a connect storm's CPU goes: an `idle` run (run.sh, upgrade pacing lifted) whose n-th
# storm against one server is profiled with async-profiler, attached by jcmd when the load tool
# announces that storm and stopped at its "ready" line. Prints the share of samples per server
# thread (the C2 compiler's among them) and leaves the collapsed stacks for a flame graph.
# Builds nothing (as run.sh); fetches async-profiler from Maven Central once.
#
#   realtime-bench/profile-storm.sh <jetty|undertow> [storm, default 1] [connections, default 10000]
#
# Environment: EVENT [itimer] (cpu where perf events are allowed); ASYNC_PROFILER [fetched]
# a libasyncProfiler.so to use; RESULTS [<repo>/bench-results] (profiles land in its profiles/);
# SERVER_JAVA, SERVER_JAVA_OPTS, PRIME_SECONDS, REALTIME_* reach run.sh unchanged.
set -euo pipefail

[[ $# -ge 1 ]] || { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 2; }
server=$1 storm=${2:-1} connections=${3:-10000}
case $server in jetty|undertow) ;; *) echo "profile-storm.sh: jetty or undertow, not '$server'" >&2; exit 2 ;; esac
bench=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench/.." && pwd)
results=${RESULTS:-$root/bench-results}
version=4.1

lib=${ASYNC_PROFILER:-}
if [[ -z $lib ]]; then
  jar=$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version.jar
  [[ -f $jar ]] || mvn -B -q dependency:get -Dartifact=tools.profiler:async-profiler:$version >&2
  lib=$bench/target/async-profiler-$version/linux-x64/libasyncProfiler.so
  [[ -f $lib ]] || unzip -q -o "$jar" 'linux-x64/*' -d "$bench/target/async-profiler-$version"
fi

mkdir -p "$results/profiles" "$results/logs"
out=$results/profiles/$(date -u +%Y%m%dT%H%M%SZ)-storm$storm-$server.collapsed
marker=$(mktemp)
watcher=
# a run that fails leaves its watcher waiting for a storm: stop it with the script
trap '[[ -n $watcher ]] && kill "$watcher" 2>/dev/null; rm -f "$marker"' EXIT
agent() { jcmd "$1" JVMTI.agent_load "$lib" "\"$2\"" >/dev/null; }
(
  # the load log of this run appears when its first measured storm starts
  log=
  until [[ -n $log ]]; do
    sleep 0.2
    log=$(find "$results/logs" -name "*-idle-$server.load.txt" -newer "$marker" | head -1)
  done
  until [[ $(grep -c '^realtime-load: idle' "$log") -ge $storm ]]; do sleep 0.05; done
  pid=$(sed -n 's/.*server pid \([0-9]*\).*/\1/p' "$log" | head -1)
  agent "$pid" "start,event=${EVENT:-itimer},interval=1ms,threads"
  until [[ $(grep -c '^realtime-load: [0-9]* ready, ' "$log") -ge $storm ]]; do sleep 0.05; done
  agent "$pid" "stop,file=$out,collapsed"
) &
watcher=$!
REALTIME_UPGRADE_RATE=1000000 REALTIME_UPGRADE_BURST=1000000 REPEAT=$storm \
  "$bench/run.sh" idle "$server" --connections="$connections" 2>&1 | grep -E '^(connections|handshake)'
for _ in $(seq 1 50); do kill -0 "$watcher" 2>/dev/null || break; sleep 0.1; done
kill -0 "$watcher" 2>/dev/null && { echo "profile-storm.sh: storm $storm never ran" >&2; exit 1; }
watcher=
[[ -s $out ]] || { echo "profile-storm.sh: no samples in $out" >&2; exit 1; }

# the first frame of each stack is its thread; numbers in thread names are folded together
awk '{ n = $NF; total += n; split($0, f, ";"); t = f[1]; gsub(/[0-9]+/, "#", t); by[t] += n }
  END { for (t in by) printf "%5.1f%%  %s\n", 100 * by[t] / total, t
        printf "%d samples\n", total > "/dev/stderr" }' "$out" | sort -rn | head -12
echo "profile-storm.sh: collapsed stacks in $out" >&2
