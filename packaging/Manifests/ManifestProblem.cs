namespace Wheelhouse.Packaging.Manifests;

/// <summary>One thing wrong with a manifest, located so the author can go straight to it.</summary>
public sealed record ManifestProblem(string File, long Line, long Column, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}

/// <summary>Thrown when manifests are loaded for a build and any of them is invalid; lists every problem.</summary>
public sealed class ManifestException(IReadOnlyList<ManifestProblem> problems)
    : Exception("invalid package manifest:\n  " + string.Join("\n  ", problems))
{
    public IReadOnlyList<ManifestProblem> Problems { get; } = problems;
}
