#!/usr/bin/env bash
# The benchmark session behind docs/benchmarks.md (issue 4): baselines and Kontakt, in one session,
# three runs each. Needs: wrk (apt-get install wrk) and the embedded cluster initialized (run the API
# once); the script builds Release and starts that cluster itself, leaving it running. Takes 15–40
# minutes on 2 cores, depending on the host. Reports land in Kontakt.LoadTest/reports/.
# Lines starting "committed … CPU per record" come from cpu-per-record.sh: CPU time of the API, of
# PostgreSQL and of the load generator per committed record.
set -uo pipefail
cd "$(dirname "$0")/../.."
API_LOG=/tmp/kontakt-bench-api.log
source Kontakt.LoadTest/Scripts/embedded-api.sh
build_release
CPU="$SCRIPTS/cpu-per-record.sh"
RUNS=${RUNS:-3}

# The database ceiling runs with no API, so the cluster is started here, as the API would start it;
# an API started later adopts the running cluster.
api_rss_mb() { echo $(( $(grep VmHWM /proc/$(pgrep -f "Kontakt.Api.dll --urls http://127.0.0.1:5000")/status | awk '{print $2}') / 1024 )); }

start_postgres
echo "== (a) HTTP ceiling: no-op ASP.NET POST, wrk, 128 connections"
(DOTNET_gcServer=1 nohup $LT baseline-http --urls http://127.0.0.1:5100 > /tmp/kontakt-bench-noop.log 2>&1 &); sleep 3
for run in $(seq 1 $RUNS); do RUN=noop$run wrk -t2 -c128 -d15s -s $SCRIPTS/post.lua http://127.0.0.1:5100 | grep -E "Requests/sec"; done
echo "== the load generator's own cost: single mode against the no-op server (its fixed answers fail check f; only the CPU counts)"
for run in $(seq 1 $RUNS); do
  /usr/bin/time -f "%U %S" -o /tmp/kontakt-bench-gen.time $LT --target http://127.0.0.1:5100 --mode single --records 300000 --concurrency 512 --seed $run --no-live --skip-verify | grep -E "^Throughput"
  awk '/^[0-9.]+ [0-9.]+$/ { printf "load generator CPU per request: %.1f us (300,000 requests, start-up and data generation included)\n", ($1 + $2) * 1e6 / 300000 }' /tmp/kontakt-bench-gen.time
done
pkill -f "baseline-http" || true

echo "== (b) database ceiling: the batch transaction alone, fresh scratch database"
$PSQL -d postgres -c "DROP DATABASE IF EXISTS kontakt_ceiling" -c "CREATE DATABASE kontakt_ceiling"
CEIL="Host=127.0.0.1;Port=55432;Username=kontakt;Password=$PGPASSWORD;Database=kontakt_ceiling"
for run in $(seq 1 $RUNS); do $LT baseline-db --db "$CEIL" --records 100000 --batch-size 1000 --writers 2 --seed $((60 + run)); done
for run in $(seq 1 $RUNS); do $LT baseline-db --db "$CEIL" --records 50000 --batch-size 100 --writers 2 --seed $((70 + run)); done

echo "== Kontakt on a fresh database"
stop_api; $PSQL -d postgres -c "DROP DATABASE IF EXISTS kontakt" ; start_api

echo "== wrk against POST /v1/records (201 and 202), 128 connections: server cost without our generator"
for run in $(seq 1 $RUNS); do RUN=k201$run $CPU wrk -t2 -c128 -d15s -s $SCRIPTS/post.lua http://127.0.0.1:5000 | grep -E "Requests/sec|p50|committed"; done
for run in $(seq 1 $RUNS); do RUN=k201x$run $CPU wrk -t2 -c512 -d15s -s $SCRIPTS/post.lua http://127.0.0.1:5000 | grep -E "Requests/sec|p50|committed"; done
for run in $(seq 1 $RUNS); do PREFER=respond-async RUN=k202$run $CPU wrk -t2 -c128 -d15s -s $SCRIPTS/post.lua http://127.0.0.1:5000 | grep -E "Requests/sec|p50|committed"; sleep 20; done

echo "== Kontakt.LoadTest single / batch / async"
for run in $(seq 1 $RUNS); do $CPU $LT --mode single --records 200000 --concurrency 256 --seed $run --no-live | grep -E "^(Throughput|Latency|  (PASS|FAIL))|committed"; done
for run in $(seq 1 $RUNS); do $CPU $LT --mode single --records 200000 --concurrency 512 --seed $((40+run)) --no-live | grep -E "^(Throughput|Latency|  (PASS|FAIL))|committed"; done
for run in $(seq 1 $RUNS); do $LT --mode batch --records 500000 --batch-size 1000 --concurrency 8 --seed $((10+run)) --no-live | grep -E "^(Throughput|Latency|  (PASS|FAIL))"; done
for run in $(seq 1 $RUNS); do $LT --mode async --records 250000 --rate 16700 --concurrency 512 --seed $((20+run)) --no-live | grep -E "^(Throughput|Latency|  (PASS|FAIL)|.*visible)"; done
echo "API peak RSS so far: $(api_rss_mb) MiB"

echo "== 2x overload, open model, async"
for run in $(seq 1 $RUNS); do $LT --mode async --records 400000 --rate 40000 --concurrency 1024 --seed $((30+run)) --no-live | grep -E "^(Throughput|Latency|Attempts|  (PASS|FAIL))"; echo "API peak RSS: $(api_rss_mb) MiB"; done

echo "== kontakt-1m, each run on a freshly created database (the seed's acceptance test: a new service)"
for run in $(seq 1 $RUNS); do
  # sync: the previous run's dirty pages are written back now, not during this run.
  stop_api; $PSQL -d postgres -c "DROP DATABASE IF EXISTS kontakt"; sync; start_api
  $CPU $LT --scenario kontakt-1m --concurrency 512 --seed $((50+run)) --no-live | tail -16
done
echo "== kontakt-1m once more, on top of the last run's 1M records (a service that has been running)"
$CPU $LT --scenario kontakt-1m --concurrency 512 --seed 59 --no-live | tail -16
stop_api
