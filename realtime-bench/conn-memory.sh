#!/usr/bin/env bash
# What one idle connection holds in a JVM server, by class: start the server, take a class
# histogram (jcmd GC.class_histogram, after its full GC) and VmRSS with no connection, open N
# idle authenticated connections with the load tool, take both again while they are held, and
# print the difference per connection. Deterministic (heap), unlike the timing figures, so it
# can be taken on a busy machine. Builds nothing (as run.sh).
#
#   realtime-bench/conn-memory.sh <jetty|undertow|bare-undertow> [connections, default 5000] [top classes, default 25]
#
# Environment: SERVER_JAVA_OPTS [run.sh's heap flags: -Xms64m -Xmx1g -XX:+UseG1GC
# -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=30000; no native
# trim, so the trimmed reading shows what glibc keeps] replaces the server's JVM flags;
# REALTIME_* reach the server unchanged; ROOTS=1 records old-object samples with their paths to
# GC roots (jfr print --events OldObjectSample <file>); RESULTS [<repo>/bench-results] gets the histograms;
# UNFORCED=<s> first reads RSS and committed heap every 30 s for that long with no forced
# collection (what a node left alone after a storm gives back by itself).
# After the loaded histogram it also reads RSS 6 s later, and once more after
# jcmd System.trim_native_heap: what G1 and glibc still had to give back.
set -euo pipefail

[[ $# -ge 1 ]] || { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 2; }
server=$1 n=${2:-5000} top=${3:-25}
bench=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench/.." && pwd)
results=${RESULTS:-$root/bench-results}/memory
server_jar=$root/realtime-app/target/realtime.jar
load_jar=$bench/target/benchmarks.jar
flags=${SERVER_JAVA_OPTS:--Xms64m -Xmx1g -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=30000}
# native memory by area (heap committed, thread stacks, direct buffers under Other)
flags="$flags -XX:NativeMemoryTracking=summary"
[[ ${ROOTS:-0} == 1 ]] && flags="$flags -XX:StartFlightRecording=name=roots,settings=profile,jdk.OldObjectSample#cutoff=infinity"
secret=bench-secret-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
api_key=bench-key-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
mkdir -p "$results"
name=$(date -u +%Y%m%dT%H%M%SZ)-$server-$n
log=$results/$name.server.log

case $server in
  jetty|undertow)
    # shellcheck disable=SC2086 # flags are words
    env REALTIME_TRANSPORT="$server" REALTIME_HOST=127.0.0.1 REALTIME_PORT=0 \
        REALTIME_JWT_SECRET="$secret" REALTIME_API_KEY="$api_key" REALTIME_DRAIN_SECONDS=2 \
        java $flags -jar "$server_jar" >"$log" 2>&1 </dev/null & ;;
  bare-undertow)
    # shellcheck disable=SC2086
    java $flags -cp "$load_jar" io.realtime.bench.bare.BareUndertowServer >"$log" 2>&1 </dev/null & ;;
  *) echo "conn-memory.sh: unknown server '$server'" >&2; exit 2 ;;
esac
pid=$!
load_pid=
cleanup() {
  [[ -n $load_pid ]] && kill "$load_pid" 2>/dev/null || true
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
trap cleanup EXIT

port=
for _ in $(seq 1 300); do
  kill -0 "$pid" 2>/dev/null || { echo "conn-memory.sh: server exited:" >&2; tail "$log" >&2; exit 1; }
  port=$(sed -n 's/.*server\.started .* port=\([0-9][0-9]*\).*/\1/p' "$log" | head -1)
  [[ -n $port ]] && [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/health") == 200 ]] && break
  port=
  sleep 0.1
done
[[ -n $port ]] || { echo "conn-memory.sh: server not healthy in 30 s" >&2; exit 1; }

rss() { awk '/^VmRSS/ { print $2 }' "/proc/$pid/status"; }
threads() { awk '/^Threads/ { print $2 }' "/proc/$pid/status"; }
# the class histogram runs a full GC first: live objects only
histogram() { jcmd "$pid" GC.class_histogram >"$1"; jcmd "$pid" VM.native_memory summary >"${1%.histo}.nmt"; }

load_out=$results/$name.load.txt
run_load() {
  java -Xms512m -Xmx1g -XX:+UseParallelGC -cp "$load_jar" io.realtime.bench.load.LoadMain \
    --scenario=idle --url="http://127.0.0.1:$port" --api-key="$api_key" --secret="$secret" \
    --server-pid="$pid" --label="$server" --bind-addresses=127.0.0.1-127.0.0.4 \
    --connections="$1" --duration="$2" --warmup=0 --gc=false --json-only=true --max-run=200
}
# one small round first: classes loaded and JIT-compiled code are not per connection
run_load 200 1 >/dev/null 2>&1
sleep 2

histogram "$results/$name.before.histo"
rss_before=$(rss) threads_before=$(threads)

# the connect phase recorded: what the server allocates per handshake, and where
jcmd "$pid" JFR.start name=connect settings=profile 'jdk.ThreadAllocationStatistics#period=1s' \
  filename="$results/$name.connect.jfr" >/dev/null
unforced=${UNFORCED:-0}
run_load "$n" $((40 + unforced)) >"$load_out" 2>&1 &
load_pid=$!
for _ in $(seq 1 1200); do # 120 s
  grep -q ' ready, ' "$load_out" 2>/dev/null && break
  kill -0 "$load_pid" 2>/dev/null || { echo "conn-memory.sh: load tool ended:" >&2; cat "$load_out" >&2; exit 1; }
  sleep 0.1
done
ready=$(sed -n 's/.*load: \([0-9]*\) ready.*/\1/p' "$load_out" | head -1)
[[ -n $ready && $ready -gt 0 ]] || { echo "conn-memory.sh: nothing connected" >&2; cat "$load_out" >&2; exit 1; }
sleep 3 # let the last upgrades settle
jcmd "$pid" JFR.stop name=connect >/dev/null
heap_committed() { jcmd "$pid" VM.native_memory summary | sed -n 's/.*Java Heap (reserved=[0-9]*KB, committed=\([0-9]*\)KB.*/\1/p'; }
for ((t = 0; t < unforced; t += 30)); do
  echo "unforced +${t}s: rss_kb=$(rss) heap_committed_kb=$(heap_committed)"
  sleep 30
done
histogram "$results/$name.after.histo"
if [[ ${ROOTS:-0} == 1 ]]; then # what keeps sampled old objects alive (the flags need a recorder)
  jcmd "$pid" JFR.dump name=roots path-to-gc-roots=true filename="$results/$name.roots.jfr" >/dev/null
fi
rss_after=$(rss) threads_after=$(threads)
sleep 6
rss_settled=$(rss)
jcmd "$pid" System.trim_native_heap >/dev/null
rss_trimmed=$(rss)
wait "$load_pid" || true
load_pid=

echo "server=$server connections=$ready flags=\"$flags\""
echo "rss_kb: $rss_before -> $rss_after ($(( (rss_after - rss_before) * 1024 / ready )) B per connection); threads: $threads_before -> $threads_after"
echo "rss_kb after the collection: $rss_after, 6 s later: $rss_settled, after a native trim: $rss_trimmed"
# per class: instances and bytes after minus before, per connection, largest first
awk -v n="$ready" -v top="$top" '
  FNR == 1 { file++ }
  $1 ~ /^[0-9]+:$/ { cls = $4; for (i = 5; i <= NF; i++) cls = cls " " $i
                     if (file == 1) { bi[cls] = $2; bb[cls] = $3 } else { ai[cls] = $2; ab[cls] = $3 } }
  $1 == "Total" { if (file == 1) tb = $3; else ta = $3 }
  END {
    for (c in ab) { d = ab[c] - bb[c]; if (d > 0) print d / n, (ai[c] - bi[c]) / n, c }
    printf "%.1f TOTAL_BYTES_PER_CONNECTION\n", (ta - tb) / n > "/dev/stderr"
  }' "$results/$name.before.histo" "$results/$name.after.histo" \
  | sort -rn | awk -v top="$top" 'NR <= top' | awk '{ printf "%8.1f B %6.2f obj  %s\n", $1, $2, $3 }'
# committed native memory per connection by NMT area, beside RSS
awk -v n="$ready" '
  FNR == 1 { file++ }
  /^-  *[A-Za-z].*\(reserved=/ { area = $0; sub(/^- */, "", area); sub(/ *\(reserved=.*/, "", area)
    c = $0; sub(/.*committed=/, "", c); sub(/KB.*/, "", c); v[file, area] = c; areas[area] = 1 }
  /^Total: / { c = $0; sub(/.*committed=/, "", c); sub(/KB.*/, "", c); v[file, "Total"] = c; areas["Total"] = 1 }
  END { for (a in areas) { d = (v[2, a] - v[1, a]) * 1024 / n; if (d > 20 || d < -20) printf "nmt %8.0f B per connection  %s\n", d, a } }' \
  "$results/$name.before.nmt" "$results/$name.after.nmt" | sort -k2 -rn
# bytes allocated by the server's threads over the connect phase (each thread's last
# cumulative figure minus its first; threads started meanwhile count from zero)
jfr print --events jdk.ThreadAllocationStatistics "$results/$name.connect.jfr" \
  | awk -v n="$ready" '
      /allocated = / { a = $3; u = $4; if (u ~ /^kB/) a *= 1e3; else if (u ~ /^MB/) a *= 1e6; else if (u ~ /^GB/) a *= 1e9 }
      /javaThreadId = / { t = $0; sub(/.*javaThreadId = /, "", t); sub(/\).*/, "", t)
                         if (!(t in first)) first[t] = a; last[t] = a }
      END { for (t in last) total += last[t] - first[t]
            printf "allocated during the connect phase: %.0f B per handshake (all server threads)\n", total / n }'
echo "allocation sites of the connect phase: realtime-bench/jfr-summary.sh $results/$name.connect.jfr"
echo "histograms: $results/$name.{before,after}.histo"
