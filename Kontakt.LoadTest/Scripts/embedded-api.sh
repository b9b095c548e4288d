# Sourced, not run: the API and cluster handling shared by the benchmark sessions that drive the API
# (Release build, http://127.0.0.1:5000) on the embedded cluster (port 55432) — run-benchmarks.sh,
# kontakt-1m-session.sh, batch-path.sh, settings-ab.sh, writeback-ab.sh. The caller runs from the repository
# root and sets API_LOG (where the API's output goes); WARMUP (default 5s) is how long start_api warms a
# freshly started API with wrk before any figure is taken. Defines for the caller: DATA (the cluster's data
# directory, $KONTAKT_DATA or /var/lib/kontakt), SCRIPTS, LT (the Release load generator), PSQL (superuser
# psql on the cluster, PGPASSWORD exported), PG_CTL and build_release.
DATA=${KONTAKT_DATA:-/var/lib/kontakt}
SCRIPTS=Kontakt.LoadTest/Scripts
LT="dotnet Kontakt.LoadTest/bin/Release/net10.0/Kontakt.LoadTest.dll"
PSQL="psql -h 127.0.0.1 -p 55432 -U kontakt -qAt"
PG_CTL=/usr/lib/postgresql/15/bin/pg_ctl
PGPASSWORD=$(cat "$DATA/superuser.password"); export PGPASSWORD

# Builds the API and the load generator in Release, or ends the script.
build_release() {
  for project in Kontakt.Api Kontakt.LoadTest; do
    dotnet build -c Release "$project" >/dev/null || { echo "build of $project failed"; exit 1; }
  done
}

# start_postgres [SETTING=VALUE ...]: starts the cluster as the API would, with those server settings more, if it
# is not running (an API started later adopts it); ends the script if it does not start.
start_postgres() {
  local settings=""
  for setting in "$@"; do settings+=" -c $setting"; done
  runuser -u postgres -- $PG_CTL status -D "$DATA/pgdata" >/dev/null ||
    runuser -u postgres -- $PG_CTL start -D "$DATA/pgdata" -l "$DATA/postgres.log" -w -t 120 \
      -o "-p 55432 -k $DATA/run -c listen_addresses=127.0.0.1$settings" >/dev/null ||
    { echo "the embedded cluster did not start${settings:+ with$settings}; see $DATA/postgres.log"; exit 1; }
}

stop_postgres() { runuser -u postgres -- $PG_CTL stop -D "$DATA/pgdata" -m fast -w >/dev/null; }

# start_api [ENV=VALUE ...]: starts the API with that extra environment, waits until it is ready (or ends the
# script), exports API_KEY (the ingest key: a fresh database gets new keys) for wrk's post.lua, and warms it up.
start_api() {
  (cd Kontakt.Api/bin/Release/net10.0 && nohup env "$@" dotnet Kontakt.Api.dll --urls http://127.0.0.1:5000 > "$API_LOG" 2>&1 &)
  for _ in $(seq 1 120); do curl -sf -m 2 http://127.0.0.1:5000/health/ready >/dev/null && break; sleep 1; done
  curl -sf -m 2 http://127.0.0.1:5000/health/ready >/dev/null || { echo "the API did not become ready; see $API_LOG"; exit 1; }
  API_KEY=$(cat "$DATA/keys/ingest.key"); export API_KEY
  # JIT warm-up of a freshly started API is not part of any figure.
  RUN=warm$RANDOM wrk -t2 -c256 -d"${WARMUP:-5s}" -s Kontakt.LoadTest/Scripts/post.lua http://127.0.0.1:5000 >/dev/null
}

stop_api() { pkill -TERM -f "Kontakt.Api.dll --urls http://127.0.0.1:5000" || true; sleep 4; }

# The median of the numbers on standard input, one per line.
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
