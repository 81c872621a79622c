#!/usr/bin/env bash
# Installs the Debian 12 packages Telltale builds, tests and runs with.
# Idempotent: installs only what is missing. Needs root (or sudo).
# Usage: scripts/setup.sh [--tests]   (--tests: also what only the tests need)
set -euo pipefail

packages=(
  cmake ninja-build g++ ccache pkg-config
  libboost1.81-dev            # Asio + Beast (HTTP), Boost.JSON, CRC
  libflatbuffers-dev flatbuffers-compiler   # the wire format and flatc
  libzstd-dev                 # batch compression
  libconcurrentqueue-dev      # the SDK's lock-free queue (moodycamel)
  libssl-dev openssl          # TLS for https:// endpoints (openssl makes the test certificate)
  libspdlog-dev               # collector logs; the benchmark's peer
  libsqlite3-dev              # the collector's embedded event log
  libnats-dev                 # the event log in NATS JetStream, for more than one machine
  libabsl-dev                 # the PQL engine's flat hash maps (Abseil Swiss tables)
  libjemalloc-dev             # the collector's allocator (huge pages for the engine's state)
  libtomlplusplus-dev         # the collector's config file
  libcli11-dev                # command lines (collector, telltale tool)
  libcurl4-openssl-dev        # SMTP: webhooks to mailto: addresses
  tzdata                      # accounts' time zones for the best time to reach out
  libgtest-dev libgmock-dev   # tests
  libbenchmark-dev            # bench/
)
# Tests only: Chromium, for the dashboard's browser test (driven by
# playwright-core from npm; no browser is downloaded), nats-server, for
# the JetStream event log's, and systemd's systemd-analyze, which checks the
# collector's service unit as installed.
if [ "${1:-}" = --tests ]; then packages+=(chromium nats-server systemd); fi
# Node.js runs the Segment-compatibility test (@segment/analytics-node);
# a machine that already has node and npm (from any source) keeps them.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
