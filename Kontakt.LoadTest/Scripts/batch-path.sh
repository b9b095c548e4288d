#!/usr/bin/env bash
# Issue 15's batch-path targets in one session, so the host's speed cancels out of the ratios
# (docs/benchmarks.md, "Efficiency"). ROUNDS interleaved rounds (default 3) of:
#   single  — POST /v1/records, one record per request, 256 clients, closed loop (raw client);
#   batch   — POST /v1/records/batch, 1,000 records per request, 8 clients;
#   ceiling — the service's own batch transaction with no HTTP (baseline-db), 1,000 per batch,
#             2 writers, into a scratch database kontakt_ceiling.
# Prints each run and, at the end, the medians and the ratios batch ÷ single (target >= 4) and
# batch ÷ ceiling (target >= 0.9). Every record is sent once (--skip-verify: the load test's own
# verification is not repeated here). Uses the embedded cluster, adopting its database as it is
# (RESET=1 drops the kontakt database first); leaves the cluster running. Needs the cluster initialized
# (run the API once).
#   ROUNDS=3 bash Kontakt.LoadTest/Scripts/batch-path.sh 2>&1 | tee batch-path.log
set -uo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}
API_LOG=/tmp/kontakt-batch-path-api.log
source Kontakt.LoadTest/Scripts/embedded-api.sh
build_release
throughput() { awk -F': *' '/^Throughput/ { gsub(/,/, "", $2); split($2, v, " "); print v[1] }'; }

start_postgres
stop_api
[ "${RESET:-0}" = 1 ] && $PSQL -d postgres -c "DROP DATABASE IF EXISTS kontakt"
$PSQL -d postgres -c "DROP DATABASE IF EXISTS kontakt_ceiling" -c "CREATE DATABASE kontakt_ceiling"
CEIL="Host=127.0.0.1;Port=55432;Username=kontakt;Password=$PGPASSWORD;Database=kontakt_ceiling"
start_api
echo "records stored at the start: $($PSQL -d kontakt -c "SELECT n_live_tup FROM pg_stat_user_tables WHERE relid = 'phi.records'::regclass")"

singles=(); batches=(); ceilings=()
for round in $(seq 1 "$ROUNDS"); do
  rate=$($LT --mode single --client raw --records 200000 --concurrency 256 --returning 0 --seed $((100 + round)) --skip-verify --no-live | throughput)
  echo "round $round single: $rate records/s"; singles+=("$rate")
  rate=$($LT --mode batch --client raw --records 500000 --batch-size 1000 --concurrency 8 --returning 0 --seed $((200 + round)) --skip-verify --no-live | throughput)
  echo "round $round batch of 1,000: $rate records/s"; batches+=("$rate")
  rate=$($LT baseline-db --db "$CEIL" --records 300000 --batch-size 1000 --writers 2 --seed $((300 + round)) | awk '/^Database ceiling/ { gsub(/,/, "", $0); print $(NF - 1) }')
  echo "round $round database ceiling: $rate records/s"; ceilings+=("$rate")
done
stop_api

single=$(printf '%s\n' "${singles[@]}" | median)
batch=$(printf '%s\n' "${batches[@]}" | median)
ceiling=$(printf '%s\n' "${ceilings[@]}" | median)
awk -v s="$single" -v b="$batch" -v c="$ceiling" 'BEGIN {
  printf "medians: single %.0f, batch %.0f, database ceiling %.0f records/s\n", s, b, c
  printf "batch / single = %.2f (target >= 4); batch / ceiling = %.2f (target >= 0.9)\n", b / s, b / c }'
