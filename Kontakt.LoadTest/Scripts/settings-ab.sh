#!/usr/bin/env bash
# Interleaved A/B of API settings: for each round and each variant, restart the API (Release build, embedded
# cluster) with that variant's environment, warm it up, then wrk POST /v1/records for 15 s under
# cpu-per-record.sh. Compare medians per variant; the database grows through the session, which the
# interleaving spreads over every variant alike.
#   settings-ab.sh ROUNDS "name:ENV=V[,ENV=V...]" ...     ("name:-" = no extra environment)
#   e.g. settings-ab.sh 3 "base:-" "writers1:Kontakt__Ingest__Writers=1"
# CONNS=256 (wrk connections). Needs wrk; the API must not be running on port 5000 already.
set -uo pipefail
cd "$(dirname "$0")/../.."
rounds=$1; shift

API_LOG=/tmp/kontakt-ab-api.log
WARMUP=12s
source Kontakt.LoadTest/Scripts/embedded-api.sh

for round in $(seq 1 "$rounds"); do
  for spec in "$@"; do
    name=${spec%%:*}; settings=${spec#*:}
    variables=()
    [ "$settings" != "-" ] && IFS=',' read -ra variables <<< "$settings"
    stop_api; start_api "${variables[@]}"
    line=$(RUN=ab$RANDOM bash $SCRIPTS/cpu-per-record.sh wrk -t2 -c"${CONNS:-256}" -d15s -s $SCRIPTS/post.lua http://127.0.0.1:5000 \
           | grep -E "committed|p50" | tr '\n' ' ')
    echo "round $round $name | $line"
  done
done
stop_api
