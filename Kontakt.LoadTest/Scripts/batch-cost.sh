#!/usr/bin/env bash
# PostgreSQL CPU per batch transaction at batch sizes 1, 10, 100 and 1,000 (one writer, no HTTP: the
# service's own PostgresBatchWriter through `baseline-db`), every record a new person. The cost of a batch
# of 1 is the fixed cost of a transaction; the slope between 100 and 1,000 is the cost of one more record.
# CPU is that of every process of the postgres user, including exited backends (the postmaster's
# reaped children). Uses a scratch database `kontakt_batch_cost` on the embedded cluster (port 55432).
#   ROUNDS=2 bash Kontakt.LoadTest/Scripts/batch-cost.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
DATA=${KONTAKT_DATA:-/var/lib/kontakt}
export PGPASSWORD=$(cat "$DATA/superuser.password")
PSQL="psql -h 127.0.0.1 -p 55432 -U kontakt -qAt -d postgres"
LT="dotnet Kontakt.LoadTest/bin/Release/net10.0/Kontakt.LoadTest.dll"
DB="Host=127.0.0.1;Port=55432;Username=kontakt;Password=$PGPASSWORD;Database=kontakt_batch_cost"
postgres_ticks() {
  local total=0
  for p in $(pgrep -u postgres); do total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done
  echo $((total + $(awk '{print $16 + $17}' "/proc/$(head -1 "$DATA/pgdata/postmaster.pid")/stat")))
}
$PSQL -c "DROP DATABASE IF EXISTS kontakt_batch_cost" -c "CREATE DATABASE kontakt_batch_cost"
hz=$(getconf CLK_TCK); seed=100
for round in $(seq 1 "${ROUNDS:-2}"); do
  for size in 1 10 100 1000; do
    records=$((size * 1500)); [ $records -gt 200000 ] && records=200000
    seed=$((seed + 1)); before=$(postgres_ticks)
    rate=$($LT baseline-db --db "$DB" --records $records --batch-size $size --writers 1 --seed $seed | grep -o '[0-9,]* records/s$')
    after=$(postgres_ticks)
    awk -v t=$((after - before)) -v hz="$hz" -v n="$records" -v s="$size" -v rate="$rate" 'BEGIN {
      printf "round %d, batch %5d: %s | PostgreSQL CPU per batch %6.0f us, per record %5.1f us\n", '"$round"', s, rate, t * 1e6 / hz / (n / s), t * 1e6 / hz / n }'
  done
done
$PSQL -c "DROP DATABASE kontakt_batch_cost"
