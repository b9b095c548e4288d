#!/usr/bin/env bash
# Ingest throughput while one REPEATABLE READ transaction (an analyst's long export) stays open
# (docs/benchmarks.md, "Long snapshot"; issue 11, item 5). Starts its own embedded cluster and API
# (Release build), warms up for a minute, opens the snapshot, then drives POST /v1/records (201, a new
# person per request) with wrk, closed loop, in one-minute slices for MINUTES minutes, printing each
# minute's records/s, the machine's load average and the snapshot's age. Ends with the ratio of the
# last five minutes to the first five (target ≥ 0.90). Each minute also shows what PostgreSQL did for it: WAL
# written per record, full-page images per record, blocks read from outside shared_buffers per record, and
# the checkpoints so far. SNAPSHOT=0 runs the same load with no snapshot: the control that separates what
# the snapshot costs from what the database's growth costs. Needs wrk (apt-get install wrk).
# usage: [SNAPSHOT=0] long-snapshot.sh [minutes=30] [connections=64]
set -euo pipefail
cd "$(dirname "$0")/../.."
MINUTES=${1:-30}
CONNECTIONS=${2:-64}
SNAPSHOT=${SNAPSHOT:-1}
DATA=${KONTAKT_BENCH_DATA:-/tmp/kontakt-long-snapshot}
PG_PORT=${KONTAKT_BENCH_PG_PORT:-55442}
API=http://127.0.0.1:${KONTAKT_BENCH_API_PORT:-5042}
SCRIPTS=$PWD/Kontakt.LoadTest/Scripts

dotnet build -c Release Kontakt.Api >/dev/null
rm -rf "$DATA"
mkdir -p "$DATA"
(cd Kontakt.Api/bin/Release/net10.0 && exec env DOTNET_gcServer=1 Kontakt__Embedded__DataDirectory="$DATA" Kontakt__Embedded__Port="$PG_PORT" \
  dotnet Kontakt.Api.dll --urls "$API" > "$DATA/api.log" 2>&1) &
api_pid=$!
snapshot_pid=
cleanup() {
  [ -n "$snapshot_pid" ] && kill "$snapshot_pid" 2>/dev/null
  kill -TERM "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null
  true
}
trap cleanup EXIT
for _ in $(seq 1 180); do curl -sf -m 2 "$API/health/ready" >/dev/null && break; sleep 1; done
curl -sf -m 2 "$API/health/ready" >/dev/null || { echo "the API did not become ready; see $DATA/api.log"; exit 1; }
export API_KEY=$(cat "$DATA/keys/ingest.key")
export PGPASSWORD=$(cat "$DATA/superuser.password")
psql_() { psql -h 127.0.0.1 -p "$PG_PORT" -U kontakt -d kontakt -qAt "$@"; }

echo "== warm-up, 60 s (not counted)"
RUN=warm wrk -t2 -c"$CONNECTIONS" -d60s -s "$SCRIPTS/post.lua" "$API" | grep "Requests/sec"

if [ "$SNAPSHOT" = 1 ]; then
  echo "== REPEATABLE READ snapshot opened and held for $((MINUTES + 1)) minutes"
  psql_ -c "BEGIN ISOLATION LEVEL REPEATABLE READ" -c "SELECT count(*) FROM public_store.patients" \
        -c "SELECT pg_sleep($(( (MINUTES + 1) * 60 )))" -c "COMMIT" > /dev/null &
  snapshot_pid=$!
  sleep 2
else
  echo "== control: no snapshot"
fi
# WAL bytes, full-page images, blocks read into shared_buffers, checkpoints, records stored: cumulative
# counters (records from the statistics, not count(*), whose scan would grow with the table it measures).
counters() { psql_ -F' ' -c "SELECT (SELECT wal_bytes FROM pg_stat_wal), (SELECT wal_fpi FROM pg_stat_wal),
  (SELECT blks_read FROM pg_stat_database WHERE datname = 'kontakt'),
  (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter),
  (SELECT n_tup_ins FROM pg_stat_user_tables WHERE relid = 'phi.records'::regclass)"; }
rates=()
read -r wal0 fpi0 read0 _ _ < <(counters)
for minute in $(seq 1 "$MINUTES"); do
  rate=$(RUN=m$minute wrk -t2 -c"$CONNECTIONS" -d60s -s "$SCRIPTS/post.lua" "$API" | awk '/Requests\/sec/ { print $2 }')
  rates+=("$rate")
  age=$(psql_ -c "SELECT coalesce(max(age(backend_xmin)), -1) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'")
  read -r wal fpi blocks checkpoints stored < <(counters)
  per=$(awk -v r="$rate" -v w=$((wal - wal0)) -v f=$((fpi - fpi0)) -v b=$((blocks - read0)) \
    'BEGIN { n = r * 60; printf "%.0f B WAL, %.2f full pages, %.2f blocks read per record", w / n, f / n, b / n }')
  wal0=$wal; fpi0=$fpi; read0=$blocks
  echo "minute $minute: $rate records/s; $per; $checkpoints checkpoints; $stored stored; load average $(cut -d' ' -f1-3 /proc/loadavg); snapshot xmin age $age"
done
printf '%s\n' "${rates[@]}" | awk -v n="$MINUTES" '
  { r[NR] = $1 }
  END {
    for (i = 1; i <= 5; i++) first += r[i];
    for (i = n - 4; i <= n; i++) last += r[i];
    printf "first 5 minutes: %.0f records/s; last 5 minutes: %.0f records/s; ratio %.3f (target >= 0.90)\n", first / 5, last / 5, last / first
  }'
echo "commit_log rows: $(psql_ -c "SELECT count(*) FROM public_store.commit_log"); dead rows of public_store.patients: $(psql_ -c "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relid = 'public_store.patients'::regclass")"
