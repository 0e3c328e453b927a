#!/bin/bash
# Benchmark of import, export and backup (issue 12): a generated devpi export of FILES files of SIZE bytes
# (default 10,000 x 100 KiB = 1 GB) imported, exported from the running server, and backed up while a client
# fetches a simple page back to back (its latency compared with the same client without a backup running).
# Usage: bench/transfer/run.sh [FILES] [SIZE]. Not a test: it prints figures.
set -euo pipefail
FILES=${1:-10000}
SIZE=${2:-102400}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /var/tmp/wh-bench-transfer.XXXXXX)
trap 'kill "${SERVER:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
dotnet publish "$ROOT/src/Wheelhouse.Server" -c Release -o "$WORK/server" --nologo -v quiet >/dev/null
WH="$WORK/server/wheelhouse-server"
python3 "$(dirname "$0")/generate.py" "$WORK/export" "$FILES" "$SIZE"
BYTES=$((FILES * SIZE))
sync
rate() { python3 -c "import sys; b, s = int(sys.argv[1]), float(sys.argv[2]); print(f'{s:.1f} s, {b / s / 1e6:.0f} MB/s')" "$@"; }
t0=$(date +%s.%N); "$WH" import "$WORK/export" --data-dir "$WORK/data" 2>/dev/null | tail -1 >/dev/null; t1=$(date +%s.%N)
echo "import:  $FILES files, $((BYTES / 1000000)) MB: $(rate $BYTES "$(echo "$t1 - $t0" | bc)")"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
WHEELHOUSE_LOG_LEVEL=Warning "$WH" serve --data-dir "$WORK/data" --port "$PORT" >/dev/null 2>&1 &
SERVER=$!
until curl -sf "http://127.0.0.1:$PORT/+status" >/dev/null; do sleep 0.1; done
t0=$(date +%s.%N); "$WH" export "$WORK/export2" --data-dir "$WORK/data" >/dev/null 2>&1; t1=$(date +%s.%N)
echo "export (server running, same file system: hard links): $(rate $BYTES "$(echo "$t1 - $t0" | bc)")"
URL="http://127.0.0.1:$PORT/bench/dev/+simple/bench-0042/"
read -r base_med base_p95 base_n < <(python3 "$(dirname "$0")/latency.py" "$URL" 5)
python3 "$(dirname "$0")/latency.py" "$URL" 8 > "$WORK/during" &
LAT=$!
sleep 0.5
t0=$(date +%s.%N); "$WH" backup "$WORK/backup" --data-dir "$WORK/data" >/dev/null 2>&1; t1=$(date +%s.%N)
wait $LAT
read -r during_med during_p95 during_n < "$WORK/during"
echo "backup (server running, hard links): $(rate $BYTES "$(echo "$t1 - $t0" | bc)")"
echo "page latency, median / p95 ms: without backup $base_med / $base_p95 ($base_n requests), during an 8 s window holding the backup $during_med / $during_p95 ($during_n requests)"
t0=$(date +%s.%N); "$WH" restore "$WORK/backup" --data-dir "$WORK/restored" >/dev/null 2>&1; t1=$(date +%s.%N)
echo "restore (copies, sha256 checked, then check): $(rate $BYTES "$(echo "$t1 - $t0" | bc)")"
