namespace Wheelhouse.Packaging.Publishing;

/// <summary>Self-contained publishes of one project for several runtimes, each into <c>&lt;OutputRoot&gt;/&lt;rid&gt;/</c>.</summary>
/// <param name="Version">The package version, stamped as the informational version the server reports; null leaves the project's own.</param>
public sealed record PublishRequest(string RepositoryRoot, string Project, string Configuration, IReadOnlyList<string> RuntimeIdentifiers, string OutputRoot,
    string? Version = null)
{
    public string OutputFor(string runtimeIdentifier) => Path.Combine(OutputRoot, runtimeIdentifier);
}
