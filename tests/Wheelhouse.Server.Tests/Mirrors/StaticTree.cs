using System.Diagnostics;
using System.Security.Cryptography;
using Wheelhouse.Core.Packages;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Mirrors;

/// <summary>
/// A static PEP 503 tree (simple/index.html, simple/&lt;project&gt;/index.html with <c>#sha256=</c> links into a
/// packages/ folder) served by <c>/usr/bin/python3 -m http.server</c> on a free loopback port: the simplest
/// "any external index" there is. It ignores Accept and always answers HTML. Stopped by its process id.
/// </summary>
internal sealed class StaticTree : IAsyncDisposable
{
    private readonly string _root;
    private Process? _python;

    private StaticTree(string root, string baseUrl) => (_root, BaseUrl) = (root, baseUrl);

    /// <summary>http://127.0.0.1:PORT (no trailing slash); the index is at <c>{BaseUrl}/simple/</c>.</summary>
    public string BaseUrl { get; }

    public string SimpleUrl => BaseUrl + "/simple/";

    /// <summary>Writes the tree for <paramref name="wheels"/> (file name → bytes) and serves it.</summary>
    /// <param name="yanked">File name → PEP 592 reason ("" for a bare <c>data-yanked</c>) of the links marked yanked.</param>
    /// <param name="hashes">False for links without <c>#sha256=</c>, as old generators of static trees write them.</param>
    public static async Task<StaticTree> StartAsync(IReadOnlyDictionary<string, byte[]> wheels, string requiresPython = "",
        IReadOnlyDictionary<string, string>? yanked = null, bool hashes = true)
    {
        var root = Directory.CreateTempSubdirectory("wh-static-tree-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "packages"));
        var byProject = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (fileName, bytes) in wheels)
        {
            await File.WriteAllBytesAsync(Path.Combine(root, "packages", fileName), bytes);
            var project = ProjectName.Parse(fileName.Split('-')[0]).Normalized;
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            var attribute = requiresPython.Length == 0 ? "" : $" data-requires-python=\"{System.Net.WebUtility.HtmlEncode(requiresPython)}\"";
            if (yanked?.GetValueOrDefault(fileName) is { } reason)
            {
                attribute += reason.Length == 0 ? " data-yanked" : $" data-yanked=\"{System.Net.WebUtility.HtmlEncode(reason)}\"";
            }
            (byProject.TryGetValue(project, out var links) ? links : byProject[project] = [])
                .Add($"<a href=\"../../packages/{fileName}{(hashes ? "#sha256=" + sha : "")}\"{attribute}>{fileName}</a><br>");
        }
        foreach (var (project, links) in byProject)
        {
            Directory.CreateDirectory(Path.Combine(root, "simple", project));
            await File.WriteAllTextAsync(Path.Combine(root, "simple", project, "index.html"),
                $"<!DOCTYPE html><html><body>\n{string.Join('\n', links)}\n</body></html>\n");
        }
        Directory.CreateDirectory(Path.Combine(root, "simple"));
        await File.WriteAllTextAsync(Path.Combine(root, "simple", "index.html"),
            "<!DOCTYPE html><html><body>\n" + string.Concat(byProject.Keys.Select(p => $"<a href=\"{p}/\">{p}</a><br>\n")) + "</body></html>\n");

        var port = ServerProcess.FreePort();
        var tree = new StaticTree(root, $"http://127.0.0.1:{port}");
        // cwd = the tree, never the repository: its packaging/ folder would shadow Python's module.
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList = { "-I", "-m", "http.server", "--bind", "127.0.0.1", "--directory", root, port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            WorkingDirectory = root,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        tree._python = Process.Start(start) ?? throw new InvalidOperationException("cannot start /usr/bin/python3 -m http.server");
        tree._python.ErrorDataReceived += (_, _) => { };
        tree._python.OutputDataReceived += (_, _) => { };
        tree._python.BeginErrorReadLine();
        tree._python.BeginOutputReadLine();
        using var probe = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (tree._python.HasExited)
            {
                break;
            }
            try
            {
                using var response = await probe.GetAsync(tree.SimpleUrl);
                if (response.IsSuccessStatusCode)
                {
                    return tree;
                }
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }
        await tree.DisposeAsync();
        throw new InvalidOperationException("/usr/bin/python3 -m http.server did not answer within 20 s");
    }

    /// <summary>Kills the http.server process (by its id); the tree stays on disk until disposal.</summary>
    public void Stop()
    {
        if (_python is { HasExited: false })
        {
            _python.Kill();
            _python.WaitForExit(5000);
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        _python?.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // left for the OS to clean
        }
        return ValueTask.CompletedTask;
    }
}
