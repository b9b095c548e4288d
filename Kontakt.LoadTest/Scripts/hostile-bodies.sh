#!/bin/bash
# Sends 16 concurrent batch bodies of 15 MB (one 15 MB name each) to a running API and prints the
# answers and the API's resident memory before and after (docs/benchmarks.md, "Hostile bodies").
# usage: hostile-bodies.sh <api pid> <base url> <ingest key file>
set -euo pipefail
pid=$1; url=$2; key=$(cat "$3")
body=$(mktemp); codes=$(mktemp)
trap 'rm -f "$body" "$codes"' EXIT
python3 -c "import sys; sys.stdout.write('[{\"name\":\"' + 'x' * (15 * 1024 * 1024) + '\",\"dob\":\"1980-04-01\"}]')" > "$body"
kb() { awk -v field="$1:" '$1 == field { print $2 }' "/proc/$pid/status"; }
before=$(kb VmRSS)
for _ in $(seq 16); do
  curl -s -o /dev/null -w '%{http_code}\n' "$url/v1/records/batch" -H "X-Api-Key: $key" -H 'Content-Type: application/json' --data-binary @"$body" &
done > "$codes"
wait
echo "answers: $(sort "$codes" | uniq -c | tr -s ' \n' ' ')"
echo "VmRSS before $before kB, VmRSS after $(kb VmRSS) kB, VmHWM after $(kb VmHWM) kB, peak growth $(( ($(kb VmHWM) - before) / 1024 )) MB"
