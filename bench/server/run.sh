#!/bin/bash
# Publishes the server as the .deb ships it (self-contained, ReadyToRun, this machine's runtime) and runs the benchmark
# against that executable. Needs: dotnet, wrk.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${ArtifactsPath:-/tmp/wh-bench}"
export ArtifactsPath="$out"
case "$(uname -m)" in
    aarch64) rid=linux-arm64 ;;
    *) rid=linux-x64 ;;
esac
published="$out/bench-server-$rid"
dotnet publish "$root/src/Wheelhouse.Server/Wheelhouse.Server.csproj" -c Release -r "$rid" --self-contained -o "$published" -v q -nologo >/dev/null
dotnet build -c Release "$here/ServerBench.csproj" -v q -nologo >/dev/null
exec dotnet "$out/bin/ServerBench/release/ServerBench.dll" "$published/wheelhouse-server" "$@"
