#!/bin/bash
# Publishes the server as the .deb ships it (bench/publish-server.sh) and runs the scale benchmark against it:
# bench/server's figures on 1,000 and on 100,000 projects (1,000,000 files), with the cost ratio of each.
# Data sets are generated once and kept in $WH_SCALE_CACHE (default /var/tmp/wh-scale). Needs: dotnet, wrk.
# Usage: bench/scale/run.sh [--sizes 1000,100000] [--duration 10s] [...]; ScaleBench without arguments lists them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export ArtifactsPath="${ArtifactsPath:-/tmp/wh-bench}"
server="$("$here/../publish-server.sh" bench-scale)"
dotnet build -c Release "$here/ScaleBench.csproj" -v q -nologo >/dev/null
exec dotnet "$ArtifactsPath/bin/ScaleBench/release/ScaleBench.dll" "$server" "$@"
