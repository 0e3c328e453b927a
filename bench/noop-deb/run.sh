#!/usr/bin/env bash
# Benchmark (not a test): wall time of a full `./build.sh deb` in a fresh clone, then of a no-op one right after.
# Aim: the no-op under 10 s. Usage: bench/noop-deb/run.sh [extra build options, e.g. --compression zstd]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$repo" "$work/clone"
cd "$work/clone"
# Fixed version and timestamp: the no-op must not depend on commits landing meanwhile.
opts=(--version 0.0.0~bench-1 --source-date-epoch 1700000000 "$@")
time_of() { local start end; start=$(date +%s.%N); "$@" >"$work/log" 2>&1 || { cat "$work/log"; exit 1; }; end=$(date +%s.%N); echo "$end - $start" | bc; }
full=$(time_of ./build.sh deb "${opts[@]}")
noop=$(time_of ./build.sh deb "${opts[@]}")
printf 'machine: %s cores, load %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'full ./build.sh deb %s: %.1f s\nno-op right after:  %.1f s (aim < 10 s)\n' "${opts[*]}" "$full" "$noop"
