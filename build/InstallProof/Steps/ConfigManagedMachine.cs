using System.Text.RegularExpressions;

namespace Wheelhouse.Build.InstallProof.Steps;

/// <summary>
/// What the Puppet and the Ansible steps share: a machine without our packages, repository or key (as a new server
/// is), the proof's inputs for them, and the checks that the deployed index serves and takes a changed upload limit.
/// </summary>
public static partial class ConfigManagedMachine
{
    public const string KeyFile = "/root/proof/wheelhouse-archive-keyring.gpg";
    public const string DeployRoot = "/root/deploy";
    public const string LayoutUser = "team";
    public const string LayoutIndex = "team/dev";
    public const string LayoutPasswordVariable = "WHEELHOUSE_PASSWORD_TEAM";
    public const string LayoutPassword = "team-password-1";

    /// <summary>The upload limits: the first runs take the package's, the changed run one a small upload exceeds.</summary>
    public const string FirstUploadLimit = "512M";
    public const string ChangedUploadLimit = "2K";

    public static string Layout => $"version: 1\nusers:\n  {LayoutUser}:\n    title: Created by the layout\n    password_env: {LayoutPasswordVariable}\nindexes:\n  {LayoutIndex}:\n    bases: []\n";

    /// <summary>Purges our packages, removes the repository and its key, copies deploy/ and the key into the machine.</summary>
    public static async Task PrepareFreshMachineAsync(ProofContext context)
    {
        var s = context.Settings;
        context.Checking("the machine starts without our packages, source list or key; deploy/ and the repository key are copied in");
        await context.MustShAsync("cannot clean the machine",
            $"apt-get purge -y {s.NginxPackage} {s.ServerPackage} >/dev/null; rm -rf {DeployRoot} /root/proof/venv {SignedRepositoryIsAccepted.KeyringPath} {SignedRepositoryIsAccepted.SourcePath}; apt-get update >/dev/null");
        context.Container.WriteFile(KeyFile, File.ReadAllBytes(s.KeyringFile));
        var target = context.Container.HostPathOf(DeployRoot);
        Directory.CreateDirectory(target);
        CopyDirectory(s.DeployDirectory, target);
    }

    /// <summary>The service runs at <paramref name="version"/> behind nginx over TLS, the layout's index exists, twine uploads and pip installs.</summary>
    public static async Task ExpectServingAsync(ProofContext context, string version)
    {
        var s = context.Settings;
        await context.ExpectInstalledAsync(s.ServerPackage, version);
        await context.ExpectInstalledAsync(s.NginxPackage, version);
        await context.WaitForServiceAsync(active: true);
        context.Checking($"{s.NginxUrl}/+status answers through nginx over TLS with the company certificate");
        var status = await context.WaitForHttpOkAsync($"{s.NginxUrl}/+status", TimeSpan.FromSeconds(30));
        context.Expect(status.Status == 200 && status.Header("Strict-Transport-Security") is not null, $"{s.NginxUrl}/+status answered {status.Status}: {status.Body}");
        context.Checking($"the layout made {LayoutIndex}, and its user logs in with the password from {LayoutPasswordVariable}");
        var index = await context.HttpAsync("GET", $"{s.NginxUrl}/{LayoutIndex}", ["--header", "Accept: application/json", "--user", $"{LayoutUser}:{LayoutPassword}"]);
        context.Expect(index.Status == 200, $"{LayoutIndex} answered {index.Status}: {index.Body}");
        // Only the status: the answer holds a login token, which stays out of the log.
        var login = await context.Container.ExecAsync(["curl", "--silent", "--output", "/dev/null", "--write-out", "%{http_code}",
            "--header", "Content-Type: application/json", "--data", $"{{\"user\": \"{LayoutUser}\", \"password\": \"{LayoutPassword}\"}}", $"{s.NginxUrl}/+login"]);
        context.Expect(login.StandardOutput.Trim() == "200", $"{LayoutUser} cannot log in with the layout's password: {login.StandardOutput.Trim()}");
        await new TwineUploadsAndPipInstallsThroughNginx().RunAsync(context);
    }

    /// <summary>An upload of a few KB is refused with 413 by the server itself and by nginx after the limit went to <see cref="ChangedUploadLimit"/>, and not before.</summary>
    public static async Task ExpectUploadLimitAsync(ProofContext context, bool changed)
    {
        var s = context.Settings;
        await context.MustShAsync("cannot make the upload", "head -c 4096 /dev/urandom > /root/proof/big-1.0.tar.gz");
        foreach (var url in new[] { s.ServerUrl, s.NginxUrl })
        {
            var upload = await context.Container.ExecAsync(["curl", "--silent", "--output", "/dev/null", "--write-out", "%{http_code}",
                "--user", $"{TwineUploadsAndPipInstallsThroughNginx.User}:{TwineUploadsAndPipInstallsThroughNginx.Password}",
                "--form", ":action=file_upload", "--form", "name=big", "--form", "version=1.0", "--form", "content=@/root/proof/big-1.0.tar.gz",
                $"{url}/{TwineUploadsAndPipInstallsThroughNginx.User}/{TwineUploadsAndPipInstallsThroughNginx.Index}/"]);
            var code = upload.StandardOutput.Trim();
            context.Checking($"a 4 KB upload to {url} answers {code}; expected {(changed ? "413" : "anything but 413")}");
            context.Expect(changed ? code == "413" : code != "413" && code != "000", $"a 4 KB upload to {url} answered {code} with the upload limit {(changed ? ChangedUploadLimit : FirstUploadLimit)}");
        }
        if (changed)
        {
            await context.MustAsync($"{s.ServerConfigFile} lacks the new limit", "grep", "-q", $"\"maxUploadSize\": \"{ChangedUploadLimit}\"", s.ServerConfigFile);
            await context.MustAsync($"{s.NginxSite} lacks the new limit", "grep", "-q", $"client_max_body_size {ChangedUploadLimit};", s.NginxSite);
        }
    }

    /// <summary>ok=, changed=, failed= of ansible-playbook's recap line for localhost.</summary>
    public static (int Ok, int Changed, int Failed)? AnsibleRecap(string output) =>
        AnsibleRecapLine().Match(output) is { Success: true } m
            ? (int.Parse(m.Groups["ok"].Value, System.Globalization.CultureInfo.InvariantCulture),
               int.Parse(m.Groups["changed"].Value, System.Globalization.CultureInfo.InvariantCulture),
               int.Parse(m.Groups["failed"].Value, System.Globalization.CultureInfo.InvariantCulture))
            : null;

    private static void CopyDirectory(string source, string target)
    {
        foreach (var directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, directory)));
        }

        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(target, Path.GetRelativePath(source, file)), overwrite: true);
        }
    }

    [GeneratedRegex(@"localhost\s*:\s*ok=(?<ok>\d+)\s+changed=(?<changed>\d+)\s+unreachable=\d+\s+failed=(?<failed>\d+)")]
    private static partial Regex AnsibleRecapLine();
}
