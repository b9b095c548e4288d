#!/usr/bin/env bash
# The issue-15 acceptance session in one run, so the host's speed cancels out of the ratios:
#   1. the HTTP ceiling (no-op ASP.NET POST under wrk, 128 connections), RUNS times; then the no-op server's CPU
#      per request under the load generator's own client at 512 connections, RUNS times;
#   2. kontakt-1m RUNS times, each on a freshly created database (a new service), with the load
#      generator's client given by CLIENT (http = HttpClient, raw = the raw-socket client), and the CPU
#      split per committed record (cpu-per-record.sh).
# Prints one summary line per run, the ratio kontakt-1m throughput / HTTP ceiling and the ratio API CPU per record /
# no-op CPU per request (medians).
# Needs wrk and the embedded cluster initialized (run the API once). Leaves the cluster running.
#   RUNS=5 CLIENT=raw bash Kontakt.LoadTest/Scripts/kontakt-1m-session.sh 2>&1 | tee kontakt-1m-session.log
set -uo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-5}
CLIENT=${CLIENT:-raw}
API_LOG=/tmp/kontakt-session-api.log
source Kontakt.LoadTest/Scripts/embedded-api.sh
build_release

start_postgres
echo "== HTTP ceiling: no-op ASP.NET POST, wrk, 128 connections"
(DOTNET_gcServer=1 nohup $LT baseline-http --urls http://127.0.0.1:5100 > /tmp/kontakt-session-noop.log 2>&1 &); sleep 3
ceilings=()
for run in $(seq 1 "$RUNS"); do
  rps=$(RUN=noop$run wrk -t2 -c128 -d15s -s $SCRIPTS/post.lua http://127.0.0.1:5100 | awk '/Requests\/sec/ {print $2}')
  echo "ceiling run $run: $rps requests/s"; ceilings+=("$rps")
done

# The API's CPU per record means little alone: the same client's requests cost the no-op server this much each.
echo "== the no-op server's CPU per request under kontakt-1m's client ($CLIENT, 512 connections)"
noop=$(pgrep -f "Kontakt.LoadTest.dll baseline-http" | head -1)
noop_costs=()
for run in $(seq 1 "$RUNS"); do
  before=$(awk '{print $14 + $15}' "/proc/$noop/stat")
  answered=$($LT --target http://127.0.0.1:5100 --mode single --records 200000 --concurrency 512 --client "$CLIENT" \
    --seed $((70 + run)) --skip-verify --no-live | awk -F': *' '/^Records acknowledged/ { gsub(/,/, "", $2); split($2, v, " "); print v[1] }')
  after=$(awk '{print $14 + $15}' "/proc/$noop/stat")
  cost=$(awk -v t=$((after - before)) -v n="$answered" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }')
  echo "no-op run $run: $answered requests, $cost us of the no-op server's CPU per request"; noop_costs+=("$cost")
done
pkill -f "baseline-http" || true

echo "== kontakt-1m, client $CLIENT, each run on a freshly created database"
rates=()
api_costs=()
for run in $(seq 1 "$RUNS"); do
  # sync: the previous run's dirty pages are written back now, not during this run.
  stop_api; $PSQL -d postgres -c "DROP DATABASE IF EXISTS kontakt"; sync; start_api
  out=$(bash $SCRIPTS/cpu-per-record.sh $LT --target http://127.0.0.1:5000 --scenario kontakt-1m --client "$CLIENT" --seed $((50 + run)) --no-live)
  echo "$out" | grep -E "^(Records acknowledged|Elapsed|Throughput|Latency|Scenario|  (PASS|FAIL))|committed"
  rate=$(echo "$out" | awk -F': *' '/^Throughput/ { gsub(/,/, "", $2); split($2, v, " "); print v[1] }')
  echo "kontakt-1m run $run: $rate records/s"; rates+=("$rate")
  api_costs+=("$(echo "$out" | sed -n 's/.*CPU per record: API \([0-9.]*\) us.*/\1/p')")
done
stop_api

ceiling=$(printf '%s\n' "${ceilings[@]}" | median)
rate=$(printf '%s\n' "${rates[@]}" | median)
awk -v r="$rate" -v c="$ceiling" 'BEGIN { printf "median kontakt-1m %.0f records/s / median HTTP ceiling %.0f requests/s = %.3f (target >= 0.35)\n", r, c, r / c }'
api_cost=$(printf '%s\n' "${api_costs[@]}" | median)
noop_cost=$(printf '%s\n' "${noop_costs[@]}" | median)
awk -v a="$api_cost" -v n="$noop_cost" 'BEGIN { printf "median API CPU per record %.1f us / median no-op CPU per request %.1f us (same client) = %.2f\n", a, n, a / n }'
