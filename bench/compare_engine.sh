#!/usr/bin/env bash
# Compares engine_bench at another revision with this checkout's build, on
# this machine, alternating the two (A B, B A, A B, ...) so that the shared
# VM's swings in speed fall on both alike, and pinning both to one CPU (CPU,
# default 0): this VM's two vCPUs differ in speed by 10-40 %, and a run the
# scheduler put on the other one would count as the build's own difference.
# Replay reads the log on a second thread: compare it with CPU=0,1.
# Prints each side's median and best items/s over all repetitions, and the
# ratio of the medians.
# BASE_CMAKE_ARGS adds CMake arguments to the other build (to compare build
# flags: BASE_CMAKE_ARGS=-DCMAKE_INTERPROCEDURAL_OPTIMIZATION=ON with HEAD).
# Usage (from the repository root, after building build/bench/engine_bench):
#   [CPU=0 | CPU=0,1] [BASE_CMAKE_ARGS=...] bench/compare_engine.sh BASE_REV [ROUNDS=6] [FILTER='BM_Engine$']
set -euo pipefail
base=${1:?usage: bench/compare_engine.sh BASE_REV [ROUNDS] [FILTER]}
rounds=${2:-6}
filter=${3:-'BM_Engine$'}
cpu=${CPU:-0}
head_bin=build/bench/engine_bench
[ -x "$head_bin" ] || { echo "build $head_bin first" >&2; exit 2; }

work=$(mktemp -d /tmp/telltale-compare.XXXXXX)
cleanup() { git worktree remove --force "$work/src" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
git worktree add -q --detach "$work/src" "$base"
cmake -S "$work/src" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTELLTALE_BUILD_TESTS=OFF -DTELLTALE_BUILD_EXAMPLES=OFF ${BASE_CMAKE_ARGS:-} >/dev/null
cmake --build "$work/build" --target engine_bench >/dev/null
base_bin=$work/build/bench/engine_bench

# One run: 3 repetitions, each repetition's items/s on its own line.
run() {
  taskset -c "$cpu" "$1" --benchmark_filter="$filter" --benchmark_repetitions=3 --benchmark_format=csv 2>/dev/null |
    grep '^"' | grep -v '_mean\|_median\|_stddev\|_cv' | awk -F, '{print $7}'
}
: >"$work/base" && : >"$work/head"
for ((i = 1; i <= rounds; i++)); do
  if ((i % 2)); then order="base head"; else order="head base"; fi
  for side in $order; do
    if [ "$side" = base ]; then run "$base_bin" >>"$work/base"; else run "$head_bin" >>"$work/head"; fi
  done
done
summary() { sort -g "$1" | awk '{v[NR]=$1} END {printf "%.0f %.0f %d", v[int((NR+1)/2)], v[NR], NR}'; }
read -r base_median base_best n <<<"$(summary "$work/base")"
read -r head_median head_best _ <<<"$(summary "$work/head")"
echo "$filter, $n repetitions each, alternating on CPU $cpu:"
printf '  %-12s median %8.0f k/s   best %8.0f k/s\n' "$base" "$((base_median / 1000))" "$((base_best / 1000))"
printf '  %-12s median %8.0f k/s   best %8.0f k/s\n' "this build" "$((head_median / 1000))" "$((head_best / 1000))"
awk -v a="$base_median" -v b="$head_median" 'BEGIN {printf "  ratio of medians: %.2fx\n", b / a}'
