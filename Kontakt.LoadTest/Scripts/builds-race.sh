#!/usr/bin/env bash
# A/B of two API builds run at the same time, so the host's speed, which moves by ±15–30% from one minute to
# the next on this machine, moves both sides alike: interleaving (builds-ab.sh, settings-ab.sh) only spreads it.
# Each side is its own Release build on its own fresh embedded cluster; in every round both are driven by wrk
# (post.lua: 201, a new person per request) at CONNS connections each, for D seconds, started together. Prints per
# round and side the records/s and the CPU time its API and its PostgreSQL spent per record, then each API's peak
# resident memory and the medians of B ÷ A. The two sides compete for the same two cores, so absolute figures are higher than one API alone shows:
# read the ratios. Which side's wrk starts first alternates by round.
#   git worktree add /tmp/kontakt-base HEAD && (cd /tmp/kontakt-base && dotnet build -c Release Kontakt.Api)
#   dotnet build -c Release Kontakt.Api
#   A="base:/tmp/kontakt-base" B="main:." ROUNDS=7 bash Kontakt.LoadTest/Scripts/builds-race.sh
# A side is name:directory[:ENV=V,ENV=V...]: the same build twice with different environments compares settings.
# A=B (the same build on both sides) measures the method's own spread. A build from before API keys (2026-12-02)
# runs as it is: without a keys directory wrk sends an empty X-Api-Key, which such a build ignores.
# Needs wrk; ports 5051/5052, 55451/55452 and 2581/2582 free. Both APIs (and with them their clusters) stop at the
# end; the clusters' directories stay in $RACE_DATA (default /tmp/kontakt-race) and are recreated at the next run.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-5}; D=${D:-20}; CONNS=${CONNS:-256}; WARMUP=${WARMUP:-60s}
RACE_DATA=${RACE_DATA:-/tmp/kontakt-race}
POST=$PWD/Kontakt.LoadTest/Scripts/post.lua
hz=$(getconf CLK_TCK)
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk"; exit 1; }

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# The CPU ticks of one cluster: its postmaster and every process it started that is still running.
cluster_ticks() {
  local postmaster total=0
  postmaster=$(head -1 "$1/pgdata/postmaster.pid")
  for pid in "$postmaster" $(pgrep -P "$postmaster"); do total=$((total + $(ticks "$pid"))); done
  echo "$total"
}

pids=()
# The APIs are not this shell's children (started inside $(...)), so they are waited for by polling; each stops its cluster.
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done; done
}
trap cleanup EXIT
# start_side <name:directory[:env]> <data dir> <pg port> <http port> <mllp port>: the API's pid on standard output.
start_side() {
  local name directory settings variables=()
  IFS=: read -r name directory settings <<< "$1"
  [ -n "$settings" ] && IFS=',' read -ra variables <<< "$settings"
  [ -f "$directory/Kontakt.Api/bin/Release/net10.0/Kontakt.Api.dll" ] || { echo "no Release build in $directory" >&2; exit 1; }
  if curl -s -m 2 -o /dev/null "http://127.0.0.1:$4/health/live"; then echo "something already answers on port $4: stop it first" >&2; exit 1; fi
  rm -rf "$2"; mkdir -p "$2"
  (cd "$directory/Kontakt.Api/bin/Release/net10.0" && exec env "${variables[@]}" Kontakt__Embedded__DataDirectory="$2" \
    Kontakt__Embedded__Port="$3" Kontakt__Hl7__MllpPort="$5" dotnet Kontakt.Api.dll --urls "http://127.0.0.1:$4" > "$2/api.log" 2>&1) &
  echo $!
}
wait_ready() {
  for _ in $(seq 1 180); do curl -sf -m 2 "http://127.0.0.1:$1/health/ready" >/dev/null && return; sleep 1; done
  echo "the API on port $1 did not become ready; see $2/api.log"; exit 1
}
drive() { RUN=$3$RANDOM API_KEY=$(cat "$1/keys/ingest.key" 2>/dev/null || true) wrk -t2 -c"$CONNS" -d"$4" -s "$POST" "http://127.0.0.1:$2"; }
records() { echo "$1" | awk '/requests in/ { n = $1 } /non2xx/ { f = $NF } END { print n - f }'; }

IFS=: read -r name_a _ <<< "${A:?A=name:directory[:env] (see the top of this script)}"
IFS=: read -r name_b _ <<< "${B:?B=name:directory[:env]}"
side_a=$RACE_DATA/a; side_b=$RACE_DATA/b
pid_a=$(start_side "$A" "$side_a" 55451 5051 2581); pids+=("$pid_a")
pid_b=$(start_side "$B" "$side_b" 55452 5052 2582); pids+=("$pid_b")
wait_ready 5051 "$side_a"; wait_ready 5052 "$side_b"
# The JIT's warm-up is not part of any figure: 10–20 s of load before a fresh API's CPU per request settles, and
# with both sides starting together often longer (after 30 s the first round still read one side at 1.3–2×).
drive "$side_a" 5051 warma "$WARMUP" >/dev/null & drive "$side_b" 5052 warmb "$WARMUP" >/dev/null; wait

ratios=()
for round in $(seq 1 "$ROUNDS"); do
  api_a0=$(ticks "$pid_a"); api_b0=$(ticks "$pid_b"); pg_a0=$(cluster_ticks "$side_a"); pg_b0=$(cluster_ticks "$side_b")
  if [ $((round % 2)) = 1 ]; then
    drive "$side_a" 5051 a$round "${D}s" > "$RACE_DATA/wrk-a" & drive "$side_b" 5052 b$round "${D}s" > "$RACE_DATA/wrk-b"; wait
  else
    drive "$side_b" 5052 b$round "${D}s" > "$RACE_DATA/wrk-b" & drive "$side_a" 5051 a$round "${D}s" > "$RACE_DATA/wrk-a"; wait
  fi
  api_a1=$(ticks "$pid_a"); api_b1=$(ticks "$pid_b"); pg_a1=$(cluster_ticks "$side_a"); pg_b1=$(cluster_ticks "$side_b")
  n_a=$(records "$(cat "$RACE_DATA/wrk-a")"); n_b=$(records "$(cat "$RACE_DATA/wrk-b")")
  line=$(awk -v hz="$hz" -v d="$D" -v na="$n_a" -v nb="$n_b" -v aa=$((api_a1 - api_a0)) -v ab=$((api_b1 - api_b0)) \
      -v pa=$((pg_a1 - pg_a0)) -v pb=$((pg_b1 - pg_b0)) 'BEGIN {
    ua = 1e6 / hz / na; ub = 1e6 / hz / nb
    printf "%.0f %.0f %.1f %.1f %.1f %.1f %.3f %.3f %.3f", na / d, nb / d, aa * ua, ab * ub, pa * ua, pb * ub, nb / na, (ab * ub) / (aa * ua), (pb * ub) / (pa * ua) }')
  read -r rps_a rps_b api_us_a api_us_b pg_us_a pg_us_b rps_ratio api_ratio pg_ratio <<< "$line"
  echo "round $round: $name_a $rps_a records/s, API $api_us_a us, PostgreSQL $pg_us_a us | $name_b $rps_b records/s, API $api_us_b us, PostgreSQL $pg_us_b us | $name_b / $name_a: records/s $rps_ratio, API CPU per record $api_ratio, PostgreSQL $pg_ratio"
  ratios+=("$rps_ratio $api_ratio $pg_ratio")
done
median_of() { printf '%s\n' "${ratios[@]}" | awk -v c="$1" '{ print $c }' | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
peak() { awk '/VmHWM/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$1/status"; }
echo "peak resident memory: $name_a $(peak "$pid_a"), $name_b $(peak "$pid_b")"
echo "median $name_b / $name_a over $ROUNDS rounds: records/s $(median_of 1), API CPU per record $(median_of 2), PostgreSQL CPU per record $(median_of 3)"
