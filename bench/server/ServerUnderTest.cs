using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ServerBench;

/// <summary>
/// The Release server as a separate process, with the time it took to answer its first request. The server is either
/// the published self-contained executable (what the .deb ships) or a framework-dependent <c>wheelhouse-server.dll</c>.
/// </summary>
internal sealed class ServerUnderTest : IDisposable
{
    private readonly Process _process;

    private ServerUnderTest(Process process, int port, TimeSpan startup)
    {
        _process = process;
        BaseUrl = $"http://127.0.0.1:{port}";
        StartupTime = startup;
    }

    public string BaseUrl { get; }

    public TimeSpan StartupTime { get; }

    /// <summary>What the server logs: from its process start to listening (excludes the client's polling).</summary>
    public double ReportedReadyMs { get; private init; }

    /// <summary>The server's CPU time so far (user and system), to compare runs on a machine that is not idle.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public int Pid => _process.Id;

    /// <param name="timeout">How long the first answer may take (30 s by default; a big data set's crash recovery takes longer).</param>
    /// <param name="configJson">The server's configuration file (<c>logLevel</c> Information by default).</param>
    public static async Task<ServerUnderTest> StartAsync(string server, string dataDirectory, string rootPassword, TimeSpan? timeout = null, string? configJson = null)
    {
        var port = FreePort();
        var config = dataDirectory + ".json";
        await File.WriteAllTextAsync(config, configJson ?? """{ "logLevel": "Information" }""");
        var dll = server.EndsWith(".dll", StringComparison.Ordinal);
        var info = new ProcessStartInfo(dll ? "dotnet" : server)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (dll)
        {
            info.ArgumentList.Add(server);
        }
        foreach (var arg in new[] { "serve", "--config", config, "--port", port.ToString(), "--data-dir", dataDirectory })
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["WHEELHOUSE_ROOT_PASSWORD"] = rootPassword;
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var clock = Stopwatch.StartNew();
        var process = Process.Start(info)!;
        var reported = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            var m = e.Data is null ? null : System.Text.RegularExpressions.Regex.Match(e.Data, @"\((\d+) ms after process start\)");
            if (m is { Success: true })
            {
                reported.TrySetResult(double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("server: " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return await WaitUntilReadyAsync(process, port, client, clock, reported, timeout ?? TimeSpan.FromSeconds(30));
        }
        catch
        {
            // Never leave a server behind when the benchmark gives up on it.
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    private static async Task<ServerUnderTest> WaitUntilReadyAsync(Process process, int port, HttpClient client, Stopwatch clock, TaskCompletionSource<double> reported, TimeSpan timeout)
    {
        while (clock.Elapsed < timeout && !process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync($"http://127.0.0.1:{port}/+status");
                if (response.IsSuccessStatusCode)
                {
                    var elapsed = clock.Elapsed;
                    var own = await reported.Task.WaitAsync(TimeSpan.FromSeconds(5));
                    return new ServerUnderTest(process, port, elapsed) { ReportedReadyMs = own };
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(2);
            }
        }
        throw new TimeoutException(process.HasExited ? $"server exited with {process.ExitCode} before answering" : $"server did not answer within {timeout.TotalSeconds:F0} s");
    }

    /// <summary>(VmRSS, VmHWM) in MiB from /proc.</summary>
    public (double Rss, double Peak) Memory()
    {
        double Read(string key) => File.ReadLines($"/proc/{Pid}/status").Where(l => l.StartsWith(key + ":", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024).Single();
        return (Read("VmRSS"), Read("VmHWM"));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Stops the server as systemd does (SIGTERM), so it shuts down cleanly and its next start finds the served tree in
    /// step; <see cref="Dispose"/> kills it instead (SIGKILL), as a crash would.
    /// </summary>
    public void Stop()
    {
        if (!_process.HasExited && SendSignal(_process.Id, 15) == 0 && !_process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            throw new TimeoutException("server did not stop within 60 s of SIGTERM");
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
