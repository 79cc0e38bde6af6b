#!/usr/bin/env bash
# Summarises a JFR recording of the server (run.sh with JFR=1): hot methods by own samples,
# our methods (io.realtime) by samples with them anywhere on the stack, allocation by site and
# contended monitors. JDK 21+ has `jfr view hot-methods`; JDK 17's jfr only prints events, so
# this counts them itself.
#
#   realtime-bench/jfr-summary.sh bench-results/jfr/<run>.jfr [top=25]
set -euo pipefail
[[ $# -ge 1 && -f $1 ]] || { echo "usage: $0 <recording.jfr> [top]" >&2; exit 2; }
file=$1
top=${2:-25}

jfr summary "$file" | sed -n '1,12p'

# "    at.some.Method(Args) line: 12" -> "at.some.Method(Args)"
frames() { sed -n 's/^[[:space:]]\{4,\}\([^ ].*)\)[[:space:]]*line:.*/\1/p; s/^[[:space:]]\{4,\}\([^ ].*)\)[[:space:]]*$/\1/p'; }

samples=$(jfr print --events jdk.ExecutionSample --stack-depth 1 "$file" | grep -c 'jdk.ExecutionSample' || true)
echo
echo "== hot methods: own samples (of $samples execution samples)"
jfr print --events jdk.ExecutionSample --stack-depth 1 "$file" | frames \
  | sort | uniq -c | sort -rn | head -"$top" \
  | awk -v n="$samples" '{c=$1; $1=""; printf "%6d %5.1f%% %s\n", c, 100*c/(n?n:1), $0}'

echo
echo "== our methods: samples with the method anywhere on the stack"
jfr print --events jdk.ExecutionSample --stack-depth 64 "$file" \
  | awk '/jdk.ExecutionSample/ { for (m in seen) delete seen[m] }
         /^[[:space:]]+io\.realtime\./ { sub(/^[[:space:]]+/, ""); sub(/[[:space:]]+line:.*/, "");
                                        if (!($0 in seen)) { seen[$0] = 1; count[$0]++ } }
         END { for (m in count) print count[m], m }' \
  | sort -rn | head -"$top" \
  | awk -v n="$samples" '{c=$1; $1=""; printf "%6d %5.1f%% %s\n", c, 100*c/(n?n:1), $0}'

echo
echo "== allocation: sampled bytes by allocating method (jdk.ObjectAllocationSample weight)"
jfr print --events jdk.ObjectAllocationSample --stack-depth 1 "$file" \
  | awk '/weight = / { w = $3; unit = $4
                       if (unit ~ /^kB/) w *= 1e3; else if (unit ~ /^MB/) w *= 1e6; else if (unit ~ /^GB/) w *= 1e9 }
         /stackTrace = \[/ { getline; sub(/^[[:space:]]+/, ""); sub(/[[:space:]]+line:.*/, ""); bytes[$0] += w }
         END { for (m in bytes) printf "%12.1f MB %s\n", bytes[m] / 1e6, m }' \
  | sort -rn | head -"$top"

echo
echo "== contended monitors (jdk.JavaMonitorEnter, over 20 ms by default)"
jfr print --events jdk.JavaMonitorEnter "$file" | grep 'monitorClass' | sort | uniq -c | sort -rn | head -"$top" || true
