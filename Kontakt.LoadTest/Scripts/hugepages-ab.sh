#!/usr/bin/env bash
# Interleaved A/B of huge pages for the embedded cluster's shared memory (issue 15): each round restarts the
# cluster with huge_pages=off (4 kB pages: every backend maps shared_buffers page by page) and with
# huge_pages=on (2 MB pages reserved on the host), restarts the API on it, warms both up, then runs wrk
# POST /v1/records for 15 s under cpu-per-record.sh. The database grows through the session; the interleaving
# spreads that over every arm alike. ARMS="off thp on" adds a third arm: 4 kB pages reserved nowhere, but the
# kernel's transparent huge pages allowed for shared memory (/sys/kernel/mm/transparent_hugepage/shmem_enabled
# = always), so the cluster's shared memory gets 2 MB pages as it is touched.
# Needs root (vm.nr_hugepages, shmem_enabled); sets as many 2 MB pages as the cluster asks for
# (shared_memory_size_in_huge_pages) for the "on" arm only and puts the host's settings back when it ends, then
# restarts the cluster with PostgreSQL's default (huge_pages=try, which takes huge pages only when the host has
# them). Every run starts a cold cluster (12 s of warm-up): the 4 kB arm's page-table faults partly fall in it.
#   ROUNDS=5 bash Kontakt.LoadTest/Scripts/hugepages-ab.sh
#   ROUNDS=3 ARMS="off thp on" bash Kontakt.LoadTest/Scripts/hugepages-ab.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
[ "$(id -u)" = 0 ] || { echo "hugepages-ab.sh changes kernel settings (vm.nr_hugepages): run it as root"; exit 1; }
trap 'exit 130' INT
API_LOG=/tmp/kontakt-hugepages-api.log
WARMUP=12s
source Kontakt.LoadTest/Scripts/embedded-api.sh
build_release

# restart_postgres ARM: stops the embedded cluster, gives the host that arm's pages, and starts the cluster with
# that arm's huge_pages. The huge pages are reserved only for the "on" arm: reserved memory the other arms
# cannot use would leave them ~6 GB less page cache.
restart_postgres() {
  stop_postgres
  if [ "$1" = on ]; then reserve "$pages"; else reserve "$original_pages"; fi
  if [ -n "$original_shmem" ]; then
    if [ "$1" = thp ]; then echo always > "$SHMEM_THP"; else echo "$original_shmem" > "$SHMEM_THP"; fi ||
      { echo "could not write $SHMEM_THP"; exit 1; }
  fi
  start_postgres "huge_pages=${1/thp/off}"
}
reserve() {
  sysctl -qw vm.nr_hugepages="$1" || { echo "could not set vm.nr_hugepages=$1"; exit 1; }
  [ "$(sysctl -n vm.nr_hugepages)" -ge "$1" ] || { echo "the host gave fewer than the $1 huge pages asked for"; exit 1; }
}

start_postgres
pages=$($PSQL -c "SHOW shared_memory_size_in_huge_pages")
original_pages=$(sysctl -n vm.nr_hugepages)
SHMEM_THP=/sys/kernel/mm/transparent_hugepage/shmem_enabled
original_shmem=
if [[ " ${ARMS:-off on} " == *" thp "* ]]; then
  original_shmem=$(sed 's/.*\[\(.*\)\].*/\1/' "$SHMEM_THP" 2>/dev/null)
  [ -n "$original_shmem" ] || { echo "the thp arm needs $SHMEM_THP, which this host does not have"; exit 1; }
fi
restore() {
  stop_api
  stop_postgres
  sysctl -qw vm.nr_hugepages="$original_pages" || echo "could not put vm.nr_hugepages back to $original_pages"
  if [ -n "$original_shmem" ]; then echo "$original_shmem" > "$SHMEM_THP" || echo "could not put $SHMEM_THP back to $original_shmem"; fi
  start_postgres
}
trap restore EXIT
echo "shared memory: $($PSQL -c "SHOW shared_memory_size") = $pages huge pages of $(awk '/^Hugepagesize/ {print $2 / 1024}' /proc/meminfo) MB; the host had $original_pages${original_shmem:+, shmem_enabled $original_shmem}"
in_huge_pages() {
  awk '/^Hugepagesize/ {size = $2} /HugePages_Total/ {t = $2} /HugePages_Free/ {f = $2} /^ShmemHugePages/ {thp = $2}
       END {printf "%d MB of reserved huge pages touched, %d MB of shared memory in transparent huge pages", (t - f) * size / 1024, thp / 1024}' /proc/meminfo
}

for round in $(seq 1 "${ROUNDS:-5}"); do
  for arm in ${ARMS:-off on}; do
    stop_api; restart_postgres "$arm"; start_api
    line=$(RUN=hp$RANDOM bash $SCRIPTS/cpu-per-record.sh wrk -t2 -c256 -d15s -s $SCRIPTS/post.lua http://127.0.0.1:5000 | grep -E "committed")
    echo "round $round $arm ($(in_huge_pages)) | $line"
  done
done
