#!/usr/bin/env bash
# Interleaved A/B of API builds, e.g. an older commit against main: for each round and each build, start that
# build's API (Release) on a freshly created database of the embedded cluster, warm it 8 s, then wrk
# POST /v1/records (post.lua: a new person per request, always with a color, valid for every build) at 512
# connections for D seconds. Prints records/s and the CPU time the API and PostgreSQL spent per record.
# Rounds alternate the order of the builds, so neither side always runs first.
#   git worktree add /tmp/kontakt-nov29 f43463a && (cd /tmp/kontakt-nov29 && dotnet build -c Release Kontakt.Api)
#   dotnet build -c Release Kontakt.Api
#   BUILDS="nov29:/tmp/kontakt-nov29:conn main:.:embedded" ROUNDS=5 bash Kontakt.LoadTest/Scripts/builds-ab.sh
# A build is name:directory:mode. embedded: the build runs as the service does on the embedded cluster (database
# kontakt, the ingest key from <data dir>/keys). conn: the build gets ConnectionStrings__Kontakt to the database
# kontakt_ab on the same cluster, as its superuser: for builds from before API keys (2026-12-02), which neither
# create nor ask for keys. Needs wrk and the embedded cluster initialized; the API must not be running.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}; D=${D:-20}
API_LOG=/tmp/kontakt-builds-ab-api.log
source Kontakt.LoadTest/Scripts/embedded-api.sh
start_postgres
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
postgres_ticks() { local total=0; for p in $(pgrep -u postgres); do total=$((total + $(ticks "$p"))); done; echo "$total"; }

# start_build DIRECTORY MODE: a fresh database, the build's API on it, ready and warm; exports API_KEY.
start_build() {
  local binaries=$1/Kontakt.Api/bin/Release/net10.0
  [ -f "$binaries/Kontakt.Api.dll" ] || { echo "no Release build in $1"; exit 1; }
  if [ "$2" = conn ]; then
    $PSQL -d postgres -c "DROP DATABASE IF EXISTS kontakt_ab"; sync
    (cd "$binaries" && nohup env ConnectionStrings__Kontakt="Host=127.0.0.1;Port=55432;Database=kontakt_ab;Username=kontakt;Password=$PGPASSWORD" \
      dotnet Kontakt.Api.dll --urls http://127.0.0.1:5000 > "$API_LOG" 2>&1 &)
  else
    $PSQL -d postgres -c "DROP DATABASE IF EXISTS kontakt"; sync
    (cd "$binaries" && nohup dotnet Kontakt.Api.dll --urls http://127.0.0.1:5000 > "$API_LOG" 2>&1 &)
  fi
  for _ in $(seq 1 120); do curl -sf -m 2 http://127.0.0.1:5000/health/ready >/dev/null && break; sleep 1; done
  curl -sf -m 2 http://127.0.0.1:5000/health/ready >/dev/null || { echo "the build in $1 did not become ready; see $API_LOG"; exit 1; }
  if [ "$2" = conn ]; then API_KEY=none; else API_KEY=$(cat "$DATA/keys/ingest.key"); fi
  export API_KEY
  RUN=warm$RANDOM wrk -t2 -c256 -d8s -s $SCRIPTS/post.lua http://127.0.0.1:5000 >/dev/null
}

read -ra builds <<< "${BUILDS:?BUILDS=\"name:directory:mode ...\" (see the top of this script)}"
for round in $(seq 1 "$ROUNDS"); do
  order=("${builds[@]}")
  [ $((round % 2)) = 0 ] && mapfile -t order < <(printf '%s\n' "${builds[@]}" | tac)
  for build in "${order[@]}"; do
    IFS=: read -r name directory mode <<< "$build"
    stop_api; start_build "$directory" "$mode"
    api=$(pgrep -f 'Kontakt.Api.dll --urls http://127.0.0.1:5000' | head -1)
    api0=$(ticks "$api"); pg0=$(postgres_ticks)
    out=$(RUN=ab$round$name$RANDOM wrk -t2 -c512 -d"${D}s" -s $SCRIPTS/post.lua http://127.0.0.1:5000)
    api1=$(ticks "$api"); pg1=$(postgres_ticks)
    requests=$(echo "$out" | awk '/requests in/ { print $1 }'); failed=$(echo "$out" | awk '/non2xx/ { print $NF }')
    awk -v name="$name" -v round="$round" -v n=$((requests - failed)) -v failed="$failed" -v a=$((api1 - api0)) \
        -v p=$((pg1 - pg0)) -v hz="$hz" -v d="$D" 'BEGIN {
      us = 1e6 / hz / n
      printf "round %d %s: %.0f records/s (%d not 2xx) | CPU per record: API %.1f us, PostgreSQL %.1f us\n", round, name, n / d, failed, a * us, p * us }'
  done
done
stop_api
