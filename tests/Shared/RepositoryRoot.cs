using System.Reflection;

namespace Wheelhouse.Testing;

/// <summary>The checkout the tests were built from, so tests can reach templates, scripts and fixtures.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } =
        Assembly.GetExecutingAssembly().GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);
}
