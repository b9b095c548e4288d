#!/usr/bin/env bash
# PostgreSQL CPU per batch transaction at batch sizes 1, 10, 100 and 1,000 (one writer, no HTTP: the
# service's own PostgresBatchWriter through `baseline-db`), every record a new person. The cost of a batch
# of 1 is the fixed cost of a transaction; the slope between 100 and 1,000 is the cost of one more record.
# CPU is that of every process of the postgres user, including exited backends (the postmaster's
# reaped children). Uses a scratch database `kontakt_batch_cost` on the embedded cluster (port 55432).
#   ROUNDS=2 bash Kontakt.LoadTest/Scripts/batch-cost.sh
# Optional:
#   SIZES="100 1000"          the batch sizes (default 1 10 100 1000)
#   RETURNING=1               after each run, send the same people again under new recordIds (the same seed):
#                             the cost of returning people (10% of them with a changed color)
#   BUILDS="a:/tmp/lt-a b:."  interleaved A/B of builds: label:directory holding Kontakt.LoadTest.dll
#                             (a copy of Kontakt.LoadTest/bin/Release/net10.0); "." is the current build
set -uo pipefail
cd "$(dirname "$0")/../.."
DATA=${KONTAKT_DATA:-/var/lib/kontakt}
export PGPASSWORD=$(cat "$DATA/superuser.password")
PSQL="psql -h 127.0.0.1 -p 55432 -U kontakt -qAt -d postgres"
DB="Host=127.0.0.1;Port=55432;Username=kontakt;Password=$PGPASSWORD;Database=kontakt_batch_cost"
postgres_ticks() {
  local total=0
  for p in $(pgrep -u postgres); do total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done
  echo $((total + $(awk '{print $16 + $17}' "/proc/$(head -1 "$DATA/pgdata/postmaster.pid")/stat")))
}
# measure <label> <dll> <people> <size> <records> <seed>: one baseline-db run and its PostgreSQL CPU.
measure() {
  local before after rate
  before=$(postgres_ticks)
  rate=$(dotnet "$2" baseline-db --db "$DB" --records "$5" --batch-size "$4" --writers 1 --seed "$6" | grep -o '[0-9,]* records/s$')
  after=$(postgres_ticks)
  awk -v t=$((after - before)) -v hz="$hz" -v n="$5" -v s="$4" -v rate="$rate" -v label="$1" -v people="$3" -v round="$round" 'BEGIN {
    printf "round %d, %s%s people, batch %5d: %s | PostgreSQL CPU per batch %6.0f us, per record %5.1f us\n",
      round, label, people, s, rate, t * 1e6 / hz / (n / s), t * 1e6 / hz / n }'
}
$PSQL -c "DROP DATABASE IF EXISTS kontakt_batch_cost" -c "CREATE DATABASE kontakt_batch_cost"
hz=$(getconf CLK_TCK); seed=100
for round in $(seq 1 "${ROUNDS:-2}"); do
  for size in ${SIZES:-1 10 100 1000}; do
    records=$((size * 1500)); [ $records -gt 200000 ] && records=200000
    for build in ${BUILDS:-:.}; do
      label=${build%%:*}; dir=${build#*:}
      [ "$dir" = . ] && dir=Kontakt.LoadTest/bin/Release/net10.0
      [ -n "$label" ] && label="$label, "
      seed=$((seed + 1))
      measure "$label" "$dir/Kontakt.LoadTest.dll" new "$size" "$records" "$seed"
      [ "${RETURNING:-0}" = 1 ] && measure "$label" "$dir/Kontakt.LoadTest.dll" returning "$size" "$records" "$seed"
    done
  done
done
$PSQL -c "DROP DATABASE kontakt_batch_cost"
