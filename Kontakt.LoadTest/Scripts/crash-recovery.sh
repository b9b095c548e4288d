#!/usr/bin/env bash
# Crash-recovery time of the embedded cluster (issue 15: what the checkpoint settings cost after a crash):
# prints the WAL written since the last checkpoint, stops PostgreSQL with -m immediate (as a crash would)
# and times its start, which replays that WAL. Stop the API first. KONTAKT_DATA=/var/lib/kontakt by default.
set -uo pipefail
DATA=${KONTAKT_DATA:-/var/lib/kontakt}
export PGPASSWORD=$(cat "$DATA/superuser.password")
P="psql -h 127.0.0.1 -p 55432 -U kontakt -qAt -d postgres"
PG=/usr/lib/postgresql/15/bin
echo "WAL since the last checkpoint: $($P -c "select pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), checkpoint_lsn)) from pg_control_checkpoint()")"
runuser -u postgres -- $PG/pg_ctl stop -D "$DATA/pgdata" -m immediate >/dev/null
t0=$(date +%s.%N)
runuser -u postgres -- $PG/pg_ctl start -D "$DATA/pgdata" -l "$DATA/postgres.log" -w -t 600 -o "-p 55432 -k $DATA/run -c listen_addresses=127.0.0.1" >/dev/null
t1=$(date +%s.%N)
echo "start after an immediate stop (crash recovery) took $(echo "$t1 - $t0" | bc) s"
grep -E "redo (starts|done)" "$DATA/postgres.log" | tail -2
