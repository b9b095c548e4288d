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
API_DIR=Kontakt.Api/bin/Release/net10.0
DATA=${KONTAKT_DATA:-/var/lib/kontakt}
SCRIPTS=Kontakt.LoadTest/Scripts

start_api() { (cd "$API_DIR" && nohup env "$@" dotnet Kontakt.Api.dll --urls http://127.0.0.1:5000 > /tmp/kontakt-ab-api.log 2>&1 &)
              for _ in $(seq 1 120); do curl -sf -m 2 http://127.0.0.1:5000/health/ready >/dev/null && break; sleep 1; done
              # The key files exist once the API has started on its database (a fresh one writes new keys).
              API_KEY=$(cat "$DATA/keys/ingest.key"); export API_KEY
              RUN=warm$RANDOM wrk -t2 -c256 -d12s -s $SCRIPTS/post.lua http://127.0.0.1:5000 >/dev/null; }
stop_api()  { pkill -TERM -f "Kontakt.Api.dll --urls http://127.0.0.1:5000" || true; sleep 3; }

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
