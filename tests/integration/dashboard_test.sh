#!/usr/bin/env bash
# The dashboard in a real browser: Debian's Chromium, driven by
# playwright-core (tests/dashboard/dashboard_test.mjs), against a fresh
# collector with a rep to own sales-led alerts.
# Usage: dashboard_test.sh <telltale-collector> <tests/dashboard dir> <scratch dir>
set -euo pipefail
collector=$1 dashboard_dir=$2 scratch=$3
rm -rf "$scratch" && mkdir -p "$scratch"
source "$(dirname "$0")/integration_helpers.sh"
npm_install_once "$dashboard_dir" playwright-core
printf '[pql]\nreps = [{name = "Dana", capacity = 1}]\n' >"$scratch/collector.toml"
start_collector "$collector" "$scratch" --config "$scratch/collector.toml"
(cd "$dashboard_dir" && node dashboard_test.mjs "http://127.0.0.1:$port" "$scratch")
