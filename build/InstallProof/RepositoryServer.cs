using System.Globalization;
using System.Text.RegularExpressions;

namespace Wheelhouse.Build.InstallProof;

/// <summary>
/// Serves a directory (the signed apt repository) over HTTP on 127.0.0.1 with Python's http.server, on a port the
/// kernel picks. Given a container's init PID it listens in that container's network namespace, so only that
/// container sees it; otherwise on the host's loopback (for piuparts' chroots).
/// </summary>
public sealed partial class RepositoryServer : IAsyncDisposable
{
    private readonly HostProcess _process;

    private RepositoryServer(HostProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static IReadOnlyList<string> Command(string directory, int? networkOfPid)
    {
        // -I: isolated mode, so a 'packaging' folder in the working directory is never imported.
        IReadOnlyList<string> server = ["/usr/bin/python3", "-I", "-u", "-m", "http.server", "--bind", "127.0.0.1", "--directory", directory, "0"];
        return networkOfPid is { } pid ? ContainerCommand.InNetworkOf(pid, server) : server;
    }

    /// <summary>The port in http.server's banner ("Serving HTTP on 127.0.0.1 port 41235 ..."), or null.</summary>
    public static int? PortFromBanner(string line) =>
        Banner().Match(line) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    public static async Task<RepositoryServer> StartAsync(string directory, int? networkOfPid, TextWriter log)
    {
        if (!Directory.Exists(directory))
        {
            throw new InstallProofException($"cannot serve {directory}: it does not exist (run ./build.sh apt first)");
        }

        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = HostProcess.Start(Command(directory, networkOfPid), log, "apt-repo");
        process.Line += line =>
        {
            if (PortFromBanner(line) is { } p)
            {
                port.TrySetResult(p);
            }
        };
        var timeout = Task.Delay(TimeSpan.FromSeconds(20));
        while (!port.Task.IsCompleted && !timeout.IsCompleted && !process.HasExited)
        {
            await Task.WhenAny(port.Task, timeout, Task.Delay(200));
        }

        if (!port.Task.IsCompleted)
        {
            await process.DisposeAsync();
            throw new InstallProofException("the repository server did not say which port it listens on within 20 s; see its output above");
        }
        return new RepositoryServer(process, await port.Task);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex(@"^Serving HTTP on \S+ port (\d+)")]
    private static partial Regex Banner();
}
