using System.Diagnostics;
using System.Globalization;
using ServerBench;

namespace ScaleBench;

/// <summary>
/// The request figures of one data set against one base URL (a server, or nginx in front of several): hot pages under
/// wrk, first requests, sequential uploads, each with the CPU time (user and system) the servers and the database
/// spent on it (<paramref name="cpu"/>), which says more than wall time on a loaded machine.
/// </summary>
internal sealed class Traffic(DataSet set, Options options, List<Figure> figures, Func<CpuTime> cpu)
{
    private const string JsonType = "application/vnd.pypi.simple.v1+json";

    public async Task PagesAsync(string baseUrl)
    {
        var page = $"{baseUrl}/{DataSet.ServedIndex}/+simple/{DataSet.ProjectName(set.Projects / 2)}/";
        var list = $"{baseUrl}/{DataSet.ServedIndex}/+simple/";
        foreach (var (what, url, accept, coding, excepted) in new (string, string, string, string?, bool)[]
        {
            ($"project page, {set.FilesPerProject} wheels through 3 bases, HTML", page, "text/html", null, false),
            ($"project page, {set.FilesPerProject} wheels through 3 bases, PEP 691 JSON", page, JsonType, null, false),
            ("project list, HTML", list, "text/html", null, true),
            ("project list, HTML, gzip", list, "text/html", "gzip", true),
        })
        {
            await Wrk.RunAsync(url, accept, "2s", coding); // warm-up: JIT tiering, the page cache, the OS's caches
            var cpuBefore = cpu();
            var r = await Wrk.RunAsync(url, accept, options.Duration, coding);
            var used = cpu() - cpuBefore;
            var requests = r.RequestsPerSecond * Seconds(options.Duration);
            var aim = excepted ? "grows with the list" : "≤ 1.5×";
            var errors = r.Errors > 0 ? $"{r.Errors} non-2xx! " : "";
            figures.Add(new Figure(what + ": throughput", r.RequestsPerSecond, "req/s", true, aim,
                string.Create(CultureInfo.InvariantCulture, $"{errors}CPU per request: {used.Per(requests / 1000)} µs")));
            figures.Add(new Figure(what + ": p99", r.P99Ms, "ms", false, aim, string.Create(CultureInfo.InvariantCulture, $"p50 {r.P50Ms:F2} ms")));
        }
    }

    /// <summary>First requests for pages no cache holds yet (spread over the whole data set), one at a time: the rendering path.</summary>
    public async Task ColdPagesAsync(Admin admin)
    {
        var count = Math.Min(options.ColdPages, set.Projects - 1);
        var step = set.Projects / count;
        var times = new List<double>(count);
        var cpuBefore = cpu();
        for (var i = 0; i < count; i++)
        {
            var project = DataSet.ProjectName((i * step) + (step / 3)); // never the hot page above
            var clock = Stopwatch.StartNew();
            using var response = await admin.Http.GetAsync($"{DataSet.ServedIndex}/+simple/{project}/");
            _ = await response.Content.ReadAsByteArrayAsync();
            times.Add(clock.Elapsed.TotalMilliseconds);
            response.EnsureSuccessStatusCode();
        }
        var used = cpu() - cpuBefore;
        times.Sort();
        figures.Add(new Figure($"project page, first request (not cached), mean of {count:N0} projects", times.Average(), "ms", false, "≤ 1.5×",
            string.Create(CultureInfo.InvariantCulture, $"p99 {times[(int)(times.Count * 0.99)]:F2} ms; CPU per request: {used.Per(count)} ms")));
    }

    /// <summary>Sequential uploads of one small wheel each into a new index (the tables they go into hold the data set), then the index removed.</summary>
    public async Task UploadsAsync(Admin admin)
    {
        var index = $"team/uploads-{DateTime.UtcNow:yyyyMMddHHmmss}";
        await admin.SendAsync(HttpMethod.Put, index, """{"acl_upload": ["root"]}""");
        var wheels = Enumerable.Range(0, options.Uploads).Select(i => Wheels.Build($"upload-{i:D5}", "1.0")).ToList();
        var times = new List<double>(wheels.Count);
        var cpuBefore = cpu();
        foreach (var (name, content) in wheels)
        {
            var clock = Stopwatch.StartNew();
            await admin.UploadAsync(index, Wheels.Form("file_upload", name.Split('-')[0].Replace('_', '-'), "1.0", name, new ByteArrayContent(content)));
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        var used = cpu() - cpuBefore;
        times.Sort();
        figures.Add(new Figure($"upload, one small wheel, sequential (mean of {options.Uploads:N0})", times.Average(), "ms", false, "≤ 1.5×",
            string.Create(CultureInfo.InvariantCulture, $"p50 {times[times.Count / 2]:F2} ms, p99 {times[(int)(times.Count * 0.99)]:F2} ms; CPU per upload: {used.Per(times.Count)} ms")));
        await admin.SendAsync(HttpMethod.Delete, index);
    }

    public static async Task RemoveLeftoverUploadIndexesAsync(Admin admin)
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

    /// <summary>wrk's duration (<c>10s</c>, <c>2m</c>, <c>500ms</c>) in seconds.</summary>
    private static double Seconds(string duration)
    {
        var unit = duration.TrimStart("0123456789.".ToCharArray());
        var value = double.Parse(duration[..^unit.Length], CultureInfo.InvariantCulture);
        return unit switch { "ms" => value / 1000, "m" => value * 60, "h" => value * 3600, _ => value };
    }
}
