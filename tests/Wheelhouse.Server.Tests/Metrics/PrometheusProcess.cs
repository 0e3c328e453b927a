using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Metrics;

/// <summary>
/// Debian's real Prometheus (build/Testing/DebianPrerequisites.cs), on a loopback port with its configuration and
/// database in a temporary directory, scraping <c>/+metrics</c> of the given targets every second; stopped by its PID.
/// </summary>
public sealed class PrometheusProcess : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus";

    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _client;

    private PrometheusProcess(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        BaseUrl = $"http://127.0.0.1:{port}";
        _client = new HttpClient { BaseAddress = new Uri(BaseUrl + "/") };
    }

    public string BaseUrl { get; }

    /// <param name="targets">host:port of each server to scrape.</param>
    public static async Task<PrometheusProcess> StartAsync(params string[] targets)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: install Debian's prometheus ('./build.sh --target prerequisites')");
        }
        var directory = Directory.CreateTempSubdirectory("wh-prometheus-").FullName;
        var port = ServerProcess.FreePort();
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: wheelhouse
                metrics_path: /+metrics
                static_configs:
                  - targets: [{string.Join(", ", targets.Select(t => $"'{t}'"))}]

            """);
        var info = new ProcessStartInfo(Binary)
        {
            ArgumentList =
            {
                "--config.file=" + config, "--storage.tsdb.path=" + Path.Combine(directory, "data"),
                $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
            },
            WorkingDirectory = directory,
        };
        var captured = CapturedProcess.Start(info);
        var process = captured.Process;
        var prometheus = new PrometheusProcess(process, directory, port);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await prometheus.ReadyAsync())
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await prometheus.DisposeAsync();
                throw new InvalidOperationException($"prometheus did not become ready: {captured.Output}");
            }
            await Task.Delay(100);
        }
        return prometheus;
    }

    private async Task<bool> ReadyAsync()
    {
        try
        {
            using var response = await _client.GetAsync("-/ready");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>An instant query's single value, or null when the result is empty.</summary>
    public async Task<double?> QueryAsync(string promql)
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("api/v1/query?query=" + Uri.EscapeDataString(promql)));
        var result = document.RootElement.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 0
            ? null
            : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>The health of each scrape target ("up", "down", "unknown") with its last error.</summary>
    public async Task<string> TargetsAsync() => await _client.GetStringAsync("api/v1/targets");

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(); // by PID: this process only
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // the TSDB's last files may still be closing; the temp directory goes eventually
        }
    }
}
