using System.Text;

namespace Wheelhouse.Build.InstallProof.Steps;

/// <summary>
/// wheelhouse-client-config, preseeded as an unattended installation would be, points pip, uv and twine at the index
/// and trusts the company CA; pip and twine then work with no flag. A bad answer is refused without changing
/// anything, and purge puts back the machine's own pip.conf and removes what the package added.
/// </summary>
public sealed class ClientConfigPointsPipUvAndTwineAtTheIndex : IProofStep
{
    private const string OwnPipConf = "[global]\n# the machine's own pip.conf, from before wheelhouse-client-config\ntimeout = 60\n";
    private const string CaLink = "/etc/ssl/certs/company-ca.pem";
    private const string Profile = "/etc/profile.d/wheelhouse-client-config.sh";

    public string Claim => "wheelhouse-client-config (preseeded) points pip, uv and twine at the index with the CA trusted; purge restores the machine's files";

    public async Task RunAsync(ProofContext context)
    {
        var s = context.Settings;
        var package = s.ClientConfigPackage;
        var index = $"{s.NginxUrl}/{TwineUploadsAndPipInstallsThroughNginx.User}/{TwineUploadsAndPipInstallsThroughNginx.Index}/";
        var simple = index + "+simple/";
        context.Container.WriteFile("/etc/pip.conf", Encoding.UTF8.GetBytes(OwnPipConf));
        await context.MustShAsync("cannot clear uv's config", "rm -rf /etc/uv");

        context.Checking($"debconf answers preseeded (index {simple}, CA {ProofCertificates.CaFile}), then apt-get install {package}");
        await Preseed(context, "index-url", simple);
        await Preseed(context, "ca-certificate", ProofCertificates.CaFile);
        await context.MustShAsync($"apt-get install {package} failed", $"DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends {package}");
        await context.ExpectInstalledAsync(package, s.FirstVersion);

        context.Checking("pip config list shows the index and the system trust store, from /etc/pip.conf");
        var pip = await context.MustAsync("pip config list failed", "python3", "-m", "pip", "config", "list");
        context.Expect(pip.StandardOutput.Contains($"global.index-url='{simple}'", StringComparison.Ordinal)
            && pip.StandardOutput.Contains("global.cert='/etc/ssl/certs/ca-certificates.crt'", StringComparison.Ordinal),
            $"pip config list shows:\n{pip.StandardOutput}");

        context.Checking("/etc/uv/uv.toml names the index as uv's default, with the upload URL and the system trust store");
        var uv = await context.MustAsync("/etc/uv/uv.toml is not valid TOML", "python3", "-c",
            "import tomllib; d = tomllib.load(open('/etc/uv/uv.toml', 'rb')); i = d['index'][0]; print(i['url'], i['publish-url'], i['default'], d['native-tls'])");
        context.Expect(uv.StandardOutput.Trim() == $"{simple} {index} True True", $"uv.toml says: {uv.StandardOutput.Trim()}");

        context.Checking($"the CA is in the system trust store ({CaLink})");
        var link = await context.MustAsync($"{CaLink} is missing", "readlink", CaLink);
        context.Expect(link.StandardOutput.Trim() == "/usr/share/ca-certificates/wheelhouse-client-config/company-ca.crt", $"{CaLink} points to {link.StandardOutput.Trim()}");

        context.Checking("pip download, with no flag, fetches the uploaded release from the index");
        await context.MustAsync("pip download without flags failed", "/root/proof/venv/bin/pip", "download", "--no-deps", "--no-cache-dir",
            "--dest", "/root/proof/client-download", TestWheel.Default.Project);
        var sum = await context.MustAsync("sha256sum failed", "sh", "-c", $"sha256sum /root/proof/client-download/{TestWheel.Default.FileName}");
        context.Expect(sum.StandardOutput.StartsWith(context.Facts["file-sha256"], StringComparison.Ordinal), $"pip downloaded other bytes: {sum.StandardOutput}");

        context.Checking("twine in a login shell uploads with no --repository-url (TWINE_REPOSITORY_URL from /etc/profile.d)");
        var second = TestWheel.Default with { Version = "1.1" };
        context.Container.WriteFile($"/root/proof/{second.FileName}", second.Build());
        await context.MustAsync("twine upload without a URL failed", "bash", "-lc",
            $"TWINE_USERNAME={TwineUploadsAndPipInstallsThroughNginx.User} TWINE_PASSWORD={TwineUploadsAndPipInstallsThroughNginx.Password} "
            + $"twine upload --non-interactive --disable-progress-bar /root/proof/{second.FileName}");
        var page = await context.HttpAsync("GET", $"{simple}{second.Project}/");
        context.Expect(page.Body.Contains(second.FileName, StringComparison.Ordinal), $"the simple page does not list {second.FileName}:\n{page.Body}");

        context.Checking("a bad answer (ftp:// index) is refused by dpkg-reconfigure with a message, and /etc/pip.conf is left as it was");
        var before = (await context.MustAsync("sha256sum failed", "sha256sum", "/etc/pip.conf")).StandardOutput;
        await Preseed(context, "index-url", "ftp://pypi.example.com/simple/");
        var bad = await context.Container.ShAsync($"DEBIAN_FRONTEND=noninteractive dpkg-reconfigure {package}");
        context.Expect(bad.ExitCode != 0 && bad.StandardError.Contains("is not an http:// or https:// URL", StringComparison.Ordinal),
            $"dpkg-reconfigure with an ftp:// index exited {bad.ExitCode}: {bad.StandardError}");
        var after = (await context.MustAsync("sha256sum failed", "sha256sum", "/etc/pip.conf")).StandardOutput;
        context.Expect(before == after, "/etc/pip.conf changed although the answer was refused");
        await Preseed(context, "index-url", simple);
        await context.MustShAsync("dpkg-reconfigure with the good answer failed", $"DEBIAN_FRONTEND=noninteractive dpkg-reconfigure {package}");

        context.Checking($"apt-get purge {package} puts back the machine's pip.conf and removes uv.toml, the profile, the CA and the answers");
        await context.MustAsync($"apt-get purge {package} failed", "apt-get", "purge", "-y", package);
        var restored = await context.MustAsync("/etc/pip.conf is gone", "cat", "/etc/pip.conf");
        context.Expect(restored.StandardOutput == OwnPipConf, $"/etc/pip.conf after purge is:\n{restored.StandardOutput}");
        foreach (var path in new[] { "/etc/uv/uv.toml", Profile, CaLink, "/var/lib/wheelhouse-client-config" })
        {
            var exists = await context.Container.ExecAsync(["sh", "-c", $"test -e '{path}' || test -L '{path}'"], echo: false);
            context.Expect(exists.ExitCode != 0, $"{path} is still there after purge");
        }
        var answers = await context.Container.ExecAsync(["debconf-show", package]);
        context.Expect(answers.StandardOutput.Trim().Length == 0, $"debconf still holds answers after purge:\n{answers.StandardOutput}");
    }

    private static async Task Preseed(ProofContext context, string question, string value) =>
        await context.MustShAsync($"debconf-set-selections for {question} failed",
            $"echo '{context.Settings.ClientConfigPackage} {context.Settings.ClientConfigPackage}/{question} string {value}' | debconf-set-selections");
}
