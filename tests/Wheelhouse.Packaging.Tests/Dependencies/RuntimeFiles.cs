namespace Wheelhouse.Packaging.Tests.Dependencies;

/// <summary>Real .NET native files to read: the running runtime (x64 here) and the linux-arm64 runtime pack.</summary>
internal static class RuntimeFiles
{
    /// <summary>The shared runtime directory of the process running the tests (holds libcoreclr.so etc.).</summary>
    public static string CurrentRuntimeDirectory => Path.GetDirectoryName(typeof(object).Assembly.Location)!;

    /// <summary>
    /// The native directory of the Microsoft.NETCore.App.Runtime.linux-arm64 pack in the NuGet cache, which any
    /// `dotnet publish -r linux-arm64` (./build.sh deb) restores.
    /// </summary>
    public static string Arm64RuntimeNativeDirectory()
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var pack = Path.Combine(root, "microsoft.netcore.app.runtime.linux-arm64");
        var version = typeof(object).Assembly.GetName().Version!;
        var candidates = Directory.Exists(pack)
            ? Directory.GetDirectories(pack).Where(d => Path.GetFileName(d).StartsWith($"{version.Major}.", StringComparison.Ordinal)).Order().ToList()
            : [];
        candidates.Should().NotBeEmpty(
            $"the linux-arm64 runtime pack must be in {pack}; restore it with 'dotnet restore src/Wheelhouse.Server -r linux-arm64' (./build.sh deb does)");
        return Path.Combine(candidates[^1], "runtimes", "linux-arm64", "native");
    }
}
