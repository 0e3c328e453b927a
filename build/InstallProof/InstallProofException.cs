namespace Wheelhouse.Build.InstallProof;

/// <summary>A check of the install proof failed, or its infrastructure (container, repository server) did.</summary>
public sealed class InstallProofException : Exception
{
    public InstallProofException(string message) : base(message) { }
    public InstallProofException(string message, Exception inner) : base(message, inner) { }
}
