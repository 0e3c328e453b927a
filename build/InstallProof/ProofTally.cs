namespace Wheelhouse.Build.InstallProof;

/// <summary>How many checks of an install proof passed and failed, for the closing line CI reads.</summary>
public sealed class ProofTally
{
    public int Passed { get; private set; }
    public int Failed { get; private set; }

    public void Pass() => Passed++;
    public void Fail() => Failed++;

    public string ClosingLine => $"{Passed} passed, {Failed} failed";
}
