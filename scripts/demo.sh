#!/usr/bin/env bash
# The main job: sets up, builds, starts a collector on a fresh data
# directory, runs the simulation (a few hundred accounts using a product for
# six simulated weeks, instrumented with the SDK) against it, and shows the
# PQL alerts that arrive, for every route, and why one account qualified.
# Usage: scripts/demo.sh [--serve] [--jetstream]   (from the repository root)
#   --serve:     afterwards, keep the collector running (Ctrl-C stops it), to
#                look at the dashboard and the API
#   --jetstream: the log in a JetStream stream on a nats-server of its own;
#                the product sends to a second, ingest-only collector, and
#                the first raises the alerts (README: past one machine)
set -euo pipefail
cd "$(dirname "$0")/.."
serve=false jetstream=false
for arg in "$@"; do
  case $arg in
    --serve) serve=true ;;
    --jetstream) jetstream=true ;;
    *) echo "usage: scripts/demo.sh [--serve] [--jetstream]" >&2; exit 2 ;;
  esac
done
bash scripts/setup.sh
if $jetstream; then bash scripts/setup.sh --tests; fi  # nats-server

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target telltale-collector telltale simulation quickstart

port=${TELLTALE_DEMO_PORT:-7070}
url="http://127.0.0.1:$port"
data=$(mktemp -d /tmp/telltale-demo.XXXXXX)
config=examples/demo.toml
ingest_url=$url  # where the product sends its events
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
wait_ready() {
  for _ in $(seq 50); do
    build/collector/telltale status --url "$1" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
}
if $jetstream; then
  nats_port=$((port + 2))
  nats-server -js -a 127.0.0.1 -p "$nats_port" -sd "$data/nats" 2>"$data/nats.log" &
  pids+=($!)
  for _ in $(seq 50); do
    grep -q "Server is ready" "$data/nats.log" 2>/dev/null && break
    sleep 0.1
  done
  config=$data/engine.toml
  { cat examples/demo.toml
    printf '[log]\nbackend = "jetstream"\n[log.jetstream]\nservers = ["nats://127.0.0.1:%s"]\n' "$nats_port"
  } >"$config"
  printf '[log]\nbackend = "jetstream"\n[log.jetstream]\nservers = ["nats://127.0.0.1:%s"]\n[engine]\nenabled = false\n' \
    "$nats_port" >"$data/ingest.toml"
  ingest_url="http://127.0.0.1:$((port + 1))"
  build/collector/telltale-collector --listen "127.0.0.1:$((port + 1))" --data-dir "$data/ingest" \
    --config "$data/ingest.toml" &
  pids+=($!)
  wait_ready "$ingest_url"
  echo "JetStream on nats://127.0.0.1:$nats_port; the product sends to $ingest_url (ingest only), alerts at $url"
fi
build/collector/telltale-collector --listen "127.0.0.1:$port" --data-dir "$data/engine" --config "$config" &
collector=$!
pids+=($collector)
wait_ready "$url"

build/examples/simulation "$ingest_url" 300
sleep 1  # the engine follows the log within a second
echo
echo "== PQL alerts (telltale alerts), the first 20"
build/collector/telltale alerts --url "$url" --table | head -21 || true
echo
first=$( (build/collector/telltale alerts --url "$url" --route sales-led --json || true) | head -1)
first_id=$(sed -n 's/^{"id":\([0-9]*\),.*/\1/p' <<<"$first")
first_sales_led=$(sed -n 's/.*"account_id":"\([^"]*\)".*/\1/p' <<<"$first")
first_owner=$(sed -n 's/.*"owner":"\([^"]*\)".*/\1/p' <<<"$first")
if [ -n "$first_id" ]; then
  echo "== Why $first_sales_led qualified (telltale account $first_sales_led)"
  build/collector/telltale account "$first_sales_led" --url "$url"
  echo
  echo "== $first_owner works alert $first_id (telltale claim, touch, outcome)"
  build/collector/telltale claim "$first_id" --owner "$first_owner" --url "$url"
  build/collector/telltale touch "$first_id" --channel email --note "intro: SSO and the seat limit" --url "$url"
  build/collector/telltale outcome "$first_id" opportunity --url "$url"
  echo
fi
echo "== How product-led sales is doing (telltale stats; the product sent its six weeks just now, so SLAs count from now)"
build/collector/telltale stats --url "$url" --table
echo
build/collector/telltale status --url "$url"
if $serve; then
  echo
  echo "The dashboard: $url/  (the collector runs until Ctrl-C)"
  trap 'kill -TERM "${pids[@]}" 2>/dev/null || true' INT
  wait $collector || true
  echo "data kept in $data"
  exit 0
fi
for ((i = ${#pids[@]} - 1; i >= 0; i--)); do  # the collectors, then the nats-server they use
  kill -TERM "${pids[i]}"
  wait "${pids[i]}" || true
done
echo "data kept in $data"
