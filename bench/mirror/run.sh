#!/bin/bash
# Builds the server in Release and runs the mirror benchmark against two instances of it. Needs: dotnet, wrk.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${ArtifactsPath:-/tmp/wh-bench}"
export ArtifactsPath="$out"
dotnet build -c Release "$root/src/Wheelhouse.Server/Wheelhouse.Server.csproj" -v q -nologo >/dev/null
dotnet build -c Release "$here/MirrorBench.csproj" -v q -nologo >/dev/null
server_dll="$out/bin/Wheelhouse.Server/release/wheelhouse-server.dll"
exec dotnet "$out/bin/MirrorBench/release/MirrorBench.dll" "$server_dll" "$@"
