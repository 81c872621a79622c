#!/usr/bin/env bash
# Sets up, builds and runs every test: the normal build (unit, integration,
# install-consumer), then the same tests under ASan+UBSan and under TSan
# (the SDK's host and sender threads, the collector's ingest, engine,
# read-ahead, HTTP and webhook threads). A sanitizer's first report stops
# the process, so the test it ran in fails.
# Usage: scripts/test.sh            (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests

jobs=$(nproc)
# ccache hits across checkouts in different directories.
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=true
run_suite() {  # <build dir> <cmake args...>
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
  (cd "$dir" && ctest -j "$jobs" --output-on-failure --timeout 300)
}

echo "== tests (RelWithDebInfo)"
run_suite build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTELLTALE_BUILD_TESTS=ON \
  -DTELLTALE_BUILD_BENCH=ON -DTELLTALE_BUILD_EXAMPLES=ON
echo "== tests under ASan+UBSan"
run_suite build-asan -DCMAKE_BUILD_TYPE=Debug -DTELLTALE_SANITIZE=address -DTELLTALE_BUILD_TESTS=ON \
  -DTELLTALE_BUILD_BENCH=OFF -DTELLTALE_BUILD_EXAMPLES=OFF
echo "== tests under TSan"
# The first race stops the process (a collector under test too), so its test fails.
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
run_suite build-tsan -DCMAKE_BUILD_TYPE=Debug -DTELLTALE_SANITIZE=thread -DTELLTALE_BUILD_TESTS=ON \
  -DTELLTALE_BUILD_BENCH=OFF -DTELLTALE_BUILD_EXAMPLES=OFF
