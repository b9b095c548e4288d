#!/usr/bin/env bash
# Does ingest slow down as the database grows? (issue 15: single-record throughput with >= 5M records
# stored >= 90% of a fresh database's; docs/benchmarks.md, "Efficiency"). Measured at saturation and
# interleaved, so the host's drift cancels: two APIs run side by side, one on a large embedded cluster
# (LARGE_DATA, e.g. the one long-snapshot.sh leaves behind with 9-13M records), one on a fresh cluster
# created here with the same defaults; ROUNDS rounds (default 3) each drive wrk (post.lua, 201, a new
# person per request, 256 connections) for 30 s at the fresh one, then 30 s at the large one. Prints each
# round, the records stored on each side and the median ratio large / fresh. Stops both APIs at the end
# (and with them the clusters they started); the large cluster keeps the records this adds.
#   bash Kontakt.LoadTest/Scripts/size-ab.sh /tmp/kontakt-long-snapshot 55442
set -euo pipefail
cd "$(dirname "$0")/../.."
LARGE_DATA=${1:?usage: size-ab.sh <large data directory> <its port>}
LARGE_PORT=${2:?usage: size-ab.sh <large data directory> <its port>}
ROUNDS=${ROUNDS:-3}
FRESH_DATA=${FRESH_DATA:-/tmp/kontakt-size-ab-fresh}
FRESH_PORT=55443
POST=$PWD/Kontakt.LoadTest/Scripts/post.lua
dotnet build -c Release Kontakt.Api >/dev/null
rm -rf "$FRESH_DATA"
mkdir -p "$FRESH_DATA"

pids=()
cleanup() { for pid in "${pids[@]}"; do if kill -TERM "$pid" 2>/dev/null; then wait "$pid" 2>/dev/null || true; fi; done; }
trap cleanup EXIT
# start_api <data dir> <pg port> <http port> <mllp port>
start_api() {
  if curl -s -m 2 -o /dev/null "http://127.0.0.1:$3/health/live"; then echo "something already answers on port $3: stop it first"; exit 1; fi
  (cd Kontakt.Api/bin/Release/net10.0 && exec env DOTNET_gcServer=1 Kontakt__Embedded__DataDirectory="$1" Kontakt__Embedded__Port="$2" \
    Kontakt__Hl7__MllpPort="$4" dotnet Kontakt.Api.dll --urls "http://127.0.0.1:$3" > "$1/size-ab-api.log" 2>&1) &
  pids+=($!)
  for _ in $(seq 1 180); do curl -sf -m 2 "http://127.0.0.1:$3/health/ready" >/dev/null && return; sleep 1; done
  echo "the API on $1 did not become ready; see $1/size-ab-api.log"; exit 1
}
start_api "$FRESH_DATA" "$FRESH_PORT" 5043 2576
start_api "$LARGE_DATA" "$LARGE_PORT" 5042 2577
stored() { PGPASSWORD=$(cat "$1/superuser.password") psql -h 127.0.0.1 -p "$2" -U kontakt -d kontakt -qAt \
  -c "SELECT n_live_tup FROM pg_stat_user_tables WHERE relid = 'phi.records'::regclass"; }
settings() { PGPASSWORD=$(cat "$1/superuser.password") psql -h 127.0.0.1 -p "$2" -U kontakt -d kontakt -qAt -c "SHOW shared_buffers"; }
drive() { RUN=$3$RANDOM API_KEY=$(cat "$1/keys/ingest.key") wrk -t2 -c256 -d"$4" -s "$POST" "http://127.0.0.1:$2" | awk '/Requests\/sec/ { print $2 }'; }

echo "fresh: $(stored "$FRESH_DATA" "$FRESH_PORT") records, shared_buffers $(settings "$FRESH_DATA" "$FRESH_PORT"); large: $(stored "$LARGE_DATA" "$LARGE_PORT") records, shared_buffers $(settings "$LARGE_DATA" "$LARGE_PORT")"
echo "warm-up (not counted): fresh $(drive "$FRESH_DATA" 5043 warmf 20s)/s, large $(drive "$LARGE_DATA" 5042 warml 40s)/s"
ratios=()
for round in $(seq 1 "$ROUNDS"); do
  fresh=$(drive "$FRESH_DATA" 5043 f$round 30s)
  large=$(drive "$LARGE_DATA" 5042 l$round 30s)
  ratio=$(awk -v l="$large" -v f="$fresh" 'BEGIN { printf "%.3f", l / f }')
  echo "round $round: fresh $fresh records/s, large $large records/s, large / fresh $ratio"
  ratios+=("$ratio")
done
echo "after: fresh $(stored "$FRESH_DATA" "$FRESH_PORT") records, large $(stored "$LARGE_DATA" "$LARGE_PORT") records"
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "median large / fresh: %s (target >= 0.90)\n", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
