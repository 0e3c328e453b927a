using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Wheelhouse.Server.Tests.Support;

/// <summary>The built wheelhouse-server run as a separate process (<c>dotnet wheelhouse-server.dll serve</c>).</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, string dataDirectory, int port)
    {
        _process = process;
        DataDirectory = dataDirectory;
        Port = port;
        BaseUrl = $"http://127.0.0.1:{port}";
    }

    public string DataDirectory { get; }

    private CapturedProcess? _captured;

    /// <summary>What the process wrote (warnings and errors at the tests' log level).</summary>
    public string Log => _captured?.Output ?? "";

    public bool HasExited => _process.HasExited;

    public int Port { get; }

    public string BaseUrl { get; }

    public static string ServerDll => Path.Combine(AppContext.BaseDirectory, "wheelhouse-server.dll");

    /// <param name="environment">WHEELHOUSE_* settings for the process (a node's storage); by default the run's test storage.</param>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, int? port = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        port ??= FreePort();
        var config = Path.Combine(dataDirectory + ".json");
        await File.WriteAllTextAsync(config, """{ "logLevel": "Warning" }""");
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { ServerDll, "serve", "--config", config, "--host", "127.0.0.1", "--port", port.Value.ToString(), "--data-dir", dataDirectory },
        };
        info.Environment["WHEELHOUSE_ROOT_PASSWORD"] = TestServer.RootPassword;
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("WHEELHOUSE_", StringComparison.Ordinal) && k != "WHEELHOUSE_ROOT_PASSWORD").ToList())
        {
            info.Environment.Remove(key);
        }
        foreach (var (key, value) in environment ?? Wheelhouse.Testing.Postgres.TestStorage.Environment(Wheelhouse.Testing.Postgres.TestStorage.ForDataDirectory(dataDirectory)))
        {
            info.Environment[key] = value;
        }
        var captured = CapturedProcess.Start(info);
        var process = captured.Process;
        var server = new ServerProcess(process, dataDirectory, port.Value) { _captured = captured };
        using var client = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"wheelhouse-server exited with {process.ExitCode} on start: {server.Log}");
            }
            try
            {
                using var response = await client.GetAsync(server.BaseUrl + "/+status");
                if (response.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(25);
        }
        process.Kill();
        throw new TimeoutException("wheelhouse-server did not answer /+status within 30 s");
    }

    /// <summary>SIGKILL: no shutdown code runs, like a power cut for the process.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGSTOP: the process stops where it is, its connections open, as a long pause or a hung machine would.</summary>
    public void Pause() => Signal("STOP");

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => Signal("CONT");

    private void Signal(string name)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + name, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{name} {_process.Id} failed with {kill.ExitCode}");
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
