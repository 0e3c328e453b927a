using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CliWrap.Buffered;
using Wheelhouse.Packaging.Tests.Deb;

namespace Wheelhouse.Packaging.Tests.Pipeline;

/// <summary>
/// Serves an apt repository with python3 -m http.server on 127.0.0.1 and a free port, and runs apt-get against it
/// with its own sources list, lists and cache under a temporary folder, so the host's apt setup is never touched.
/// </summary>
internal sealed class LoopbackRepository : IAsyncDisposable
{
    private readonly Process _server;
    private readonly string _state;

    private LoopbackRepository(Process server, string state, int port)
    {
        _server = server;
        _state = state;
        Port = port;
    }

    public int Port { get; }

    public static async Task<LoopbackRepository> StartAsync(string repositoryDirectory, string stateDirectory)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            WorkingDirectory = stateDirectory, // not the checkout: its packaging/ folder would shadow Python's modules
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "-I", "-m", "http.server", "--bind", "127.0.0.1", "--directory", repositoryDirectory, port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        var server = Process.Start(start)!;
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var repository = new LoopbackRepository(server, stateDirectory, port);
        using var http = new HttpClient();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await http.GetAsync($"http://127.0.0.1:{port}/dists/stable/Release");
                return repository;
            }
            catch (HttpRequestException) when (attempt < 100 && !server.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Writes a sources list with <c>signed-by</c> the given keyring, for the suite "stable".</summary>
    public void UseKeyring(string keyring) =>
        File.WriteAllText(Path.Combine(_state, "sources.list"), $"deb [signed-by={keyring}] http://127.0.0.1:{Port}/ stable main\n");

    public Task<BufferedCommandResult> AptGetAsync(params string[] arguments) => ProcessRunner.RunAsync("apt-get", [.. Options(), .. arguments]);

    /// <summary><c>apt-get download</c>: fetches a package as an install would, checked against the signed index, into <paramref name="directory"/>; installs nothing.</summary>
    public Task<BufferedCommandResult> AptGetDownloadAsync(string package, string directory) =>
        ProcessRunner.RunAsync("apt-get", [.. Options(), "download", package], directory);

    public Task<BufferedCommandResult> AptCacheAsync(params string[] arguments) => ProcessRunner.RunAsync("apt-cache", [.. Options(), .. arguments]);

    private IEnumerable<string> Options()
    {
        foreach (var dir in new[] { "lists/partial", "cache/archives/partial" })
        {
            Directory.CreateDirectory(Path.Combine(_state, dir));
        }

        return
        [
            "-o", $"Dir::Etc::SourceList={Path.Combine(_state, "sources.list")}",
            "-o", "Dir::Etc::SourceParts=/dev/null",
            "-o", $"Dir::State::Lists={Path.Combine(_state, "lists")}",
            "-o", $"Dir::Cache={Path.Combine(_state, "cache")}",
            "-o", "APT::Sandbox::User=root",
            "-o", "DPkg::Lock::Timeout=600",
        ];
    }

    public async ValueTask DisposeAsync()
    {
        if (!_server.HasExited)
        {
            _server.Kill();
            await _server.WaitForExitAsync();
        }
        _server.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
