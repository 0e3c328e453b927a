using Wheelhouse.Packaging.Apt;

namespace Wheelhouse.Build.InstallProof;

/// <summary>
/// A signed apt repository private to one proof run, written by the release pipeline's own code (pool, indexes,
/// Release, InRelease) and signed with the build's key. Kept apart from artifacts/apt so test builds never mix
/// with what gets released.
/// </summary>
public sealed class ProofRepository(string root, string suite, string architecture, string? signingKeySpec, string artifactsDirectory, TextWriter log)
{
    public string Root { get; } = root;

    /// <summary>The binary public key apt's signed-by takes, written by every publish.</summary>
    public string KeyringFile => Path.Combine(Root, "wheelhouse-archive-keyring.gpg");

    public async Task PublishAsync(IEnumerable<string> debs)
    {
        var key = await SigningKey.ResolveAsync(signingKeySpec, artifactsDirectory);
        try
        {
            var repository = new AptRepository(Root);
            foreach (var added in repository.AddToPool(debs, warning => log.WriteLine($"  warning: {warning}")))
            {
                log.WriteLine($"  repository: added {added}");
            }
            // Now, not the commit time: the second publish of a run must look newer to apt than the first.
            var timestamp = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            await repository.PublishAsync(new AptRepositoryOptions(suite, [architecture], timestamp), key.Signer);
            await key.Signer.ExportPublicKeyAsync(Path.Combine(Root, "wheelhouse-archive-keyring"));
            log.WriteLine($"  repository: {Root} signed with {key.Signer.Fingerprint}{(key.IsThrowaway ? " (throwaway testing key)" : "")}");
        }
        finally
        {
            await key.Signer.StopAgentAsync();
        }
    }
}
