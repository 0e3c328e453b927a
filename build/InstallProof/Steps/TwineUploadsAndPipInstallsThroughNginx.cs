using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Wheelhouse.Build.InstallProof.Steps;

/// <summary>
/// The daily use, entirely through nginx: a user and an index are created over the devpi API, Debian's real twine
/// uploads a wheel, and Debian's pip installs it back into a venv from the index's simple page.
/// </summary>
public sealed partial class TwineUploadsAndPipInstallsThroughNginx : IProofStep
{
    public const string User = "proof";
    public const string Password = "proof-password-1";
    public const string Index = "dev";
    private const string Work = "/root/proof";

    public string Claim => "twine uploads a wheel and pip installs it, both through nginx";

    public async Task RunAsync(ProofContext context)
    {
        var site = context.Settings.NginxUrl;
        var wheel = TestWheel.Default;
        var bytes = wheel.Build();
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        context.Container.WriteFile($"{Work}/{wheel.FileName}", bytes);

        context.Checking($"GET {site}/+api names the login URL under the outside URL nginx passes (X-Outside-URL)");
        var api = await context.HttpAsync("GET", $"{site}/+api", ["--header", "Accept: application/json"]);
        context.Expect(api.Status == 200 && api.Body.Contains($"\"{site}/+login\"", StringComparison.Ordinal),
            $"+api through nginx answered {api.Status} without login {site}/+login: {api.Body}");

        context.Checking($"PUT {site}/{User} creates the user, PUT {site}/{User}/{Index} its index");
        var user = await context.HttpAsync("PUT", $"{site}/{User}", Json($"{{\"password\": \"{Password}\"}}"));
        context.Expect(user.Status == 201, $"creating user {User} answered {user.Status}: {user.Body}");
        var index = await context.HttpAsync("PUT", $"{site}/{User}/{Index}", [.. Json("{\"type\": \"stage\", \"bases\": []}"), "--user", $"{User}:{Password}"]);
        context.Expect(index.Status is 200 or 201, $"creating index {User}/{Index} answered {index.Status}: {index.Body}");

        context.Checking($"twine upload {wheel.FileName} to {site}/{User}/{Index}/");
        await context.MustAsync("twine upload failed", "twine", "upload", "--non-interactive", "--disable-progress-bar",
            "--repository-url", $"{site}/{User}/{Index}/", "--username", User, "--password", Password, $"{Work}/{wheel.FileName}");

        context.Checking($"pip installs {wheel.Project} from {site}/{User}/{Index}/+simple/ into a fresh venv and it imports");
        await context.MustAsync("cannot make a venv", "python3", "-m", "venv", $"{Work}/venv");
        await context.MustAsync("pip install through nginx failed", $"{Work}/venv/bin/pip", "install", "--no-cache-dir",
            "--index-url", $"{site}/{User}/{Index}/+simple/", wheel.Project);
        var import = await context.MustAsync("the installed module does not import", $"{Work}/venv/bin/python", "-c",
            $"import {wheel.Module}; print({wheel.Module}.MESSAGE)");
        context.Expect(import.StandardOutput.Trim() == wheel.Message, $"the installed module says '{import.StandardOutput.Trim()}'");

        context.Checking("the release file's link on the simple page serves the uploaded bytes");
        var page = await context.HttpAsync("GET", $"{site}/{User}/{Index}/+simple/{wheel.Project}/");
        var href = ReleaseLink().Match(page.Body);
        context.Expect(href.Success && href.Groups["sha"].Value == sha256, $"the simple page has no link to {wheel.FileName} with #sha256={sha256}:\n{page.Body}");
        var path = new Uri(new Uri($"{site}/{User}/{Index}/+simple/{wheel.Project}/"), href.Groups["href"].Value).AbsolutePath;
        context.Facts["file-path"] = path;
        context.Facts["file-sha256"] = sha256;
        await ExpectFileAsync(context, $"{site}{path}", sha256);
    }

    /// <summary>Downloads <paramref name="url"/> in the container and compares its sha256 (also used after the upgrade).</summary>
    public static async Task ExpectFileAsync(ProofContext context, string url, string sha256)
    {
        await context.MustAsync($"cannot download {url}", "curl", "--fail", "--silent", "--show-error", "--output", $"{Work}/download", url);
        var sum = await context.MustAsync("sha256sum failed", "sha256sum", $"{Work}/download");
        context.Expect(sum.StandardOutput.StartsWith(sha256, StringComparison.Ordinal), $"{url} served different bytes (sha256 {sum.StandardOutput.Split(' ')[0]}, uploaded {sha256})");
    }

    private static string[] Json(string body) => ["--header", "Content-Type: application/json", "--header", "Accept: application/json", "--data", body];

    [GeneratedRegex("href=\"(?<href>[^\"#]+)#sha256=(?<sha>[0-9a-f]{64})\"")]
    private static partial Regex ReleaseLink();
}
