#!/usr/bin/env bash
# The dashboard in a real browser: Debian's Chromium, driven by
# playwright-core, against a fresh collector with a rep to own sales-led
# alerts: tests/dashboard/dashboard_test.mjs (the alerts, followed,
# explained and worked) or, with "token", dashboard_token_test.mjs (the
# collector has api_tokens: the page asks for one).
# Usage: dashboard_test.sh <telltale-collector> <tests/dashboard dir> <scratch dir> [token]
set -euo pipefail
collector=$1 dashboard_dir=$2 scratch=$3 mode=${4:-}
rm -rf "$scratch" && mkdir -p "$scratch"
source "$(dirname "$0")/integration_helpers.sh"
npm_install_once "$dashboard_dir" playwright-core
# Ravi is away: he takes no leads, but may claim one (his row says he is away).
# The sales channel's webhook points at a port nothing listens on: it fails.
printf '[pql]\nreps = [{name = "Dana", capacity = 1}, {name = "Ravi", away = true}]\n%s\n' \
  'webhooks = [{name = "sales channel", url = "http://127.0.0.1:9/services/T0/B0/x", format = "slack"}]' \
  >"$scratch/collector.toml"
if [ "$mode" = token ]; then
  token=tok_dashboard_$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  printf 'api_tokens = ["%s"]\n%s' "$token" "$(cat "$scratch/collector.toml")" >"$scratch/collector.toml"
  start_collector "$collector" "$scratch" --config "$scratch/collector.toml"
  (cd "$dashboard_dir" && node dashboard_token_test.mjs "http://127.0.0.1:$port" "$token")
else
  start_collector "$collector" "$scratch" --config "$scratch/collector.toml"
  (cd "$dashboard_dir" && node dashboard_test.mjs "http://127.0.0.1:$port" "$scratch")
fi
