namespace Wheelhouse.Packaging.Publishing;

/// <summary>Self-contained publishes of one project for several runtimes, each into <c>&lt;OutputRoot&gt;/&lt;rid&gt;/</c>.</summary>
public sealed record PublishRequest(string RepositoryRoot, string Project, string Configuration, IReadOnlyList<string> RuntimeIdentifiers, string OutputRoot)
{
    public string OutputFor(string runtimeIdentifier) => Path.Combine(OutputRoot, runtimeIdentifier);
}
