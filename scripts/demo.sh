#!/usr/bin/env bash
# The main job: sets up, builds, starts a local receiver that prints what
# arrives, and runs the quickstart example (a small instrumented product)
# against it. Usage: scripts/demo.sh   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTELLTALE_BUILD_EXAMPLES=ON >/dev/null
cmake --build build -j "$(nproc)" --target print_receiver quickstart

port=${TELLTALE_DEMO_PORT:-7070}
build/examples/print_receiver "$port" 30 &
receiver=$!
trap 'kill $receiver 2>/dev/null || true' EXIT
sleep 0.5
build/examples/quickstart "http://127.0.0.1:$port" wk_demo
sleep 0.5
kill -INT $receiver
wait $receiver || true
