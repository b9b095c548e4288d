#!/usr/bin/env bash
# The import benchmark of docs/benchmarks.md ("Bulk import jobs"): a 1,000,000-line CSV import job
# against the database ceiling (baseline-db, same batch size and writers as the service's defaults),
# in one session, RUNS runs each, each on a freshly created database. Runs on a throwaway PostgreSQL
# cluster of its own (port 55499, removed at the end), so it disturbs no other cluster on the host.
# Needs: curl, jq, PostgreSQL 15 binaries. Run as root (the cluster runs as the postgres user).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-3}
LINES=${LINES:-1000000}
PORT=55499
API=http://127.0.0.1:5099
WORK=$(mktemp -d /tmp/kontakt-import-bench.XXXXXX)
PG=/usr/lib/postgresql/15/bin
chown postgres "$WORK"
for project in Kontakt.Api Kontakt.LoadTest; do dotnet build -c Release "$project" >/dev/null; done
LT="dotnet Kontakt.LoadTest/bin/Release/net10.0/Kontakt.LoadTest.dll"
API_DIR=$PWD/Kontakt.Api/bin/Release/net10.0

runuser -u postgres -- $PG/initdb -D "$WORK/pgdata" -U kontakt --auth=trust >/dev/null
runuser -u postgres -- $PG/pg_ctl start -D "$WORK/pgdata" -l "$WORK/postgres.log" -w \
  -o "-p $PORT -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=200" >/dev/null
API_PID=
cleanup() { [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null || true
            runuser -u postgres -- $PG/pg_ctl stop -D "$WORK/pgdata" -m fast >/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
PSQL="psql -h 127.0.0.1 -p $PORT -U kontakt -qAt -d postgres"
CONN="Host=127.0.0.1;Port=$PORT;Username=kontakt"

echo "== database ceiling: $LINES records, 5,000 per batch, 2 writers (the service's defaults), fresh database each run"
for run in $(seq 1 "$RUNS"); do
  $PSQL -c "DROP DATABASE IF EXISTS ceiling" -c "CREATE DATABASE ceiling"
  $LT baseline-db --db "$CONN;Database=ceiling" --records "$LINES" --batch-size 5000 --writers 2
done

echo "== the file: $LINES lines of name,dob,favoriteColor (every line a new person)"
awk -v n="$LINES" 'BEGIN { srand(7); split("red,sky blue,teal,#a1b2c3,olive,navy,,salmon", colors, ",");
  print "name,dob,favoriteColor";
  for (i = 0; i < n; i++) printf "Person%d Import%d Family%d,%04d-%02d-%02d,%s\n", i, int(rand()*1e6), int(rand()*1e6), 1930 + i % 90, 1 + i % 12, 1 + i % 28, colors[1 + i % 8] }' > "$WORK/people.csv"
ls -l "$WORK/people.csv" | awk '{ printf "%.1f MB\n", $5 / 1e6 }'

echo "== import jobs: POST /v1/imports, then GET until completed; rate = lines / (finishedAt - startedAt)"
for run in $(seq 1 "$RUNS"); do
  $PSQL -c "DROP DATABASE IF EXISTS kontakt" -c "CREATE DATABASE kontakt"
  KEY=$(cd "$API_DIR" && ConnectionStrings__Kontakt="$CONN;Database=kontakt" dotnet Kontakt.Api.dll keys create --name bench --role ingest 2>/dev/null | grep -o 'kontakt_[A-Za-z0-9_-]*' | head -1)
  (cd "$API_DIR" && exec env ConnectionStrings__Kontakt="$CONN;Database=kontakt" dotnet Kontakt.Api.dll --urls $API > "$WORK/api.log" 2>&1) &
  API_PID=$!
  for _ in $(seq 1 120); do curl -sf -m 2 $API/health/ready >/dev/null && break; sleep 1; done
  APID=$(pgrep -f "Kontakt.Api.dll --urls $API" | head -1)
  upload_start=$(date +%s.%N)
  LOCATION=$(curl -sf -D - -o /dev/null -H "X-Api-Key: $KEY" -H "Content-Type: text/csv" --data-binary @"$WORK/people.csv" $API/v1/imports | tr -d '\r' | awk '/^Location:/ { print $2 }')
  upload_end=$(date +%s.%N)
  rss_min=999999; rss_max=0
  while :; do
    JOB=$(curl -sf -H "X-Api-Key: $KEY" "$API$LOCATION")
    rss=$(( $(awk '/VmRSS/ { print $2 }' /proc/$APID/status) / 1024 ))
    [ "$rss" -lt "$rss_min" ] && rss_min=$rss; [ "$rss" -gt "$rss_max" ] && rss_max=$rss
    [ "$(echo "$JOB" | jq -r .status)" = running ] || [ "$(echo "$JOB" | jq -r .status)" = queued ] || break
    sleep 1
  done
  started=$(date -d "$(echo "$JOB" | jq -r .startedAt)" +%s.%N); finished=$(date -d "$(echo "$JOB" | jq -r .finishedAt)" +%s.%N)
  seconds=$(echo "$finished - $started" | bc)
  echo "Import job: $(echo "$JOB" | jq -r '"\(.status), \(.stored) stored, \(.rejected) rejected"'); upload $(printf %.1f "$(echo "$upload_end - $upload_start" | bc)") s;" \
       "job $(printf %.2f "$seconds") s = $(printf %.0f "$(echo "$(echo "$JOB" | jq .stored) / $seconds" | bc -l)") records/s;" \
       "API RSS during the job ${rss_min}–${rss_max} MiB (peak $(( $(awk '/VmHWM/ { print $2 }' /proc/$APID/status) / 1024 )) MiB)"
  kill "$API_PID"; wait "$API_PID" 2>/dev/null || true; API_PID=
done
