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
# LOAD=open drives an open model instead: the warm-up (wrk, 256 connections) measures the capacity, then
# each minute Kontakt.LoadTest sends FRACTION (default 0.6) of it at fixed intended times (raw client, a new
# person per record, latency from the intended send time); each minute then also shows p50/p99. A closed
# loop's rate follows the host's speed from minute to minute; an offered rate stays put unless the service
# can no longer keep up with it, which is what a degrading snapshot would do.
# usage: [SNAPSHOT=0] [LOAD=open [FRACTION=0.6]] long-snapshot.sh [minutes=30] [connections=64]
set -euo pipefail
cd "$(dirname "$0")/../.."
MINUTES=${1:-30}
CONNECTIONS=${2:-64}
SNAPSHOT=${SNAPSHOT:-1}
LOAD=${LOAD:-closed}
FRACTION=${FRACTION:-0.6}
DATA=${KONTAKT_BENCH_DATA:-/tmp/kontakt-long-snapshot}
PG_PORT=${KONTAKT_BENCH_PG_PORT:-55442}
API=http://127.0.0.1:${KONTAKT_BENCH_API_PORT:-5042}
SCRIPTS=$PWD/Kontakt.LoadTest/Scripts

dotnet build -c Release Kontakt.Api >/dev/null
[ "$LOAD" = open ] && dotnet build -c Release Kontakt.LoadTest >/dev/null
LOADTEST=$PWD/Kontakt.LoadTest/bin/Release/net10.0/Kontakt.LoadTest.dll
rm -rf "$DATA"
mkdir -p "$DATA"
(cd Kontakt.Api/bin/Release/net10.0 && exec env DOTNET_gcServer=1 Kontakt__Embedded__DataDirectory="$DATA" Kontakt__Embedded__Port="$PG_PORT" \
  dotnet Kontakt.Api.dll --urls "$API" > "$DATA/api.log" 2>&1) &
api_pid=$!
snapshot_pid=
# if, not &&: under set -e a failing last command of an && list (the snapshot's psql already gone)
# would end the trap before the API is stopped.
cleanup() {
  if [ -n "$snapshot_pid" ]; then kill "$snapshot_pid" 2>/dev/null || true; fi
  if kill -TERM "$api_pid" 2>/dev/null; then wait "$api_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT
for _ in $(seq 1 180); do curl -sf -m 2 "$API/health/ready" >/dev/null && break; sleep 1; done
curl -sf -m 2 "$API/health/ready" >/dev/null || { echo "the API did not become ready; see $DATA/api.log"; exit 1; }
export API_KEY=$(cat "$DATA/keys/ingest.key")
export PGPASSWORD=$(cat "$DATA/superuser.password")
psql_() { psql -h 127.0.0.1 -p "$PG_PORT" -U kontakt -d kontakt -qAt "$@"; }
echo "shared_buffers $(psql_ -c "SHOW shared_buffers")"

if [ "$LOAD" = open ]; then
  echo "== warm-up and capacity, 60 s at 256 connections, closed loop (not counted)"
  capacity=$(RUN=warm wrk -t2 -c256 -d60s -s "$SCRIPTS/post.lua" "$API" | awk '/Requests\/sec/ { print $2 }')
  rate=$(awk -v c="$capacity" -v f="$FRACTION" 'BEGIN { printf "%d", c * f }')
  echo "capacity $capacity records/s; offered from here on: $rate records/s ($FRACTION of it)"
else
  echo "== warm-up, 60 s (not counted)"
  RUN=warm wrk -t2 -c"$CONNECTIONS" -d60s -s "$SCRIPTS/post.lua" "$API" | grep "Requests/sec"
fi

if [ "$SNAPSHOT" = 1 ]; then
  # Held until every minute has run (a minute of the open model takes a few seconds more than 60): ended below.
  echo "== REPEATABLE READ snapshot opened and held until the last minute ends"
  psql_ -c "BEGIN ISOLATION LEVEL REPEATABLE READ" -c "SELECT count(*) FROM public_store.patients" \
        -c "SELECT pg_sleep($(( MINUTES * 120 )))" -c "COMMIT" > /dev/null 2>&1 &
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
  if [ "$LOAD" = open ]; then
    dotnet "$LOADTEST" --target "$API" --api-key "$API_KEY" --mode single --client raw --rate "$rate" --records $((rate * 60)) \
      --concurrency 512 --returning 0 --seed "$minute" --warmup 1 --skip-verify --no-live --report-dir "$DATA/reports/m$minute" > /dev/null
    read -r done p50 p99 failed < <(python3 -c 'import json,sys; r = json.load(open(sys.argv[1]))["results"]
print("%.0f %.1f %.1f %d" % (r["recordsPerSecond"], r["latency"]["p50Ms"], r["latency"]["p99Ms"], r["failedRecords"]))' "$DATA/reports/m$minute/report.json")
    rates+=("$done")
    latency="p50 $p50 ms, p99 $p99 ms, $failed failed; "
  else
    done=$(RUN=m$minute wrk -t2 -c"$CONNECTIONS" -d60s -s "$SCRIPTS/post.lua" "$API" | awk '/Requests\/sec/ { print $2 }')
    rates+=("$done")
    latency=
  fi
  age=$(psql_ -c "SELECT coalesce(max(age(backend_xmin)), -1) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'")
  read -r wal fpi blocks checkpoints stored < <(counters)
  per=$(awk -v r="$done" -v w=$((wal - wal0)) -v f=$((fpi - fpi0)) -v b=$((blocks - read0)) \
    'BEGIN { n = r * 60; printf "%.0f B WAL, %.2f full pages, %.2f blocks read per record", w / n, f / n, b / n }')
  wal0=$wal; fpi0=$fpi; read0=$blocks
  echo "minute $minute: $done records/s; $latency$per; $checkpoints checkpoints; $stored stored; load average $(cut -d' ' -f1-3 /proc/loadavg); snapshot xmin age $age"
done
[ "$SNAPSHOT" = 1 ] && psql_ -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'" > /dev/null
printf '%s\n' "${rates[@]}" | awk -v n="$MINUTES" '
  { r[NR] = $1 }
  END {
    w = n < 10 ? int(n / 2) : 5;
    if (w < 1) { print "too short for a first/last comparison"; exit }
    for (i = 1; i <= w; i++) first += r[i];
    for (i = n - w + 1; i <= n; i++) last += r[i];
    printf "first %d minutes: %.0f records/s; last %d: %.0f records/s; ratio %.3f (target >= 0.90)\n", w, first / w, w, last / w, last / first
  }'
echo "commit_log rows: $(psql_ -c "SELECT count(*) FROM public_store.commit_log"); dead rows of public_store.patients: $(psql_ -c "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relid = 'public_store.patients'::regclass")"
