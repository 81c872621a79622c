#!/usr/bin/env bash
# Counts the system calls the tracking thread makes during 1,000,000 track()
# calls (strace -f; the thread's lines between the BEGIN and END markers).
# Usage: bench/track_syscalls.sh [build dir]
set -euo pipefail
build=${1:-build}
command -v strace >/dev/null || { echo "needs strace (apt-get install strace)"; exit 2; }
trace=$(mktemp)
tid=$(strace -f -o "$trace" "$build/bench/track_syscalls")
count=$(awk -v tid="$tid" '$1 == tid' "$trace" | sed -n '/BEGIN/,/END/p' | grep -vc -e BEGIN -e END || true)
echo "system calls by the tracking thread during 1,000,000 track() calls: $count"
rm -f "$trace"
