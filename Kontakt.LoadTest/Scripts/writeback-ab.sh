#!/usr/bin/env bash
# Interleaved A/B of the host's dirty-page writeback under kontakt-1m (issue 15's p99 spikes): each round runs
# kontakt-1m on a freshly created database twice, once with the kernel's defaults (dirty pages written back
# when 30 s old: one burst every ~30 s, during which the WAL flush of every commit waits) and once with
# vm.dirty_background_bytes set (writeback starts at that many dirty bytes and runs continuously). The first arm
# is whatever the host had when the script started ("original", printed first): on a host already tuned
# both arms are the same.
# Prints each run's elapsed time, overall p99 and its per-second shape (run-shape.py). Needs root (sysctl);
# puts the original settings back when it ends.
#   ROUNDS=3 BYTES=33554432 bash Kontakt.LoadTest/Scripts/writeback-ab.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
[ "$(id -u)" = 0 ] || { echo "writeback-ab.sh changes kernel settings (sysctl): run it as root"; exit 1; }
trap 'exit 130' INT
API_LOG=/tmp/kontakt-writeback-api.log
source Kontakt.LoadTest/Scripts/embedded-api.sh
build_release

original_bytes=$(sysctl -n vm.dirty_background_bytes)
original_ratio=$(sysctl -n vm.dirty_background_ratio)
restore() {
  # Writing the ratio clears the bytes setting and the other way round: write the one that was in force.
  if [ "$original_bytes" != 0 ]; then sysctl -qw vm.dirty_background_bytes="$original_bytes"; else sysctl -qw vm.dirty_background_ratio="$original_ratio"; fi ||
    { echo "could not put vm.dirty_background_* back"; exit 1; }
  stop_api
}
trap restore EXIT
echo "original: vm.dirty_background_bytes=$original_bytes, vm.dirty_background_ratio=$original_ratio, vm.dirty_expire_centisecs=$(sysctl -n vm.dirty_expire_centisecs)"

start_postgres
seed=70
for round in $(seq 1 "${ROUNDS:-3}"); do
  for variant in original "dirty_background_bytes=${BYTES:-33554432}"; do
    restore
    if [ "$variant" != original ]; then sysctl -qw "vm.$variant" || { echo "could not set vm.$variant"; exit 1; }; fi
    $PSQL -d postgres -c "DROP DATABASE IF EXISTS kontakt"; sync; start_api
    seed=$((seed + 1))
    report=/tmp/kontakt-writeback-ab/$round-${variant%%=*}; rm -rf "$report"
    out=$($LT --target http://127.0.0.1:5000 --scenario kontakt-1m --client raw --seed $seed --no-live --report-dir "$report")
    [ -f "$report/report.json" ] || { echo "round $round, $variant: the run wrote no report"; echo "$out" | tail -5; exit 1; }
    elapsed=$(echo "$out" | awk '/^Elapsed/ {print $3}')
    p99=$(echo "$out" | awk '/^Latency ms/ {for (i = 1; i <= NF; i++) if ($i == "p99") print $(i + 1)}')
    verdicts=$(echo "$out" | grep -cE '^  FAIL' || true)
    echo "round $round, $variant: elapsed $elapsed s, p99 $p99 ms, failed checks $verdicts (the 60 s one included, which fails on a slow host) | $(python3 $SCRIPTS/run-shape.py "$report/report.json" | cut -d' ' -f2-)"
  done
done
