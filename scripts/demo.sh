#!/usr/bin/env bash
# The main job: sets up, builds, starts a collector on a fresh data
# directory, runs the simulation (a few hundred accounts using a product for
# six simulated weeks, instrumented with the SDK) against it, and shows the
# PQL alerts that arrive, for every route, and why one account qualified.
# Usage: scripts/demo.sh [--serve]   (from the repository root)
#   --serve: afterwards, keep the collector running (Ctrl-C stops it), to
#            look at the dashboard and the API
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target telltale-collector telltale simulation quickstart

port=${TELLTALE_DEMO_PORT:-7070}
url="http://127.0.0.1:$port"
data=$(mktemp -d /tmp/telltale-demo.XXXXXX)
build/collector/telltale-collector --listen "127.0.0.1:$port" --data-dir "$data" --config examples/demo.toml &
collector=$!
trap 'kill $collector 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  build/collector/telltale status --url "$url" >/dev/null 2>&1 && break
  sleep 0.1
done

build/examples/simulation "$url" 300
sleep 1  # the engine follows the log within a second
echo
echo "== PQL alerts (telltale alerts), the first 20"
build/collector/telltale alerts --url "$url" --table | head -21 || true
echo
echo "== By route and priority (telltale alerts --json)"
build/collector/telltale alerts --url "$url" --json | sed -n 's/.*"priority":"\([a-z]*\)","route":"\([a-z-]*\)".*/\2 \1/p' |
  sort | uniq -c
first_sales_led=$( (build/collector/telltale alerts --url "$url" --route sales-led --json || true) | head -1 |
                  sed -n 's/.*"account_id":"\([^"]*\)".*/\1/p')
if [ -n "$first_sales_led" ]; then
  echo
  echo "== Why $first_sales_led qualified (telltale account $first_sales_led)"
  build/collector/telltale account "$first_sales_led" --url "$url"
fi
echo
build/collector/telltale status --url "$url"
if [ "${1:-}" = --serve ]; then
  echo
  echo "The dashboard: $url/  (the collector runs until Ctrl-C)"
  trap 'kill -TERM $collector 2>/dev/null || true' INT
  wait $collector || true
  echo "data kept in $data"
  exit 0
fi
kill -TERM $collector
wait $collector
echo "data kept in $data"
