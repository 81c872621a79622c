#!/usr/bin/env bash
# The main job: sets up, builds, starts a collector on a fresh data
# directory, runs the quickstart example (a small instrumented product)
# against it, and shows the PQL alerts it raised and why.
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
sleep 1  # the engine follows the log within a second
echo
echo "== PQL alerts (telltale alerts)"
build/collector/telltale alerts --url "http://127.0.0.1:$port"
echo
echo "== Why acme qualified (telltale account acme)"
build/collector/telltale account acme --url "http://127.0.0.1:$port"
echo
build/collector/telltale status --url "http://127.0.0.1:$port"
echo
build/collector/telltale log stats --data-dir "$data"
kill -TERM $collector
wait $collector
echo "data kept in $data"
