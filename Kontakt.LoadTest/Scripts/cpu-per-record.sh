#!/usr/bin/env bash
# CPU time per committed record, split by process, for one load command:
#   cpu-per-record.sh <command ...>      e.g. cpu-per-record.sh wrk -t2 -c512 -d15s -s post.lua http://127.0.0.1:5000
# Samples utime+stime of the API (Kontakt.Api.dll), of every process of the postgres user and of the
# command itself, with kontakt_records_committed_total from /metrics, every half second while the command
# runs. The window ends at the first sample that shows the last commit: what the command does after its load
# (the load generator's verification reads every record back) is the command's own cost, not the records'.
set -uo pipefail
metrics=${KONTAKT_METRICS:-http://127.0.0.1:5000/metrics}
hz=$(getconf CLK_TCK)
api=$(pgrep -f 'Kontakt.Api.dll' | head -1)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
postgres_ticks() { local total=0; for p in $(pgrep -u postgres); do total=$((total + $(ticks "$p"))); done; echo "$total"; }
committed() { curl -s -m 2 "$metrics" | awk '/^kontakt_records_committed_total/ {print $2}'; }
# One line: seconds, committed records, API ticks, PostgreSQL ticks, the command's ticks.
sample() { echo "$(date +%s.%N) $(committed) $(ticks "$api") $(postgres_ticks) $(ticks "$1")"; }

# Before the command starts, so it has spent nothing yet and none of its records is counted as committed.
read -r t0 c0 api0 pg0 _ < <(sample none)
read -r t1 c1 api1 pg1 cmd1 <<< "$t0 $c0 $api0 $pg0 0"
"$@" &
command=$!
while kill -0 "$command" 2>/dev/null; do
  sleep 0.5
  read -r t c a p cmd < <(sample "$command")
  # An exited command has no ticks left to read (0): its last sample before that stands.
  if [ "$cmd" != 0 ] && [ "${c:-$c1}" != "$c1" ]; then
    read -r t1 c1 api1 pg1 cmd1 <<< "$t $c $a $p $cmd"
  fi
done
wait "$command"
status=$?
awk -v n=$((c1 - c0)) -v s="$(echo "$t1 - $t0" | bc)" -v a=$((api1 - api0)) -v p=$((pg1 - pg0)) -v c="$cmd1" -v hz="$hz" 'BEGIN {
  if (n <= 0) { print "committed 0: nothing to divide by (is the API at '"$metrics"' the one under load?)"; exit }
  us = 1e6 / hz / n
  printf "committed %d in %.1f s = %.0f/s | CPU per record: API %.1f us, PostgreSQL %.1f us, load generator %.1f us, total %.1f us | %.2f cores busy\n",
    n, s, n / s, a * us, p * us, c * us, (a + p + c) * us, (a + p + c) / hz / s }'
exit $status
