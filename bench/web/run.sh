#!/bin/bash
# Publishes the server as the .deb ships it (self-contained, ReadyToRun, this machine's runtime) and measures the web
# pages and search on 10,000 projects and 50,000 files. The data set is generated once and kept in $WH_WEB_CACHE
# (default /var/tmp/wh-web). Needs: dotnet, wrk. Usage: bench/web/run.sh [--duration 10s]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${ArtifactsPath:-/tmp/wh-bench}"
export ArtifactsPath="$out"
case "$(uname -m)" in
    aarch64) rid=linux-arm64 ;;
    *) rid=linux-x64 ;;
esac
published="$out/bench-web-$rid"
dotnet publish "$root/src/Wheelhouse.Server/Wheelhouse.Server.csproj" -c Release -r "$rid" --self-contained -o "$published" -v q -nologo >/dev/null
dotnet build -c Release "$here/WebBench.csproj" -v q -nologo >/dev/null
exec dotnet "$out/bin/WebBench/release/WebBench.dll" "$published/wheelhouse-server" "${WH_WEB_CACHE:-/var/tmp/wh-web}" "$@"
