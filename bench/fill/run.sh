#!/bin/bash
# bench/fill (issue 16): wheelhouse-server fill of N projects (default 200) and their dependencies from a loopback
# upstream (python3 -m http.server over a generated PEP 503 tree), against pip download of the same requirements
# alone; then the second, idempotent fill (pinned: pip not run) and a --refresh run (pip re-resolves through the
# mirror's cache). The server is published as the .deb ships it (bench/publish-server.sh). A benchmark, not a test.
# Needs: dotnet, /usr/bin/python3 with pip, curl, bc.
# Usage: [WH_BENCH_SERVER=path] [UPSTREAM_DELAY_MS=n] [WARM_UP=N] [ROUNDS=N] bench/fill/run.sh [N]
# Figures are wall-clock seconds; the load average is printed with them, and for the first fill the server's CPU time,
# the upstream requests (both runs of pip alone make the same number) and commits. ROUNDS=N measures N times, a
# freshly started server each round, and judges the aims on the median ratio and the slowest second fill: on a small
# machine pip alone swings by 15 % between minutes, as much as the gap it is compared with.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
count="${1:-200}"
out="${ArtifactsPath:-/tmp/wh-bench}"
export ArtifactsPath="$out" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1
# WH_BENCH_SERVER: an already published wheelhouse-server to measure instead (paired runs of two builds).
server="${WH_BENCH_SERVER:-$("$here/../publish-server.sh" bench-fill)}"
work="$(mktemp -d /tmp/wh-fill-bench-XXXXXX)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

/usr/bin/python3 "$here/generate.py" "$work/tree" "$count"
# WARM_UP=N: first fill N other trees of the same size (same names, other content) through other mirrors, each time
# letting the server settle: what is then timed is a first fill on a server that has been running, not on one just started.
for w in $(seq 1 "${WARM_UP:-0}"); do /usr/bin/python3 "$here/generate.py" "$work/tree/warm$w" "$count" "warm$w" >/dev/null; done
up_port="$(free_port)"
# UPSTREAM_DELAY_MS: hold each upstream answer back that long (a distant index's round trip; loopback has none).
if [ "${UPSTREAM_DELAY_MS:-0}" = 0 ]; then
  (cd "$work/tree" && exec /usr/bin/python3 -I -m http.server --bind 127.0.0.1 --directory "$work/tree" "$up_port" >/dev/null 2>"$work/upstream.log") &
else
  (cd "$work/tree" && exec /usr/bin/python3 -I "$here/upstream.py" "$work/tree" "$up_port" "$UPSTREAM_DELAY_MS" >/dev/null 2>"$work/upstream.log") &
fi
pids+=("$!")
# One round: a freshly started server with its own data directory (the upstream and the trees are shared).
one_round() {
  local round=$1
  port="$(free_port)"
  WHEELHOUSE_ROOT_PASSWORD=bench-root "$server" serve --host 127.0.0.1 --port "$port" --data-dir "$work/data$round" >"$work/server$round.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do curl -sf "$base/+status" >/dev/null && curl -sf "http://127.0.0.1:$up_port/simple/" >/dev/null && break; sleep 0.1; done
  curl -sf -X PUT -H 'Content-Type: application/json' -d '{"password": "bench-pw"}' "$base/bench" >/dev/null
  curl -sf -u bench:bench-pw -X PUT -H 'Content-Type: application/json' \
    -d "{\"type\": \"mirror\", \"mirror_url\": \"http://127.0.0.1:$up_port/simple/\"}" "$base/bench/up" >/dev/null
  curl -sf -u bench:bench-pw -X PUT -H 'Content-Type: application/json' -d '{"bases": [], "volatile": false}' "$base/bench/offline" >/dev/null
  echo bench-pw >"$work/password"
  pip_alone() {
    rm -rf "$work/pip-alone"
    /usr/bin/python3 -m pip download --isolated --disable-pip-version-check --no-cache-dir --progress-bar off --only-binary :all: \
      --index-url "http://127.0.0.1:$up_port/simple/" --dest "$work/pip-alone" --requirement "$work/tree/lock.txt" >/dev/null
  }
  fill() {
    XDG_CACHE_HOME="$work/cache$round" "$server" fill bench/offline --requirements "$work/tree/lock.txt" --from bench/up \
      --server "$base" --user bench --password-file "$work/password" "$@" | tail -1
  }
  upstream_requests() { grep -c '"GET ' "$work/upstream.log" || true; }
  server_cpu() { awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$server_pid/stat"; }
  idle_server() { # until the server used under 5 % of a core over a second (its background compilation done), at most 30 s
    local before after
    for _ in $(seq 1 30); do
      before=$(server_cpu); sleep 1; after=$(server_cpu)
      [ "$(echo "$after - $before < 0.05" | bc)" = 1 ] && return
    done
  }
  commits() { curl -sf "$base/+metrics" | awk '/^wheelhouse_storage_operation_seconds_count\{operation="commit"\}/ {print $2}'; }
  seconds() { local start end; start=$(date +%s.%N); "$@" >"$work/last.out"; end=$(date +%s.%N); echo "$end - $start" | bc; }

  for w in $(seq 1 "${WARM_UP:-0}"); do
    curl -sf -u bench:bench-pw -X PUT -H 'Content-Type: application/json' \
      -d "{\"type\": \"mirror\", \"mirror_url\": \"http://127.0.0.1:$up_port/warm$w/simple/\"}" "$base/bench/warm-up$w" >/dev/null
    curl -sf -u bench:bench-pw -X PUT -H 'Content-Type: application/json' -d '{"bases": [], "volatile": false}' "$base/bench/warm$w" >/dev/null
    XDG_CACHE_HOME="$work/cache$round" "$server" fill "bench/warm$w" --requirements "$work/tree/warm$w/lock.txt" --from "bench/warm-up$w" \
      --server "$base" --user bench --password-file "$work/password" | tail -1
    idle_server
  done
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); upstream delay ${UPSTREAM_DELAY_MS:-0} ms; warm-up ${WARM_UP:-0}"
  ready=$(upstream_requests)
  t_pip=$(seconds pip_alone)
  requests0=$(upstream_requests); cpu0=$(server_cpu); commits0=$(commits)
  t_fill=$(seconds fill); first=$(cat "$work/last.out")
  requests1=$(upstream_requests); cpu1=$(server_cpu); commits1=$(commits)
  t_again=$(seconds fill); again=$(cat "$work/last.out")
  t_refresh=$(seconds fill --refresh); refresh=$(cat "$work/last.out")
  t_pip2=$(seconds pip_alone)
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "files in the lock: $(grep -c . "$work/tree/lock.txt")"
  printf '%-58s %8.2f s\n' "pip download alone, from the upstream" "$t_pip" \
    "fill, first run (pip through the mirror + copy)" "$t_fill" \
    "fill, second run (pinned lock filled before: pip not run)" "$t_again" \
    "fill --refresh (pip again, through the mirror's cache)" "$t_refresh" \
    "pip download alone again (after the fills)" "$t_pip2"
  ratio=$(echo "scale=3; $t_fill * 2 / ($t_pip + $t_pip2)" | bc)
  echo "fill / pip alone (mean of both pip runs): $ratio"
  echo "aim 1 (first fill within 1.10x of pip alone): $(if [ "$(echo "$ratio <= 1.10" | bc)" = 1 ]; then echo met; else echo "NOT met"; fi) ($ratio)"
  echo "aim 2 (second fill under 1 s): $(if [ "$(echo "$t_again < 1" | bc)" = 1 ]; then echo met; else echo "NOT met"; fi) ($(printf '%.2f' "$t_again") s)"
  echo "first fill: server CPU $(echo "$cpu1 - $cpu0" | bc) s, upstream requests $((requests1 - requests0)) (pip alone: $((requests0 - ready))), commits $(echo "${commits1:-0} - ${commits0:-0}" | bc)"
  echo "first:   $first"; echo "second:  $again"; echo "refresh: $refresh"
  echo "$ratio $t_again" >>"$work/rounds"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
}

rounds="${ROUNDS:-1}"
for r in $(seq 1 "$rounds"); do
  [ "$rounds" = 1 ] || echo "--- round $r of $rounds"
  one_round "$r"
done
if [ "$rounds" != 1 ]; then
  median=$(sort -n "$work/rounds" | awk '{r[NR] = $1} END {print (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2}')
  slowest=$(sort -k2 -n "$work/rounds" | tail -1 | cut -d" " -f2)
  echo "--- $rounds rounds: fill / pip alone $(cut -d" " -f1 "$work/rounds" | paste -sd" "), median $median; second fill at most $(printf '%.2f' "$slowest") s"
  echo "aim 1 over the rounds (median within 1.10x): $(if [ "$(echo "$median <= 1.10" | bc)" = 1 ]; then echo met; else echo "NOT met"; fi) ($median)"
  echo "aim 2 over the rounds (every second fill under 1 s): $(if [ "$(echo "$slowest < 1" | bc)" = 1 ]; then echo met; else echo "NOT met"; fi)"
fi
