#!/bin/bash
# Publishes the server as the .deb ships it (bench/publish-server.sh) and measures the web pages and search on 10,000
# projects and 50,000 files. The data set is generated once and kept in $WH_WEB_CACHE (default /var/tmp/wh-web).
# Needs: dotnet, wrk. Usage: bench/web/run.sh [--duration 10s]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export ArtifactsPath="${ArtifactsPath:-/tmp/wh-bench}"
server="$("$here/../publish-server.sh" bench-web)"
dotnet build -c Release "$here/WebBench.csproj" -v q -nologo >/dev/null
exec dotnet "$ArtifactsPath/bin/WebBench/release/WebBench.dll" "$server" "${WH_WEB_CACHE:-/var/tmp/wh-web}" "$@"
