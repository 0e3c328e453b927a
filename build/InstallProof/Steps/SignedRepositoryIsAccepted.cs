namespace Wheelhouse.Build.InstallProof.Steps;

/// <summary>
/// apt accepts our repository the way the README tells ops to add it: the key in /usr/share/keyrings and a
/// <c>signed-by</c> source line. Debian's own sources are dropped: the container has no route to a mirror, and
/// everything our packages depend on is already in the image.
/// </summary>
public sealed class SignedRepositoryIsAccepted : IProofStep
{
    public const string KeyringPath = "/usr/share/keyrings/wheelhouse-archive-keyring.gpg";
    public const string SourcePath = "/etc/apt/sources.list.d/wheelhouse.list";

    public string Claim => "apt-get update accepts the signed repository through signed-by, with no warning";

    public static string SourceLine(string url, string suite, string component) =>
        $"deb [signed-by={KeyringPath}] {url} {suite} {component}";

    public async Task RunAsync(ProofContext context)
    {
        var s = context.Settings;
        context.Checking($"the keyring goes to {KeyringPath}, the source to {SourcePath}");
        context.Container.WriteFile(KeyringPath, File.ReadAllBytes(s.KeyringFile));
        var line = SourceLine(context.RepositoryUrl, s.Suite, s.Component);
        context.Container.WriteFile(SourcePath, System.Text.Encoding.UTF8.GetBytes(line + "\n"));
        context.Log.WriteLine($"    {line}");
        await context.MustShAsync("cannot drop Debian's sources", "rm -f /etc/apt/sources.list /etc/apt/sources.list.d/debian.sources");

        context.Checking("apt-get update succeeds and prints no W: or E: line (a bad signature or Release is a warning to apt)");
        var update = await context.MustAsync("apt-get update failed", "apt-get", "update");
        var complaints = (update.StandardOutput + update.StandardError).Split('\n')
            .Where(l => l.StartsWith("W:", StringComparison.Ordinal) || l.StartsWith("E:", StringComparison.Ordinal)).ToList();
        context.Expect(complaints.Count == 0, $"apt-get update complained:\n    {string.Join("\n    ", complaints)}");

        context.Checking($"apt-cache policy sees {s.ServerPackage} {s.FirstVersion} from the repository");
        var policy = await context.MustAsync("apt-cache policy failed", "apt-cache", "policy", s.ServerPackage, s.NginxPackage);
        context.Expect(policy.StandardOutput.Contains($"Candidate: {s.FirstVersion}", StringComparison.Ordinal),
            $"apt does not offer {s.ServerPackage} {s.FirstVersion}; apt-cache policy said:\n{policy.StandardOutput}");
    }
}
