#!/usr/bin/env bash
# Every scenario on every server, with run.sh, sized for a 2-core machine where the load tool
# and the server share the cores: about 10 minutes in all, never more than BUDGET. Scenario by
# scenario, the four servers back to back, so a drift in the machine's load touches all of them
# alike. Builds nothing (see run.sh). Ends with a summary of this session's runs.
#
#   realtime-bench/run-all.sh
#   SERVERS="jetty undertow" SCENARIOS=broadcast BROADCAST_CONNECTIONS=10000 realtime-bench/run-all.sh
#
# Environment (defaults in brackets); run.sh's variables (SERVER_HEAP, JFR, ...) pass through:
#   SERVERS [jetty undertow node-ws socketio]   SCENARIOS [idle broadcast users topics churn]
#   DURATION [10] WARMUP [3]    seconds measured and warmed up, per run
#   IDLE_CONNECTIONS [10000]
#   BROADCAST_CONNECTIONS [2000] BROADCAST_RATE [10]
#   USERS_CONNECTIONS [1000] USERS_PER_USER [2] USERS_RATE [0 = as fast as accepted]
#   TOPICS_CONNECTIONS [2000] TOPICS_SUBSCRIBERS [5] TOPICS_RATE [1000]
#   CHURN_CONNECTIONS [1000] CHURN_RATE [10] CHURN_PER_SECOND [100]
#   BUDGET [1500]               seconds; no run starts after it is spent (the one running ends on its own bound)
#   IDLE_PRIME_SECONDS [0]      idle runs on a fresh server: RSS per connection is growth from a cold
#                               start (after a prime, freed memory is reused and hides growth), and its
#                               handshake rate includes JIT warm-up; the other scenarios run primed
#                               (PRIME_SECONDS, run.sh), so their handshake rates are warm ones
set -uo pipefail

bench=$(cd "$(dirname "$0")" && pwd)
servers=${SERVERS:-jetty undertow node-ws socketio}
scenarios=${SCENARIOS:-idle broadcast users topics churn}
duration=${DURATION:-10}
warmup=${WARMUP:-3}
budget=${BUDGET:-1500}
export BENCH_SESSION=${BENCH_SESSION:-$(date -u +%Y%m%dT%H%M%SZ)}
export MAX_RUN=${MAX_RUN:-150}

flags_for() {
  local common="--duration=$duration --warmup=$warmup"
  case $1 in
    idle) echo "--connections=${IDLE_CONNECTIONS:-10000} --duration=$duration" ;;
    broadcast) echo "$common --connections=${BROADCAST_CONNECTIONS:-2000} --rate=${BROADCAST_RATE:-10}" ;;
    users) echo "$common --connections=${USERS_CONNECTIONS:-1000} --per-user=${USERS_PER_USER:-2} --rate=${USERS_RATE:-0}" ;;
    topics) echo "$common --connections=${TOPICS_CONNECTIONS:-2000} --subscribers-per-topic=${TOPICS_SUBSCRIBERS:-5} --rate=${TOPICS_RATE:-1000}" ;;
    churn) echo "$common --connections=${CHURN_CONNECTIONS:-1000} --rate=${CHURN_RATE:-10} --churn-per-second=${CHURN_PER_SECOND:-100}" ;;
    *) echo "run-all.sh: unknown scenario $1" >&2; return 1 ;;
  esac
}

started=$SECONDS
failed=()
skipped=()
echo "run-all.sh: session=$BENCH_SESSION servers=\"$servers\" scenarios=\"$scenarios\" cores=$(nproc) budgetSeconds=$budget" >&2
for scenario in $scenarios; do
  flags=$(flags_for "$scenario") || exit 2
  for server in $servers; do
    if (( SECONDS - started >= budget )); then
      skipped+=("$scenario/$server")
      continue
    fi
    echo "run-all.sh: scenario=$scenario server=$server flags=\"$flags\" elapsedSeconds=$((SECONDS - started))" >&2
    prime=${PRIME_SECONDS:-5}
    # idle measures memory per connection: a prime's freed memory would be reused and hide growth
    [[ $scenario == idle ]] && prime=${IDLE_PRIME_SECONDS:-0}
    # shellcheck disable=SC2086 # flags are words
    PRIME_SECONDS=$prime "$bench/run.sh" "$scenario" "$server" $flags || failed+=("$scenario/$server")
  done
done

echo >&2
echo "run-all.sh: done in $((SECONDS - started)) s; failed: ${failed[*]:-none}; skipped (budget): ${skipped[*]:-none}" >&2

results=${RESULTS:-$(cd "$bench/.." && pwd)/bench-results}
if command -v jq >/dev/null; then
  echo
  echo "Session $BENCH_SESSION ($(nproc) cores; load tool and server on the same machine)"
  # one line per run; ratios to node-ws in the same scenario of this session
  cat "$results"/*.jsonl 2>/dev/null | jq -rs --arg s "$BENCH_SESSION" '
    [ .[] | select(.bench.session == $s) ] as $runs
    | ($runs | map(select(.bench.server == "node-ws")) | map({(.run.scenario): .}) | add // {}) as $ws
    | ["scenario", "server", "ready", "hs/s", "deliv/s", "xWS", "p50ms", "p99ms", "srvµs/msg", "xWS",
       "RSS/conn", "heap/conn", "missing", "dups", "srv%", "gen%", "other%"],
      ($runs[] | . as $r | $ws[$r.run.scenario] as $w
        | def ratio(a; b): if (a // 0) > 0 and (b // 0) > 0 then (a / b * 100 | round / 100) else "-" end;
          def kb(x): if x == null then "-" else (x / 1000 | round | tostring) + "K" end;
          def n(x): if x == null then "-" else x end;
        [ $r.run.scenario, $r.bench.server, $r.connections.ready,
          ($r.connections.handshakesPerSecond // 0 | round),
          ($r.deliveries.perSecond // 0 | round), ratio($r.deliveries.perSecond; $w.deliveries.perSecond),
          n($r.latency.p50Ms), n($r.latency.p99Ms),
          n($r.cpu.serverMicrosPerDelivery), ratio($r.cpu.serverMicrosPerDelivery; $w.cpu.serverMicrosPerDelivery),
          kb($r.memory.rssPerConnection), kb($r.memory.heapPerConnection),
          $r.deliveries.missing, $r.deliveries.duplicates,
          ($r.cpu.serverPercent // 0 | round), ($r.cpu.generatorPercent // 0 | round),
          ($r.cpu.otherPercent // 0 | round) ])
    | @tsv' | column -t -s $'\t'
fi
[[ ${#failed[@]} -eq 0 ]]
