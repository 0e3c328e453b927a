# Bootstrap: the build is a C# program (build/); everything else lives there.
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
dotnet run --project build --configuration Release -- @args
exit $LASTEXITCODE
