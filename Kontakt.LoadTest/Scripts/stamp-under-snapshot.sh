#!/usr/bin/env bash
# The commit stamp alone, the old way (one row updated per batch, public_store.commit_clock) against the
# new one (a row appended per batch, public_store.commit_log), while a REPEATABLE READ snapshot is held
# open (docs/benchmarks.md, "Long snapshot"). pgbench runs each stamp transaction (lock, stamp, read the
# stamp, commit) from 2 clients in slices of SLICE seconds; the first slice runs before the snapshot is
# opened. A throwaway cluster of its own (fsync off: the stamp's CPU cost is what is measured); run as root.
# usage: stamp-under-snapshot.sh [slices=6] [slice seconds=20]
set -euo pipefail
SLICES=${1:-6}
SLICE=${2:-20}
BIN=/usr/lib/postgresql/15/bin
DIR=$(mktemp -d /tmp/stamp-under-snapshot.XXXXXX)
PORT=${STAMP_BENCH_PORT:-55452}
chown postgres "$DIR"
runuser -u postgres -- "$BIN/initdb" -D "$DIR/data" -A trust >/dev/null
runuser -u postgres -- "$BIN/pg_ctl" start -D "$DIR/data" -l "$DIR/log" -w \
  -o "-p $PORT -k $DIR -c listen_addresses='' -c fsync=off -c synchronous_commit=off" >/dev/null
snapshot_pid=
cleanup() {
  [ -n "$snapshot_pid" ] && kill "$snapshot_pid" 2>/dev/null
  runuser -u postgres -- "$BIN/pg_ctl" stop -D "$DIR/data" -m fast >/dev/null
  rm -rf "$DIR"
}
trap cleanup EXIT
psql_() { psql -h "$DIR" -p "$PORT" -U postgres -qAt "$@"; }
psql_ -c "CREATE TABLE commit_clock (id int PRIMARY KEY, last_commit timestamptz NOT NULL)" \
      -c "INSERT INTO commit_clock VALUES (1, 'epoch')" \
      -c "CREATE TABLE commit_log (committed_at timestamptz PRIMARY KEY)" \
      -c "INSERT INTO commit_log VALUES ('epoch')"
cat > "$DIR/clock.sql" <<'SQL'
BEGIN;
SELECT pg_advisory_xact_lock(1);
UPDATE commit_clock SET last_commit = greatest(clock_timestamp(), last_commit + interval '1 microsecond') WHERE id = 1;
SELECT last_commit FROM commit_clock WHERE id = 1;
COMMIT;
SQL
cat > "$DIR/log.sql" <<'SQL'
BEGIN;
SELECT pg_advisory_xact_lock(1);
INSERT INTO commit_log SELECT greatest(clock_timestamp(), (SELECT max(committed_at) FROM commit_log) + interval '1 microsecond');
SELECT max(committed_at) FROM commit_log;
COMMIT;
SQL
for variant in clock log; do
  psql_ -c "VACUUM commit_clock" -c "VACUUM commit_log"
  for slice in $(seq 0 "$SLICES"); do
    if [ "$slice" = 1 ]; then
      psql_ -c "BEGIN ISOLATION LEVEL REPEATABLE READ" -c "SELECT count(*) FROM commit_log" -c "SELECT pg_sleep(3600)" -c "COMMIT" >/dev/null &
      snapshot_pid=$!
      sleep 1
    fi
    tps=$(runuser -u postgres -- "$BIN/pgbench" -h "$DIR" -p "$PORT" -n -c 2 -j 2 -T "$SLICE" -f "$DIR/$variant.sql" postgres 2>/dev/null | awk '/^tps/ { printf "%.0f", $3 }')
    label=$([ "$slice" = 0 ] && echo "no snapshot" || echo "snapshot held $((slice * SLICE)) s")
    echo "$variant: slice $slice ($label): $tps stamps/s; load average $(cut -d' ' -f1 /proc/loadavg)"
  done
  kill "$snapshot_pid" 2>/dev/null; wait "$snapshot_pid" 2>/dev/null || true; snapshot_pid=
done
