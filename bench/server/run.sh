#!/bin/bash
# Publishes the server as the .deb ships it (self-contained, ReadyToRun, this machine's runtime) and runs the benchmark
# against that executable. Needs: dotnet, wrk.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export ArtifactsPath="${ArtifactsPath:-/tmp/wh-bench}"
server="$("$here/../publish-server.sh" bench-server)"
dotnet build -c Release "$here/ServerBench.csproj" -v q -nologo >/dev/null
exec dotnet "$ArtifactsPath/bin/ServerBench/release/ServerBench.dll" "$server" "$@"
