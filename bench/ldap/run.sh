#!/bin/bash
# Builds and runs the directory log-in benchmark (see README.md). Needs: dotnet, slapd, ldap-utils, openssl.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${ArtifactsPath:-/tmp/wh-bench}"
export ArtifactsPath="$out"
dotnet build -c Release "$here/LdapBench.csproj" -v q -nologo >/dev/null
exec dotnet "$out/bin/LdapBench/release/LdapBench.dll" "$@"
