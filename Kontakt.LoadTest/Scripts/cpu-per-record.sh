#!/usr/bin/env bash
# CPU time per committed record, split by process, for one load command:
#   cpu-per-record.sh <command ...>      e.g. cpu-per-record.sh wrk -t2 -c512 -d15s -s post.lua http://127.0.0.1:5000
# Reads utime+stime of the API (Kontakt.Api.dll), of every process of the postgres user and of the
# command itself, and kontakt_records_committed_total from /metrics, before and after.
set -uo pipefail
metrics=${KONTAKT_METRICS:-http://127.0.0.1:5000/metrics}
hz=$(getconf CLK_TCK)
api=$(pgrep -f 'Kontakt.Api.dll' | head -1)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
postgres_ticks() { local total=0; for p in $(pgrep -u postgres); do total=$((total + $(ticks "$p"))); done; echo "$total"; }
committed() { curl -s "$metrics" | awk '/^kontakt_records_committed_total/ {print $2}'; }

api0=$(ticks "$api"); pg0=$(postgres_ticks); c0=$(committed); t0=$(date +%s.%N)
times=$(mktemp)
/usr/bin/time -f "%U %S" -o "$times" "$@"
t1=$(date +%s.%N); api1=$(ticks "$api"); pg1=$(postgres_ticks); c1=$(committed)
read -r user sys < <(grep -E '^[0-9.]+ [0-9.]+$' "$times"); rm -f "$times"
awk -v n=$((c1 - c0)) -v s="$(echo "$t1 - $t0" | bc)" -v a=$((api1 - api0)) -v p=$((pg1 - pg0)) -v c="$(echo "($user + $sys) * $hz" | bc)" -v hz="$hz" 'BEGIN {
  us = 1e6 / hz / n
  printf "committed %d in %.1f s = %.0f/s | CPU per record: API %.1f us, PostgreSQL %.1f us, load generator %.1f us, total %.1f us | %.2f cores busy\n",
    n, s, n / s, a * us, p * us, c * us, (a + p + c) * us, (a + p + c) / hz / s }'
