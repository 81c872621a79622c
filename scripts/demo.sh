#!/usr/bin/env bash
# The main job: sets up, builds, starts a collector on a fresh data
# directory, runs the quickstart example (a small instrumented product)
# against it, and shows what the collector made durable.
# Usage: scripts/demo.sh   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target telltale-collector telltale quickstart

port=${TELLTALE_DEMO_PORT:-7070}
data=$(mktemp -d /tmp/telltale-demo.XXXXXX)
build/collector/telltale-collector --listen "127.0.0.1:$port" --data-dir "$data" &
collector=$!
trap 'kill $collector 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  build/collector/telltale status --url "http://127.0.0.1:$port" >/dev/null 2>&1 && break
  sleep 0.1
done

build/examples/quickstart "http://127.0.0.1:$port" wk_demo
echo
build/collector/telltale status --url "http://127.0.0.1:$port"
echo
build/collector/telltale log stats --data-dir "$data"
echo
echo "The first events of the last batch:"
build/collector/telltale log tail --data-dir "$data" -n 1 | head -12
kill -TERM $collector
wait $collector
echo "data kept in $data"
