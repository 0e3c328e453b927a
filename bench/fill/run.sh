#!/bin/bash
# bench/fill (issue 16): wheelhouse-server fill of N projects (default 200) and their dependencies from a loopback
# upstream (python3 -m http.server over a generated PEP 503 tree), against pip download of the same requirements
# alone; then the second, idempotent fill (pinned: pip not run) and a --refresh run (pip re-resolves through the
# mirror's cache). A benchmark, not a test. Needs: dotnet, /usr/bin/python3 with pip, curl.
# Usage: bench/fill/run.sh [N]    Figures are wall-clock seconds; the load average is printed with them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
count="${1:-200}"
out="${ArtifactsPath:-/tmp/wh-bench}"
export ArtifactsPath="$out" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1
dotnet build -c Release "$root/src/Wheelhouse.Server/Wheelhouse.Server.csproj" -v q -nologo >/dev/null
server_dll="$out/bin/Wheelhouse.Server/release/wheelhouse-server.dll"
work="$(mktemp -d /tmp/wh-fill-bench-XXXXXX)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

/usr/bin/python3 "$here/generate.py" "$work/tree" "$count"
up_port="$(free_port)"
(cd "$work/tree" && exec /usr/bin/python3 -I -m http.server --bind 127.0.0.1 --directory "$work/tree" "$up_port" >/dev/null 2>&1) &
pids+=("$!")
port="$(free_port)"
WHEELHOUSE_ROOT_PASSWORD=bench-root dotnet "$server_dll" serve --host 127.0.0.1 --port "$port" --data-dir "$work/data" >"$work/server.log" 2>&1 &
pids+=("$!")
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
  XDG_CACHE_HOME="$work/cache" dotnet "$server_dll" fill bench/offline --requirements "$work/tree/lock.txt" --from bench/up \
    --server "$base" --user bench --password-file "$work/password" "$@" | tail -1
}
seconds() { local start end; start=$(date +%s.%N); "$@" >"$work/last.out"; end=$(date +%s.%N); echo "$end - $start" | bc; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
t_pip=$(seconds pip_alone)
t_fill=$(seconds fill); first=$(cat "$work/last.out")
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
echo "fill / pip alone (mean of both pip runs): $(echo "scale=3; $t_fill * 2 / ($t_pip + $t_pip2)" | bc)"
echo "first:   $first"; echo "second:  $again"; echo "refresh: $refresh"
