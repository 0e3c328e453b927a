using System.Globalization;
using ServerBench;

namespace ScaleBench;

/// <summary>
/// bench/server's figures on one data set with one server, asked directly, with the machine's load average before and
/// after. <see cref="NodeMeasurement"/> does the same through nginx in front of several.
/// </summary>
internal sealed class Measurement(string serverPath, DataSet set, Backend backend, Options options)
{
    public static readonly TimeSpan LongStart = TimeSpan.FromMinutes(15);
    private readonly List<Figure> _figures = [];

    public IReadOnlyList<Figure> Figures => _figures;

    public string Load { get; private set; } = "";

    public async Task RunAsync()
    {
        var loadBefore = LoadAverage();
        await StartsAsync();
        using var server = await StartAsync(LongStart);
        using (var admin = await Admin.LogInAsync(server.BaseUrl, DataSet.RootPassword))
        {
            var traffic = new Traffic(set, options, _figures, () => new CpuTime(server.CpuTime, backend.Cpu));
            await Traffic.RemoveLeftoverUploadIndexesAsync(admin);
            await traffic.PagesAsync(server.BaseUrl);
            await traffic.ColdPagesAsync(admin);
            await traffic.UploadsAsync(admin);
        }
        var (rss, peak) = server.Memory();
        _figures.Add(Memory("resident memory after the run", rss));
        _figures.Add(Memory("resident memory, peak (VmHWM)", peak));
        server.Stop();
        if (options.CrashStart)
        {
            await CrashStartAsync(); // last: when it gives up, the next start still has the tree to check
        }
        Load = $"{loadBefore} → {LoadAverage()}";
    }

    /// <summary>Process start to first answer on the existing data directory after a clean stop: the median of several.</summary>
    private async Task StartsAsync()
    {
        // One start first, unmeasured: a data set made by an older build is migrated by it, once.
        using (var first = await StartAsync(LongStart))
        {
            first.Stop();
        }
        var clients = new List<double>();
        var reported = new List<double>();
        var memory = new List<double>();
        for (var i = 0; i < options.Starts; i++)
        {
            using var started = await StartAsync(LongStart);
            clients.Add(started.StartupTime.TotalMilliseconds);
            reported.Add(started.ReportedReadyMs);
            memory.Add(started.Memory().Rss);
            started.Stop();
        }
        _figures.Add(new Figure("start to first answer (after a clean stop)", Median(clients), "ms", false, "< 1 s, ≤ 1.5×",
            string.Create(CultureInfo.InvariantCulture, $"median of {options.Starts}, min {clients.Min():F0}, max {clients.Max():F0}; server says ready {Median(reported):F0} ms")));
        _figures.Add(Memory("resident memory at the first answer", Median(memory)));
    }

    /// <summary>
    /// A write, SIGKILL, and a start again: the serial moved past the served tree's in-step mark, so the start
    /// rebuilds or checks the tree before serving (what a crash costs), with the memory that takes.
    /// </summary>
    private async Task CrashStartAsync()
    {
        using (var doomed = await StartAsync(LongStart))
        using (var admin = await Admin.LogInAsync(doomed.BaseUrl, DataSet.RootPassword))
        {
            // Any commit will do; the run's clean-up removes this index again.
            await admin.SendAsync(HttpMethod.Put, $"team/uploads-crash-{DateTime.UtcNow:yyyyMMddHHmmss}", "{}");
        } // Dispose kills it (SIGKILL)
        ServerUnderTest restarted;
        try
        {
            restarted = await StartAsync(options.CrashTimeout);
        }
        catch (TimeoutException)
        {
            _figures.Add(new Figure("start to first answer after a crash (SIGKILL)", options.CrashTimeout.TotalMilliseconds, "ms", false, "≤ 1.5×",
                "GAVE UP: no answer within --crash-timeout; the next start checks the served tree again"));
            _figures.Add(Memory("resident memory, peak of the start after a crash", double.NaN));
            return;
        }
        using var _ = restarted;
        _figures.Add(new Figure("start to first answer after a crash (SIGKILL)", restarted.StartupTime.TotalMilliseconds, "ms", false, "≤ 1.5×",
            string.Create(CultureInfo.InvariantCulture, $"server says ready {restarted.ReportedReadyMs:F0} ms")));
        _figures.Add(Memory("resident memory, peak of the start after a crash", restarted.Memory().Peak));
        restarted.Stop();
    }

    private Task<ServerUnderTest> StartAsync(TimeSpan timeout) =>
        ServerUnderTest.StartAsync(serverPath, set.Data, DataSet.RootPassword, timeout, backend.ServerConfig);

    public static Figure Memory(string what, double mib) => new(what, mib, "MiB", false, "< 200 MB, ≤ 1.5×");

    public static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
