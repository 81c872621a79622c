#!/usr/bin/env bash
# A real Segment library works unchanged: @segment/analytics-node sends to a
# fresh collector, and every call must be in the event log.
# Usage: segment_node_test.sh <telltale-collector> <telltale> <tests/segment dir> <scratch dir>
set -euo pipefail
collector=$1 tool=$2 segment_dir=$3 scratch=$4
rm -rf "$scratch" && mkdir -p "$scratch"
source "$(dirname "$0")/integration_helpers.sh"
npm_install_once "$segment_dir" @segment/analytics-node

start_collector "$collector" "$scratch"

count=500
(cd "$segment_dir" && node send_events.mjs "http://127.0.0.1:$port" "$count")
# The collector counts the library's batches under its name and version.
metrics=$(node -e 'fetch(process.argv[1]).then((r) => r.text()).then((t) => process.stdout.write(t))' \
            "http://127.0.0.1:$port/metrics")
if ! grep -Eq '^telltale_batches_by_library_total\{library="@segment/analytics-node",version="[0-9.]+"\} [1-9]' \
     <<<"$metrics"; then
  echo "FAIL: /metrics does not count @segment/analytics-node's batches"
  grep by_library <<<"$metrics" || true
  exit 1
fi

kill -TERM $pid
wait $pid
stats=$("$tool" log stats --data-dir "$scratch/data")
echo "$stats"
events=$(echo "$stats" | awk '$1 == "events" {print $2}')
expected=$((count + 2))
if [ "$events" != "$expected" ]; then
  echo "FAIL: the log holds $events events, expected $expected"
  exit 1
fi
"$tool" log tail --data-dir "$scratch/data" -n 1 | grep -q '"event":"Report Created"'
echo "PASS: $expected Segment calls arrived"
