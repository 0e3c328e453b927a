namespace Wheelhouse.Build.InstallProof;

/// <summary>How many checks of an install proof passed, and which failed, for the summary CI reads.</summary>
public sealed class ProofTally
{
    private readonly List<string> _failures = [];

    public int Passed { get; private set; }
    public int Failed => _failures.Count;

    /// <summary>What failed, in order: each a step's name and why.</summary>
    public IReadOnlyList<string> Failures => _failures;

    public void Pass() => Passed++;
    public void Fail(string what) => _failures.Add(what);

    public string ClosingLine => $"{Passed} passed, {Failed} failed";
}
