#!/usr/bin/env bash
# Bootstrap: the build is a C# program (build/); everything else lives there.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
exec dotnet run --project build --configuration Release -- "$@"
