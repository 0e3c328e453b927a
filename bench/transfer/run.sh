#!/bin/bash
# Benchmark of import, export and backup (issue 12): a generated devpi export of FILES files of SIZE bytes
# (default 10,000 x 100 KiB = 1 GB) imported, exported from the running server, and backed up while the server serves.
# Usage: bench/transfer/run.sh [FILES] [SIZE] [DURATION]; ROUNDS=3 pairs of page-latency runs. Not a test: it prints figures. OLD_SERVER=path/to/an/older/
# wheelhouse-server also times that one's import right after, for a before/after in the same conditions.
#
# The machine this runs on may be shared, so every figure comes with a reference taken in the same minute:
# - "disk": cp -r of the same export plus a sync of the file system, the rate a plain copy reaches here;
# - page latency: bench/server's load (wrk -t2 -c32 --latency) on a simple page for DURATION, once alone and once
#   while backups run back to back (at the packaged timer's priority: nice 10, idle I/O class), p50 and p99 of both.
# The load average is printed beside each figure.
set -euo pipefail
FILES=${1:-10000}
SIZE=${2:-102400}
DURATION=${3:-10s}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /var/tmp/wh-bench-transfer.XXXXXX)
trap 'kill "${SERVER:-}" "${BACKUPS:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
command -v wrk >/dev/null || { echo "bench/transfer needs wrk (apt-get install wrk)" >&2; exit 1; }
dotnet publish "$ROOT/src/Wheelhouse.Server" -c Release -o "$WORK/server" --nologo -v quiet >/dev/null
WH="$WORK/server/wheelhouse-server"
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
latency() { wrk -t2 -c32 -d"$DURATION" --latency "$URL" | awk '/^ +50%/ {p50 = $2} /^ +99%/ {p99 = $2} /Requests\/sec/ {rps = $2} END {print p50, p99, rps}'; }
curl -sf "$URL" >/dev/null
# Alone and during back-to-back backups, alternating ROUNDS times, so that the shared machine's load drifts over both.
# The backups' own clean-up (deleting each backup's 10,000 links) is left until after the measurement: it is the
# benchmark's, not the backup's.
backups() {
    (
        n=0
        while true; do
            # as the packaged wheelhouse-server-backup.service runs it (Nice=10, IOSchedulingClass=idle, CPUSchedulingPolicy=idle)
            nice -n 10 chrt -i 0 ionice -c 3 "$WH" backup "$WORK/backups/$1-$n" --data-dir "$WORK/data" >/dev/null 2>&1
            echo done >> "$WORK/backups-done"
            n=$((n + 1))
        done
    ) &
    BACKUPS=$!
}
mkdir -p "$WORK/backups"
for round in $(seq "${ROUNDS:-3}"); do
    l=$(load); read -r base50 base99 baserps < <(latency)
    echo "round $round: page latency alone (load $l): p50 $base50, p99 $base99, $baserps requests/s"
    : > "$WORK/backups-done"
    backups "$round"
    sleep 0.5
    l=$(load); read -r dur50 dur99 durrps < <(latency)
    kill $(pgrep -P "$BACKUPS") "$BACKUPS" 2>/dev/null || true; wait "$BACKUPS" 2>/dev/null || true; BACKUPS=
    echo "round $round: page latency during back-to-back backups (load $l, $(wc -l < "$WORK/backups-done") backups finished): p50 $dur50, p99 $dur99, $durrps requests/s"
    rm -rf "$WORK/backups"/*
done

l=$(load); t=$(timed "$WH" backup "$WORK/backup" --data-dir "$WORK/data")
echo "backup alone (server running, hard links; load $l): $(rate $BYTES "$t")"
l=$(load); t=$(timed "$WH" restore "$WORK/backup" --data-dir "$WORK/restored")
echo "restore (copies, sha256 checked, then check; load $l): $(rate $BYTES "$t"), $(echo "scale=2; $disk / $t" | bc) x the disk reference"
