#!/bin/bash
# Publishes the server as the .deb ships it (self-contained, ReadyToRun, this machine's runtime) and runs the scale
# benchmark against it: bench/server's figures on 1,000 and on 100,000 projects (1,000,000 files), with the cost ratio.
# Data sets are generated once and kept in $WH_SCALE_CACHE (default /var/tmp/wh-scale). Needs: dotnet, wrk.
# Usage: bench/scale/run.sh [--sizes 1000,100000] [--duration 10s] [...]; ScaleBench without arguments lists them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${ArtifactsPath:-/tmp/wh-bench}"
export ArtifactsPath="$out"
case "$(uname -m)" in
    aarch64) rid=linux-arm64 ;;
    *) rid=linux-x64 ;;
esac
published="$out/bench-scale-$rid"
dotnet publish "$root/src/Wheelhouse.Server/Wheelhouse.Server.csproj" -c Release -r "$rid" --self-contained -o "$published" -v q -nologo >/dev/null
dotnet build -c Release "$here/ScaleBench.csproj" -v q -nologo >/dev/null
exec dotnet "$out/bin/ScaleBench/release/ScaleBench.dll" "$published/wheelhouse-server" "$@"
