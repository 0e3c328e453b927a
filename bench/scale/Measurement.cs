using System.Diagnostics;
using System.Globalization;
using ServerBench;

namespace ScaleBench;

/// <summary>bench/server's figures on one data set, with the machine's load average before and after.</summary>
internal sealed class Measurement(string serverPath, DataSet set, Options options)
{
    private static readonly TimeSpan LongStart = TimeSpan.FromMinutes(15);
    private const string JsonType = "application/vnd.pypi.simple.v1+json";
    private readonly List<Figure> _figures = [];

    public IReadOnlyList<Figure> Figures => _figures;

    public string Load { get; private set; } = "";

    public async Task RunAsync()
    {
        var loadBefore = LoadAverage();
        await StartsAsync();
        using var server = await ServerUnderTest.StartAsync(serverPath, set.Data, DataSet.RootPassword, LongStart);
        using (var admin = await Admin.LogInAsync(server.BaseUrl, DataSet.RootPassword))
        {
            await RemoveLeftoverUploadIndexesAsync(admin);
            await PagesAsync(server);
            await ColdPagesAsync(admin);
            await UploadsAsync(admin);
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
        using (var first = await ServerUnderTest.StartAsync(serverPath, set.Data, DataSet.RootPassword, LongStart))
        {
            first.Stop();
        }
        var clients = new List<double>();
        var reported = new List<double>();
        var memory = new List<double>();
        for (var i = 0; i < options.Starts; i++)
        {
            using var started = await ServerUnderTest.StartAsync(serverPath, set.Data, DataSet.RootPassword, LongStart);
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
        using (var doomed = await ServerUnderTest.StartAsync(serverPath, set.Data, DataSet.RootPassword, LongStart))
        using (var admin = await Admin.LogInAsync(doomed.BaseUrl, DataSet.RootPassword))
        {
            // Any commit will do; the run's clean-up removes this index again.
            await admin.SendAsync(HttpMethod.Put, $"team/uploads-crash-{DateTime.UtcNow:yyyyMMddHHmmss}", "{}");
        } // Dispose kills it (SIGKILL)
        ServerUnderTest restarted;
        try
        {
            restarted = await ServerUnderTest.StartAsync(serverPath, set.Data, DataSet.RootPassword, options.CrashTimeout);
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

    private async Task PagesAsync(ServerUnderTest server)
    {
        var page = $"{server.BaseUrl}/{DataSet.ServedIndex}/+simple/{DataSet.ProjectName(set.Projects / 2)}/";
        var list = $"{server.BaseUrl}/{DataSet.ServedIndex}/+simple/";
        foreach (var (what, url, accept, coding, excepted) in new (string, string, string, string?, bool)[]
        {
            ($"project page, {set.FilesPerProject} wheels through 3 bases, HTML", page, "text/html", null, false),
            ($"project page, {set.FilesPerProject} wheels through 3 bases, PEP 691 JSON", page, JsonType, null, false),
            ("project list, HTML", list, "text/html", null, true),
            ("project list, HTML, gzip", list, "text/html", "gzip", true),
        })
        {
            await Wrk.RunAsync(url, accept, "2s", coding); // warm-up: JIT tiering, the page cache, the OS's caches
            var r = await Wrk.RunAsync(url, accept, options.Duration, coding);
            var aim = excepted ? "grows with the list" : "≤ 1.5×";
            var errors = r.Errors > 0 ? $"{r.Errors} non-2xx!" : "";
            _figures.Add(new Figure(what + ": throughput", r.RequestsPerSecond, "req/s", true, aim, errors));
            _figures.Add(new Figure(what + ": p99", r.P99Ms, "ms", false, aim, string.Create(CultureInfo.InvariantCulture, $"p50 {r.P50Ms:F2} ms")));
        }
    }

    /// <summary>First requests for pages no cache holds yet (spread over the whole data set), one at a time: the rendering path.</summary>
    private async Task ColdPagesAsync(Admin admin)
    {
        var count = Math.Min(options.ColdPages, set.Projects - 1);
        var step = set.Projects / count;
        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var project = DataSet.ProjectName((i * step) + (step / 3)); // never the hot page above
            var clock = Stopwatch.StartNew();
            using var response = await admin.Http.GetAsync($"{DataSet.ServedIndex}/+simple/{project}/");
            _ = await response.Content.ReadAsByteArrayAsync();
            times.Add(clock.Elapsed.TotalMilliseconds);
            response.EnsureSuccessStatusCode();
        }
        times.Sort();
        _figures.Add(new Figure($"project page, first request (not cached), mean of {count:N0} projects", times.Average(), "ms", false, "≤ 1.5×",
            string.Create(CultureInfo.InvariantCulture, $"p99 {times[(int)(times.Count * 0.99)]:F2} ms")));
    }

    /// <summary>Sequential uploads of one small wheel each into a new index (the tables they go into hold the data set), then the index removed.</summary>
    private async Task UploadsAsync(Admin admin)
    {
        var index = $"team/uploads-{DateTime.UtcNow:yyyyMMddHHmmss}";
        await admin.SendAsync(HttpMethod.Put, index, """{"acl_upload": ["root"]}""");
        var wheels = Enumerable.Range(0, options.Uploads).Select(i => Wheels.Build($"upload-{i:D5}", "1.0")).ToList();
        var clock = Stopwatch.StartNew();
        foreach (var (name, content) in wheels)
        {
            await admin.UploadAsync(index, Wheels.Form("file_upload", name.Split('-')[0].Replace('_', '-'), "1.0", name, new ByteArrayContent(content)));
        }
        clock.Stop();
        _figures.Add(new Figure($"upload, one small wheel, sequential (mean of {options.Uploads:N0})", clock.Elapsed.TotalMilliseconds / options.Uploads, "ms", false, "≤ 1.5×"));
        await admin.SendAsync(HttpMethod.Delete, index);
    }

    private static async Task RemoveLeftoverUploadIndexesAsync(Admin admin)
    {
        var team = await admin.SendAsync(HttpMethod.Get, "team");
        foreach (var (name, _) in team?["result"]?["indexes"]?.AsObject() ?? [])
        {
            if (name.StartsWith("uploads-", StringComparison.Ordinal))
            {
                await admin.SendAsync(HttpMethod.Delete, "team/" + name); // an interrupted run's
            }
        }
    }

    private static Figure Memory(string what, double mib) => new(what, mib, "MiB", false, "< 200 MB, ≤ 1.5×");

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
