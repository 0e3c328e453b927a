#!/bin/bash
# Publishes wheelhouse-server as the .deb ships it (self-contained, ReadyToRun, this machine's runtime) into
# $ArtifactsPath (default /tmp/wh-bench) as NAME-<rid>, and prints the executable's path. Usage: publish-server.sh NAME
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${ArtifactsPath:-/tmp/wh-bench}"
case "$(uname -m)" in
    aarch64) rid=linux-arm64 ;;
    *) rid=linux-x64 ;;
esac
published="$out/$1-$rid"
ArtifactsPath="$out" dotnet publish "$root/src/Wheelhouse.Server/Wheelhouse.Server.csproj" -c Release -r "$rid" --self-contained -o "$published" -v q -nologo >/dev/null
echo "$published/wheelhouse-server"
