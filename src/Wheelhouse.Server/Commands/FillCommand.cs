using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Server.Configuration;

namespace Wheelhouse.Server.Commands;

/// <summary>
/// <c>fill USER/INDEX --requirements FILE</c>: pip resolves and downloads through the mirror (which stores what it
/// serves), then the running server copies those files into the target (<c>POST /{user}/{index}/+fill</c>, one unit of
/// work). It talks to the server over HTTP rather than opening the data directory: no downtime, the server's own rules
/// (rights, non-volatile indexes, pre-releases) apply, and it runs from any machine that has pip.
/// All or nothing per run: if pip cannot meet the requirements for any platform, nothing is copied.
/// </summary>
public static class FillCommand
{
    /// <summary>EX_UNAVAILABLE: pip or the server could not be used.</summary>
    public const int Unavailable = 69;

    public static async Task<int> RunAsync(ServerOptions options, FillArguments fill, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        var requirements = fill.Requirements.Select(RequirementsFile.Read).ToList();
        if (requirements.SelectMany(r => r.Problems).ToList() is { Count: > 0 } problems)
        {
            foreach (var problem in problems)
            {
                await errors.WriteLineAsync($"wheelhouse-server: fill: {problem}");
            }
            await errors.WriteLineAsync("wheelhouse-server: fill: nothing was filled");
            return 1;
        }
        string? secret = null;
        if (fill.PasswordFile is { } passwordFile && (secret = ReadSecret(passwordFile, out var readError)) is null)
        {
            await errors.WriteLineAsync($"wheelhouse-server: fill: {readError}");
            return 1;
        }
        using var server = new FillServer(fill.Server ?? DefaultServer(options), fill.User, secret);
        var from = fill.From;
        if (from is null)
        {
            var found = await server.FindMirrorAsync(fill.Target, ct);
            if (found.Mirror is null)
            {
                await errors.WriteLineAsync($"wheelhouse-server: fill: {found.Problem}");
                return found.Unreachable ? Unavailable : 1;
            }
            from = found.Mirror;
        }
        var stateFile = StateFile(server.BaseUrl, fill, from, requirements);
        if (requirements.All(r => r.FullyPinned) && !fill.Refresh && !fill.DryRun && LoadState(stateFile) is { Count: > 0 } last)
        {
            var check = await server.FillAsync(fill.Target, from, last, dryRun: true, ct);
            if (check.Result is { } result && result.Copied.Count == 0)
            {
                await output.WriteLineAsync($"nothing new: the {result.Present.Count} files of the last fill from these pinned requirements are all in {fill.Target} "
                    + "(pip not run; --refresh runs it)");
                return 0;
            }
        }
        // Before pip downloads anything: the rights to fill the target (the shortcut above checked them when it answered),
        // and the mirror starts fetching what the requirements pin, so that pip's requests find it stored.
        var preflight = await server.FillAsync(fill.Target, from, [], dryRun: true, ct, Prefetch(fill, requirements));
        if (preflight.Problem?.Contains("unknown fill key 'prefetch'", StringComparison.Ordinal) == true)
        {
            preflight = await server.FillAsync(fill.Target, from, [], dryRun: true, ct); // a server older than this client: pip fetches it all
        }
        if (preflight.Result is null)
        {
            await errors.WriteLineAsync($"wheelhouse-server: fill: {preflight.Problem}");
            return preflight.Unreachable ? Unavailable : 1;
        }
        var (downloaded, pipUnusable) = await DownloadAsync(server, fill, from, requirements, output, errors, ct);
        if (downloaded is null)
        {
            await errors.WriteLineAsync($"wheelhouse-server: fill: nothing was filled into {fill.Target}");
            return pipUnusable ? Unavailable : 1;
        }
        var answer = await server.FillAsync(fill.Target, from, downloaded, fill.DryRun, ct);
        if (answer.Result is not { } done)
        {
            await errors.WriteLineAsync($"wheelhouse-server: fill: {answer.Problem}");
            return answer.Unreachable ? Unavailable : 1;
        }
        foreach (var copied in done.Copied)
        {
            await output.WriteLineAsync($"{(fill.DryRun ? "would copy" : "copied")} {copied}");
        }
        await output.WriteLineAsync(done.Copied.Count == 0
            ? $"nothing new: all {done.Present.Count} files are already in {fill.Target}"
            : $"{(fill.DryRun ? "would fill" : "filled")} {done.Copied.Count} files into {fill.Target} from {from} ({done.Present.Count} already there)");
        if (!fill.DryRun && requirements.All(r => r.FullyPinned))
        {
            SaveState(stateFile, downloaded);
        }
        return 0;
    }

    /// <summary>
    /// pip runs once per requested platform and Python version; null (with pip's reasons printed) when any failed, and
    /// PipUnusable when pip itself does not run (checked only then: a check first would cost every fill a Python start).
    /// </summary>
    private static async Task<(List<FillServer.File>? Files, bool PipUnusable)> DownloadAsync(FillServer server, FillArguments fill, IndexPath from, List<RequirementsFile> requirements,
        TextWriter output, TextWriter errors, CancellationToken ct)
    {
        var platforms = fill.Platforms.Count == 0 ? [null] : fill.Platforms.Cast<string?>().ToList();
        var versions = fill.PythonVersions.Count == 0 ? [null] : fill.PythonVersions.Cast<string?>().ToList();
        var indexUrl = new Uri(server.BaseUrl, $"{from}/+simple/").AbsoluteUri;
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var failed = false;
        var work = Directory.CreateTempSubdirectory("wheelhouse-fill-");
        try
        {
            foreach (var platform in platforms)
            {
                foreach (var version in versions)
                {
                    var label = $"platform {platform ?? "of this machine"}, Python {version ?? "of " + fill.Python}";
                    var directory = Directory.CreateDirectory(Path.Combine(work.FullName, $"{platform ?? "native"}-{version ?? "native"}")).FullName;
                    await output.WriteLineAsync($"pip download through {from} for {label} ...");
                    PipDownload.Result result;
                    try
                    {
                        result = await PipDownload.RunAsync(fill.Python, indexUrl, requirements.Select(r => r.Files[0]).ToList(), platform, version, directory, ct);
                    }
                    catch (System.ComponentModel.Win32Exception)
                    {
                        result = new PipDownload.Result(false, "");
                    }
                    if (!result.Succeeded && await PipDownload.CheckAsync(fill.Python) is { } pipProblem)
                    {
                        await errors.WriteLineAsync($"wheelhouse-server: fill: {pipProblem}");
                        return (null, true);
                    }
                    if (!result.Succeeded)
                    {
                        failed = true;
                        await errors.WriteLineAsync($"wheelhouse-server: fill: the requirements cannot be met for {label}; pip says:\n  "
                            + result.Reason.Replace("\n", "\n  ", StringComparison.Ordinal));
                        continue;
                    }
                    foreach (var path in Directory.EnumerateFiles(directory))
                    {
                        await using var stream = File.OpenRead(path);
                        files[Path.GetFileName(path)] = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
                    }
                }
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
        return (failed ? null : files.Select(f => new FillServer.File(f.Key, f.Value)).ToList(), false);
    }

    /// <summary>The <c>prefetch</c> of the first request: each pinned project's hashes, and the platforms and Python versions pip is asked for.</summary>
    private static JsonObject? Prefetch(FillArguments fill, List<RequirementsFile> requirements)
    {
        var pins = requirements.SelectMany(r => r.Pins)
            .GroupBy(p => p.Project, StringComparer.OrdinalIgnoreCase)
            .Select(g => (JsonNode)new JsonObject
            {
                ["name"] = g.Key,
                ["sha256"] = new JsonArray(g.SelectMany(p => p.Sha256).Distinct(StringComparer.Ordinal).Select(h => (JsonNode?)JsonValue.Create(h)).ToArray()),
            })
            .ToArray();
        return pins.Length == 0 ? null : new JsonObject
        {
            ["projects"] = new JsonArray(pins),
            ["platforms"] = new JsonArray(fill.Platforms.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),
            ["python_versions"] = new JsonArray(fill.PythonVersions.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
        };
    }

    private static Uri DefaultServer(ServerOptions options)
    {
        if (options.OutsideUrl is { } outside)
        {
            return outside;
        }
        var host = options.Host is "0.0.0.0" or "::" or "[::]" or "*" ? "127.0.0.1" : options.Host;
        return new Uri($"http://{(host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host)}:{options.Port}/");
    }

    private static string? ReadSecret(string file, out string? error)
    {
        error = null;
        try
        {
            var text = file == "-" ? Console.In.ReadLine() : File.ReadLines(file).FirstOrDefault();
            if (string.IsNullOrWhiteSpace(text))
            {
                error = $"--password-file {file} is empty; its first line must be the password or a login token";
                return null;
            }
            return text.Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"cannot read --password-file {file}: {e.Message}";
            return null;
        }
    }

    /// <summary>Where the last fill of exactly these pinned requirements, options and server is remembered (a cache: losing it costs one pip run).</summary>
    private static string StateFile(Uri server, FillArguments fill, IndexPath from, List<RequirementsFile> requirements)
    {
        var key = string.Join('\n', [server.AbsoluteUri, fill.Target.ToString(), from.ToString(), fill.Python,
            string.Join(',', fill.Platforms), string.Join(',', fill.PythonVersions), .. requirements.Select(r => r.Digest)]);
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "wheelhouse-server", "fill", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))) + ".json");
    }

    private static List<FillServer.File>? LoadState(string path)
    {
        try
        {
            return (JsonNode.Parse(File.ReadAllText(path)) as JsonArray)?
                .Select(n => new FillServer.File((string)n!["filename"]!, (string)n["sha256"]!)).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
        {
            return null; // no usable record: pip runs
        }
    }

    private static void SaveState(string path, List<FillServer.File> files)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var json = new JsonArray(files.Select(f => (JsonNode)new JsonObject { ["filename"] = f.FileName, ["sha256"] = f.Sha256 }).ToArray());
            File.WriteAllText(path + ".tmp", json.ToJsonString());
            File.Move(path + ".tmp", path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only the shortcut of the next run is lost.
        }
    }
}
