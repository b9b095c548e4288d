#!/usr/bin/env bash
# POST latency with unread exports attached (issue 11, item 6: exports have a connection pool of their own,
# so slow downloads cannot starve the writers). Interleaved, ROUNDS times: wrk POST /v1/records (201) for 15 s
# with no export running; then while EXPORTS snapshot downloads (clients reading 1 kB/s) start; then once
# every one of them is attached and blocked sending (PostgreSQL wait event ClientWrite).
# Starts its own API (Release build, embedded cluster in /var/lib/kontakt, Kontakt:Snapshots:MaxConcurrent
# = EXPORTS so every download is attached, not refused with 429); the database should already hold data
# (e.g. after kontakt-1m), so that an export has something to stream for minutes.
#   EXPORTS=12 ROUNDS=3 bash Kontakt.LoadTest/Scripts/exports-attached.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
EXPORTS=${EXPORTS:-12}
ROUNDS=${ROUNDS:-3}
DATA=${KONTAKT_DATA:-/var/lib/kontakt}
API=http://127.0.0.1:5000
SCRIPTS=Kontakt.LoadTest/Scripts

(cd Kontakt.Api/bin/Release/net10.0 && nohup env Kontakt__Snapshots__MaxConcurrent="$EXPORTS" \
  dotnet Kontakt.Api.dll --urls "$API" > /tmp/kontakt-exports-api.log 2>&1 &)
for _ in $(seq 1 120); do curl -sf -m 2 "$API/health/ready" >/dev/null && break; sleep 1; done
API_KEY=$(cat "$DATA/keys/ingest.key"); export API_KEY
analyst=$(cat "$DATA/keys/analyst.key")
RUN=warm$RANDOM wrk -t2 -c64 -d10s -s $SCRIPTS/post.lua "$API" >/dev/null

measure() { RUN="$1$RANDOM" wrk -t2 -c64 -d15s -s $SCRIPTS/post.lua "$API" | grep -E "Requests/sec|p50" | tr '\n' ' '; echo; }
# The exports' PostgreSQL sessions (their query text names valid_at), this psql excluded: how many are open,
# and how many are blocked sending rows (ClientWrite), i.e. done with their start-up scan and sort.
export_sessions() { PGPASSWORD=$(cat "$DATA/superuser.password") psql -h 127.0.0.1 -p 55432 -U kontakt -d kontakt -qAt -F/ -c \
    "SELECT count(*), count(*) FILTER (WHERE wait_event = 'ClientWrite') FROM pg_stat_activity
     WHERE backend_type = 'client backend' AND query LIKE '%valid_at%' AND state <> 'idle' AND pid <> pg_backend_pid()"; }
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round, no export: $(measure none)"
  pids=()
  for _ in $(seq 1 "$EXPORTS"); do
    curl -s --limit-rate 1k -H "X-Api-Key: $analyst" -o /dev/null "$API/v1/snapshots/public" & pids+=($!)
  done
  sleep 1
  # First while the exports start: each one scans and sorts the whole public store before its first row.
  echo "round $round, $EXPORTS exports starting (open/sending $(export_sessions)): $(measure starting)"
  for _ in $(seq 1 60); do [ "$(export_sessions)" = "$EXPORTS/$EXPORTS" ] && break; sleep 1; done
  echo "round $round, $EXPORTS exports attached and unread (open/sending $(export_sessions)): $(measure attached)"
  kill "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null
  sleep 3
done
pkill -TERM -f "Kontakt.Api.dll --urls $API" || true
