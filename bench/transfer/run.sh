#!/bin/bash
# Benchmark of import, export and backup (issue 12): a generated devpi export of FILES files of SIZE bytes
# (default 10,000 x 100 KiB = 1 GB) imported, exported from the running server, and backed up while the server serves.
# Usage: bench/transfer/run.sh [FILES] [SIZE] [DURATION]. Not a test: it prints figures.
#   ROUNDS=6   paired page-latency rounds (alone / during backups, their order alternating round by round)
#   PACE=      the backups' --pace during the rounds (default: none given, the command's default, as the package runs it)
#   OLD_SERVER=path/to/an/older/wheelhouse-server also times that one's import right after, for a before/after.
#
# The server is published as the .deb ships it (bench/publish-server.sh: self-contained, ReadyToRun), and backups run
# as the packaged wheelhouse-server-backup.service runs them (Nice=10, IOSchedulingClass=idle,
# CPUSchedulingPolicy=idle, the default --pace). The machine this runs on may be shared, so every figure comes with
# the load average and a reference taken in the same minute ("disk": cp -r of the same export plus a sync).
# The last two blocks, "issue 12 aim", print what the aim is judged on (the steady load) and the same at saturation:
# page p50, p99 and requests/s alone and during backups (medians of the rounds, and the median of each round's paired
# change), and the backups' duration.
set -euo pipefail
FILES=${1:-10000}
ROUNDS=${ROUNDS:-6}
SIZE=${2:-102400}
DURATION=${3:-10s}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /var/tmp/wh-bench-transfer.XXXXXX)
trap '[ -n "${BACKUPS:-}" ] && stop_backups; kill "${SERVER:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
command -v wrk >/dev/null || { echo "bench/transfer needs wrk (apt-get install wrk)" >&2; exit 1; }
WH=$(ArtifactsPath="$WORK/artifacts" "$ROOT/bench/publish-server.sh" transfer)
python3 "$HERE/generate.py" "$WORK/export" "$FILES" "$SIZE"
BYTES=$((FILES * SIZE))
sync
load() { cut -d' ' -f1 /proc/loadavg; }
rate() { python3 -c "import sys; b, s = int(sys.argv[1]), float(sys.argv[2]); print(f'{s:.1f} s, {b / s / 1e6:.0f} MB/s')" "$@"; }
timed() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }

l=$(load); disk=$(timed sh -c "cp -r '$WORK/export' '$WORK/copy' && sync -f '$WORK/copy'"); rm -rf "$WORK/copy"; sync
echo "disk (cp -r + sync, load $l): $FILES files, $((BYTES / 1000000)) MB: $(rate $BYTES "$disk")"
l=$(load); t0=$(date +%s.%N); "$WH" import "$WORK/export" --data-dir "$WORK/data" > "$WORK/import.out" 2>/dev/null; t=$(echo "$(date +%s.%N) - $t0" | bc)
[ -n "${OLD_SERVER:-}" ] && { l2=$(load); t2=$(timed "$OLD_SERVER" import "$WORK/export" --data-dir "$WORK/data-old"); rm -rf "$WORK/data-old"; echo "import by OLD_SERVER (load $l2): $(rate $BYTES "$t2")"; }
echo "import (load $l): $(rate $BYTES "$t"), $(echo "scale=2; $disk / $t" | bc) x the disk reference"
grep '^time taken' "$WORK/import.out" | sed 's/^/  import /'

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
WHEELHOUSE_LOG_LEVEL=Warning "$WH" serve --data-dir "$WORK/data" --port "$PORT" >/dev/null 2>&1 &
SERVER=$!
until curl -sf "http://127.0.0.1:$PORT/+status" >/dev/null; do sleep 0.1; done
l=$(load); t=$(timed "$WH" export "$WORK/export2" --data-dir "$WORK/data")
echo "export (server running, same file system: hard links; load $l): $(rate $BYTES "$t"), $(echo "scale=2; $disk / $t" | bc) x the disk reference"
rm -rf "$WORK/export2"

URL="http://127.0.0.1:$PORT/bench/dev/+simple/bench-0042/"
# Two loads: "saturated" (wrk as fast as it can, the server using both cores: the idle-class backup then gets no CPU
# and only its I/O and start show) and "steady" (16 connections each pausing 1 ms between requests, about 10,000
# requests/s, a busy index with CPU to spare: latency is measured where it is not the length of a queue, and the
# backup runs). The aim is judged on the steady load.
printf 'function delay()\n    return 1\nend\n' > "$WORK/steady.lua"
latency() {
    local args=(-t2 -c32); [ "$1" = steady ] && args=(-t2 -c16 -s "$WORK/steady.lua")
    wrk "${args[@]}" -d"$DURATION" --latency "$URL" | awk '/^ +50%/ {p50 = $2} /^ +99%/ {p99 = $2} /Requests\/sec/ {rps = $2} END {print p50, p99, rps}'
}
curl -sf "$URL" >/dev/null
# As the packaged wheelhouse-server-backup.service runs a backup (Nice=10, IOSchedulingClass=idle,
# CPUSchedulingPolicy=idle), with the default --pace unless PACE says otherwise.
backup_as_packaged() { nice -n 10 chrt -i 0 ionice -c 3 "$WH" backup "$@" --data-dir "$WORK/data" ${PACE:+--pace "$PACE"}; }
# Backups back to back, each one's wall and CPU time (and its own summary line) appended to $WORK/backups.log.
backups() {
    (
        n=0
        while true; do
            /usr/bin/time -f "time %e %U %S" -a -o "$WORK/backups.log" nice -n 10 chrt -i 0 ionice -c 3 \
                "$WH" backup "$WORK/backups/$1-$n" --data-dir "$WORK/data" ${PACE:+--pace "$PACE"} >> "$WORK/backups.log" 2>/dev/null
            n=$((n + 1))
        done
    ) &
    BACKUPS=$!
}
# The loop first, so that it starts no more; then each /usr/bin/time and the backup it runs.
stop_backups() {
    local kids; kids=$(pgrep -P "$BACKUPS" || true)
    kill "$BACKUPS" 2>/dev/null || true
    for kid in $kids; do kill $(pgrep -P "$kid") "$kid" 2>/dev/null || true; done
    wait "$BACKUPS" 2>/dev/null || true; BACKUPS=
    while pgrep -f "$WORK/backups/" >/dev/null; do sleep 0.1; done
}
# Each measurement starts on a settled file system: the previous round's backups deleted and synced (deleting their
# links is the benchmark's work, not the backup's), then a second's pause.
settle() { rm -rf "$WORK/backups"/*; sync; sleep 1; }
alone() {
    settle
    local l; l=$(load); read -r p50 p99 rps < <(latency "$2")
    echo "round $1, $2 load: page alone (load $l): p50 $p50, p99 $p99, $rps requests/s"
    echo "$1 alone $l $p50 $p99 $rps 0" >> "$WORK/rounds.$2"
}
during() {
    settle
    : > "$WORK/backups.log"
    backups "$1"
    sleep 0.5
    local l; l=$(load); read -r p50 p99 rps < <(latency "$2")
    stop_backups
    local finished; finished=$(grep -c '^backed up' "$WORK/backups.log" || true)
    echo "round $1, $2 load: page during back-to-back backups (load $l, $finished finished): p50 $p50, p99 $p99, $rps requests/s"
    echo "$1 during $l $p50 $p99 $rps $finished" >> "$WORK/rounds.$2"
    grep -h '^time \|^backed up' "$WORK/backups.log" >> "$WORK/backups.$2" || true
}
mkdir -p "$WORK/backups"
for mode in steady saturated; do : > "$WORK/rounds.$mode"; : > "$WORK/backups.$mode"; done
for round in $(seq "$ROUNDS"); do
    for mode in steady saturated; do
        if [ $((round % 2)) -eq 1 ]; then alone "$round" $mode; during "$round" $mode; else during "$round" $mode; alone "$round" $mode; fi
    done
done
settle

l=$(load); t=$(timed backup_as_packaged "$WORK/backup-paced")
echo "backup alone at the packaged priority and pace (server idle; load $l): $(rate $BYTES "$t")"
rm -rf "$WORK/backup-paced"; sync
l=$(load); t=$(timed "$WH" backup "$WORK/backup" --data-dir "$WORK/data" --pace 100)
echo "backup alone at full speed (--pace 100, normal priority, server idle; load $l): $(rate $BYTES "$t")"
l=$(load); t=$(timed "$WH" restore "$WORK/backup" --data-dir "$WORK/restored")
echo "restore (copies, sha256 checked, then check; load $l): $(rate $BYTES "$t"), $(echo "scale=2; $disk / $t" | bc) x the disk reference"

echo
python3 "$HERE/summary.py" "$WORK/rounds.steady" "$WORK/backups.steady" "$BYTES" "steady load (judged)"
python3 "$HERE/summary.py" "$WORK/rounds.saturated" "$WORK/backups.saturated" "$BYTES" "saturated (both cores busy)"
