using Cake.Frosting;
using Wheelhouse.Packaging.Apt;

namespace Wheelhouse.Build.Tasks;

[TaskName("apt")]
[TaskDescription("add the last built .deb files to the signed apt repository in artifacts/apt/ (keeps versions already there)")]
public sealed class AptTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        context.LockArtifacts();
        // The key is checked before anything else: a wrong --signing-key is the caller's mistake to hear first.
        var key = await SigningKey.ResolveAsync(context.SigningKeySpec, context.Artifacts);
        try
        {
            var debs = context.BuiltPackages();
            if (key.IsThrowaway)
            {
                context.Warn(ThrowawayKeyBanner(key.Signer.HomeDirectory));
            }

            var repository = new AptRepository(context.AptDirectory);
            foreach (var added in repository.AddToPool(debs, context.Warn))
            {
                context.Say($"added {added}");
            }

            var timestamp = await context.ResolveTimestampAsync();
            var release = await repository.PublishAsync(new AptRepositoryOptions(context.Suite, context.Architectures, timestamp), key.Signer);
            await key.Signer.ExportPublicKeyAsync(Path.Combine(context.AptDirectory, "wheelhouse-archive-keyring"));
            context.Say($"signed {Path.GetRelativePath(context.RepositoryRoot, release)} with {key.Signer.Fingerprint}; clients use artifacts/apt/wheelhouse-archive-keyring.gpg with signed-by");
        }
        finally
        {
            await key.Signer.StopAgentAsync();
        }
    }

    private static string ThrowawayKeyBanner(string home) => $"""

        ************************************************************************************
        *  NO SIGNING KEY GIVEN: the apt repository is signed with a THROWAWAY TESTING KEY  *
        *  ({home})
        *  Do NOT publish this repository. Give --signing-key or WHEELHOUSE_SIGNING_KEY.    *
        ************************************************************************************
        """;
}
