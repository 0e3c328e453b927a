namespace Wheelhouse.Build.InstallProof;

/// <summary>One thing the install proof shows; the class name says what, <see cref="Claim"/> says it in a sentence.</summary>
public interface IProofStep
{
    /// <summary>What this step proves, printed before it runs ("the service runs as its own system user").</summary>
    string Claim { get; }

    /// <summary>Checks the claim; throws <see cref="InstallProofException"/> with what was wrong when it does not hold.</summary>
    Task RunAsync(ProofContext context);
}
