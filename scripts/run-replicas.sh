#!/usr/bin/env bash
# Runs N Kontakt API processes behind haproxy, all on loopback, on a machine without Docker.
#
#   scripts/run-replicas.sh 2            # → http://127.0.0.1:5000 (balancer), replicas on 5101, 5102
#
# Every replica works on the same database: the embedded cluster (the first replica starts it, the
# others adopt it, the last one to stop stops it) or ConnectionStrings__Kontakt when set, exactly as
# for one process. The balancer sends each request to a replica that answers /health/ready with 200
# and takes a replica out within about a second of it failing (docs/scaling.md).
#
# Settings (environment):
#   KONTAKT_LB_PORT            the balancer's port (default 5000)
#   KONTAKT_LB_STATS_PORT      haproxy's statistics page, /stats (default 5099)
#   KONTAKT_REPLICA_BASE_PORT  replica i listens on this port + i - 1 (default 5101)
#   KONTAKT_MLLP_PORT          the balancer's HL7 v2 (MLLP) port (default 2575; 0 = no HL7 listener anywhere)
#   KONTAKT_REPLICA_MLLP_BASE_PORT  replica i takes HL7 v2 on this port + i - 1 (default 2601)
#   KONTAKT_RUN_DIR            haproxy.cfg, pid files and logs (default ${TMPDIR:-/tmp}/kontakt-replicas)
#   KONTAKT_API_DLL            a built Kontakt.Api.dll; when unset the API is published (Release) into the run directory
# Anything else in the environment (ConnectionStrings__Kontakt, Kontakt__…) reaches every replica.
#
# Stop with Ctrl-C or SIGTERM: the balancer stops taking connections, every replica commits what it
# accepted (at most Kontakt:Ingest:DrainTimeout) and the script exits when all have.
set -euo pipefail

replicas=${1:-}
if ! [[ "$replicas" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: $0 N   (N API processes behind haproxy; see the comment at the top of this script)" >&2
    exit 2
fi
command -v haproxy >/dev/null || { echo "haproxy is not installed (Debian: apt-get install -y haproxy)" >&2; exit 2; }

repo=$(cd "$(dirname "$0")/.." && pwd)
lb_port=${KONTAKT_LB_PORT:-5000}
stats_port=${KONTAKT_LB_STATS_PORT:-5099}
base_port=${KONTAKT_REPLICA_BASE_PORT:-5101}
mllp_port=${KONTAKT_MLLP_PORT:-2575}
mllp_base_port=${KONTAKT_REPLICA_MLLP_BASE_PORT:-2601}
run_dir=${KONTAKT_RUN_DIR:-${TMPDIR:-/tmp}/kontakt-replicas}
mkdir -p "$run_dir"

dll=${KONTAKT_API_DLL:-}
if [ -z "$dll" ]; then
    echo "Publishing Kontakt.Api (Release) into $run_dir/app ..."
    dotnet publish "$repo/Kontakt.Api/Kontakt.Api.csproj" -c Release -o "$run_dir/app" --nologo -v quiet
    dll="$run_dir/app/Kontakt.Api.dll"
fi
app_dir=$(cd "$(dirname "$dll")" && pwd)

pids=()
stop_all() {
    trap - INT TERM EXIT
    # The balancer first, so no new request reaches a draining replica; then every replica drains at once.
    [ -f "$run_dir/haproxy.pid" ] && kill -TERM "$(cat "$run_dir/haproxy.pid")" 2>/dev/null || true
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -f "$run_dir"/replica-*.pid "$run_dir/haproxy.pid"
}
trap stop_all INT TERM EXIT

servers=""
mllp_servers=""
for i in $(seq 1 "$replicas"); do
    port=$((base_port + i - 1))
    replica_mllp=0
    if [ "$mllp_port" != 0 ]; then
        replica_mllp=$((mllp_base_port + i - 1))
        # Ready means ready for HL7 too: checked on the replica's HTTP port.
        mllp_servers+="    server replica-$i 127.0.0.1:$replica_mllp check port $port"$'\n'
    fi
    # The working directory is the app's, so each replica reads the appsettings.json published beside it.
    (cd "$app_dir" && Kontakt__Hl7__MllpPort=$replica_mllp exec dotnet "$dll" --urls "http://127.0.0.1:$port") >"$run_dir/replica-$i.log" 2>&1 &
    pids+=($!)
    echo $! >"$run_dir/replica-$i.pid"
    servers+="    server replica-$i 127.0.0.1:$port"$'\n'
done

cat >"$run_dir/haproxy.cfg" <<EOF
# Written by scripts/run-replicas.sh; docs/scaling.md explains each choice.
global
    # Each connection costs haproxy two descriptors; 8,000 fits the common 20,000 descriptor limit.
    maxconn 8000

defaults
    mode http
    option http-keep-alive
    timeout connect 2s
    timeout client 90s
    # Longer than Kontakt:Ingest:CommitTimeout, so a slow commit is answered by the API (504 with its
    # recordIds), never cut off by the balancer.
    timeout server 90s
    # Only a request that never reached a replica is sent again (to another one): a request a replica
    # may have processed is never repeated behind the client's back.
    retries 2
    retry-on conn-failure
    option redispatch

frontend kontakt
    bind 127.0.0.1:$lb_port
    option forwardfor
    default_backend replicas

backend replicas
    balance leastconn
    option httpchk GET /health/ready
    http-check expect status 200
    # Checked every 500 ms; two failures (or one refused connection seen on live traffic) take a
    # replica out, two successes put it back.
    default-server check inter 500ms fastinter 250ms downinter 1s fall 2 rise 2 observe layer4 error-limit 1 on-error mark-down
$servers
$(if [ "$mllp_port" != 0 ]; then cat <<MLLP
# HL7 v2 over MLLP: each connection to one replica for its whole life (messages are answered in order on it).
frontend mllp
    bind 127.0.0.1:$mllp_port
    mode tcp
    timeout client 10m
    default_backend mllp-replicas

backend mllp-replicas
    mode tcp
    balance leastconn
    timeout server 10m
    option httpchk GET /health/ready
    http-check expect status 200
    default-server inter 500ms fastinter 250ms downinter 1s fall 2 rise 2 observe layer4 error-limit 1 on-error mark-down
$mllp_servers
MLLP
fi)
listen stats
    bind 127.0.0.1:$stats_port
    stats enable
    stats uri /stats
    stats refresh 5s
EOF

haproxy -c -q -f "$run_dir/haproxy.cfg"
haproxy -f "$run_dir/haproxy.cfg" -db >"$run_dir/haproxy.log" 2>&1 &
pids+=($!)
echo $! >"$run_dir/haproxy.pid"

echo "Balancer: http://127.0.0.1:$lb_port  (haproxy statistics: http://127.0.0.1:$stats_port/stats)"
[ "$mllp_port" != 0 ] && echo "HL7 v2 (MLLP): 127.0.0.1:$mllp_port"
for i in $(seq 1 "$replicas"); do
    echo "Replica $i: http://127.0.0.1:$((base_port + i - 1))  pid $(cat "$run_dir/replica-$i.pid")  log $run_dir/replica-$i.log"
done
echo "Ctrl-C stops them all."
# Until a signal arrives; a replica that dies (even kill -9) leaves the others and the balancer running.
while kill -0 "$(cat "$run_dir/haproxy.pid")" 2>/dev/null; do sleep 1; done
