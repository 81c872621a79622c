#!/usr/bin/env bash
# A real Segment library works unchanged: @segment/analytics-node sends to a
# fresh collector, and every call must be in the event log.
# Usage: segment_node_test.sh <telltale-collector> <telltale> <tests/segment dir> <scratch dir>
set -euo pipefail
collector=$1 tool=$2 segment_dir=$3 scratch=$4
rm -rf "$scratch" && mkdir -p "$scratch"
if [ ! -d "$segment_dir/node_modules/@segment/analytics-node" ]; then
  npm install --prefix "$segment_dir" --no-audit --no-fund --no-package-lock --loglevel=error >/dev/null
fi

"$collector" --listen 127.0.0.1:0 --data-dir "$scratch/data" 2>"$scratch/collector.log" &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true' EXIT
port=""
for _ in $(seq 100); do
  port=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$scratch/collector.log" | grep -o '[0-9]*$' || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$scratch/collector.log"; echo "collector did not start"; exit 1; }

count=500
(cd "$segment_dir" && node send_events.mjs "http://127.0.0.1:$port" "$count")

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
