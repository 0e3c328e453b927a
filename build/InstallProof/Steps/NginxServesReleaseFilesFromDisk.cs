namespace Wheelhouse.Build.InstallProof.Steps;

/// <summary>
/// nginx answers release-file downloads itself from the server's served tree (a hard link to the stored blob), falls
/// back to the server when a name is missing there (and the server puts it back), and nginx's user can read that
/// tree but nothing else of the data directory.
/// </summary>
public sealed class NginxServesReleaseFilesFromDisk : IProofStep
{
    /// <summary>Set only by the site's location that answers from disk, never by the server.</summary>
    public const string ServedByHeader = "X-Wheelhouse-Served-By";

    public const string NginxUser = "www-data";

    public string Claim => "nginx serves release files from the data directory, falls back to the server for a missing one, and its user reads nothing else there";

    /// <summary>Where a file's URL path lives in the served tree, and where its blob lives in the store.</summary>
    public static (string TreePath, string BlobPath) DiskPaths(string dataDirectory, string urlPath, string sha256) =>
        ($"{dataDirectory}/+f-tree{urlPath}", $"{dataDirectory}/+files/sha256/{sha256[..2]}/{sha256[2..]}");

    public async Task RunAsync(ProofContext context)
    {
        var s = context.Settings;
        var path = context.Facts["file-path"];
        var sha256 = context.Facts["file-sha256"];
        var url = $"{s.NginxUrl}{path}";
        var (treePath, blobPath) = DiskPaths(s.DataDirectory, path, sha256);

        context.Checking($"{treePath} is the uploaded blob itself (same inode as {blobPath})");
        var inodes = await context.MustAsync("cannot stat the served file", "stat", "--format=%i %U %a", treePath, blobPath);
        var lines = inodes.StandardOutput.Trim().Split('\n');
        context.Expect(lines.Length == 2 && lines[0] == lines[1] && lines[0].Split(' ')[0].Length > 0,
            $"the served file and the blob differ (inode, owner, mode):\n{inodes.StandardOutput}");

        context.Checking($"GET {url} is answered by nginx from disk ({ServedByHeader}: nginx) with the server's headers and the uploaded bytes");
        await ExpectFromDiskAsync(context, url, "application/zip");
        await TwineUploadsAndPipInstallsThroughNginx.ExpectFileAsync(context, url, sha256);
        await ExpectFromDiskAsync(context, url + ".metadata", "text/plain; charset=utf-8");

        context.Checking($"a JSON request for the file goes to the server (devpi's view of its hashes), not to disk");
        var json = await context.HttpAsync("GET", url, ["--header", "Accept: application/json"]);
        context.Expect(json.Status == 200 && json.Header(ServedByHeader) is null && json.Body.Contains(sha256, StringComparison.Ordinal),
            $"a JSON request answered {json.Status} ({ServedByHeader}: {json.Header(ServedByHeader)}): {json.Body}");

        context.Checking($"with {treePath} removed, nginx falls back to the server, which serves the file and links it again");
        await context.MustAsync("cannot remove the served file", "rm", treePath);
        var fallback = await context.HttpAsync("GET", url, ["--output", "/dev/null", "--dump-header", "-"]);
        context.Expect(fallback.Status == 200 && fallback.Header(ServedByHeader) is null,
            $"without the served file nginx answered {fallback.Status} with {ServedByHeader}: '{fallback.Header(ServedByHeader)}'; expected 200 from the server");
        await TwineUploadsAndPipInstallsThroughNginx.ExpectFileAsync(context, url, sha256);
        await context.MustAsync($"the server did not link {treePath} again", "test", "-f", treePath);
        await ExpectFromDiskAsync(context, url, "application/zip");

        context.Checking($"{NginxUser} reads the served file but cannot list the data directory or read the database, +files or the secrets");
        await context.MustAsync($"{NginxUser} cannot read the served file", "runuser", "-u", NginxUser, "--", "sh", "-c", $"cat '{treePath}' >/dev/null");
        string[] denied = [s.DataDirectory + "/", $"{s.DataDirectory}/{s.DatabaseFileName}", blobPath, $"{s.DataDirectory}/root-password", $"{s.DataDirectory}/.secret"];
        foreach (var target in denied)
        {
            var read = await context.Container.ExecAsync(["runuser", "-u", NginxUser, "--", "sh", "-c", $"ls '{target}' >/dev/null && head -c1 '{target}' >/dev/null"]);
            context.Expect(!read.Succeeded, $"{NginxUser} can read {target}");
        }
    }

    /// <summary>Also used after the upgrade: the tree survives it.</summary>
    public static async Task ExpectFromDiskAsync(ProofContext context, string url, string contentType)
    {
        var answer = await context.HttpAsync("GET", url, ["--output", "/dev/null", "--dump-header", "-"]);
        context.Expect(answer.Status == 200, $"GET {url} answered {answer.Status}");
        context.Expect(answer.Header(ServedByHeader) == "nginx", $"GET {url} was not answered from disk ({ServedByHeader}: '{answer.Header(ServedByHeader)}')");
        context.Expect(answer.Header("Cache-Control") == "max-age=365000000, immutable, public", $"GET {url} has Cache-Control '{answer.Header("Cache-Control")}'");
        context.Expect(answer.Header("Content-Type") == contentType, $"GET {url} has Content-Type '{answer.Header("Content-Type")}', expected {contentType}");
        context.Expect(answer.Header("Vary") == "Accept", $"GET {url} has Vary '{answer.Header("Vary")}': caches must not hand the JSON view out for the file");
    }
}
