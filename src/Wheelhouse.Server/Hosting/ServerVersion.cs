using System.Reflection;

namespace Wheelhouse.Server.Hosting;

/// <summary>
/// The version this server reports (X-Devpi-Server-Version, /+status, the ready line, <c>--version</c>): the package
/// version the build stamps as the assembly's informational version (<c>-p:InformationalVersion</c>, see the publish
/// target), whole, so it reads exactly as <c>dpkg -s wheelhouse-server</c> does.
/// </summary>
public static class ServerVersion
{
    /// <summary>What a build without a stamp (a developer's <c>dotnet run</c>, the tests) reports.</summary>
    public const string Unstamped = "0.0.0+unstamped";

    public static string Current { get; } =
        From(typeof(ServerVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    internal static string From(string? informationalVersion) =>
        string.IsNullOrEmpty(informationalVersion) ? Unstamped : informationalVersion;
}
