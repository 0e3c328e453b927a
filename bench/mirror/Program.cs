using MirrorBench;
using ServerBench;

// Usage: MirrorBench <path to wheelhouse-server.dll> [--duration 10s] [--cold 21]
if (args.Length < 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: MirrorBench <wheelhouse-server.dll> [--duration 10s] [--cold 21]");
    return 2;
}
var serverDll = args[0];
string Option(string name, string fallback) => Array.IndexOf(args, name) is var i and > 0 && i + 1 < args.Length ? args[i + 1] : fallback;
var duration = Option("--duration", "10s");
var coldCount = int.Parse(Option("--cold", "21"), System.Globalization.CultureInfo.InvariantCulture);
const string rootPassword = "bench-root";
const string jsonType = "application/vnd.pypi.simple.v1+json";
var work = Directory.CreateTempSubdirectory("wh-mirror-bench-").FullName;
var rows = new List<(string What, string Value)>();
var loadBefore = File.ReadAllText("/proc/loadavg").Trim();

try
{
    using var upstream = await ServerUnderTest.StartAsync(serverDll, Path.Combine(work, "upstream"), rootPassword);
    using var downstream = await ServerUnderTest.StartAsync(serverDll, Path.Combine(work, "downstream"), rootPassword);
    using var up = await Admin.LoginAsync(upstream.BaseUrl, rootPassword);
    using var down = await Admin.LoginAsync(downstream.BaseUrl, rootPassword);

    // Upstream: one index with the 50-wheel project and the project whose files are fetched cold.
    await up.SendAsync(HttpMethod.Put, "root/pkgs", """{"acl_upload": ["root"]}""");
    var coldVersions = Enumerable.Range(0, coldCount).Select(i => $"1.0.{i}").ToList();
    foreach (var (project, versions) in new[] { ("mirror-pkg", Enumerable.Range(0, 50).Select(i => $"1.0.{i}").ToList()), ("cold-pkg", coldVersions) })
    {
        foreach (var version in versions)
        {
            await up.UploadAsync("root/pkgs", project, version);
        }
    }

    // Downstream: the spec's team layout with root/pypi pointed at the upstream (cached for a day: the run measures the
    // cache), and beside it the same private chain without a mirror, which is issue 3's benchmark page.
    await down.SendAsync(HttpMethod.Patch, "root/pypi", $$"""{"mirror_url": "{{upstream.BaseUrl}}/root/pkgs/+simple/", "mirror_cache_expiry": 86400}""");
    foreach (var user in new[] { "team", "shared", "priv" })
    {
        await down.SendAsync(HttpMethod.Put, user, $$"""{"password": "{{user}}-secret"}""");
    }
    foreach (var (index, config) in new[]
    {
        ("shared/stable-local", """{"volatile": false, "acl_upload": ["root"]}"""),
        ("shared/stable", """{"bases": ["shared/stable-local", "root/pypi"], "volatile": false, "acl_upload": []}"""),
        ("team/staging", """{"bases": ["shared/stable"], "volatile": false}"""),
        ("team/dev", """{"bases": ["team/staging"]}"""),
        ("priv/stable-local", """{"volatile": false, "acl_upload": ["root"]}"""),
        ("priv/stable", """{"bases": ["priv/stable-local"]}"""),
        ("priv/staging", """{"bases": ["priv/stable"]}"""),
        ("priv/dev", """{"bases": ["priv/staging"]}"""),
    })
    {
        await down.SendAsync(HttpMethod.Put, index, config);
    }
    for (var i = 0; i < 50; i++)
    {
        await down.UploadAsync("shared/stable-local", "private-pkg", $"1.0.{i}");
        await down.UploadAsync("priv/stable-local", "private-pkg", $"1.0.{i}");
    }

    var pages = new[]
    {
        ("private page, no mirror in the order (issue 3's)", $"{downstream.BaseUrl}/priv/dev/+simple/private-pkg/"),
        ("private page, root/pypi last in the order", $"{downstream.BaseUrl}/team/dev/+simple/private-pkg/"),
        ("mirror page (cached), from root/pypi", $"{downstream.BaseUrl}/team/dev/+simple/mirror-pkg/"),
    };
    foreach (var (what, url) in pages)
    {
        if (await down.LinksAsync(url) is var links && links != 50)
        {
            throw new InvalidOperationException($"{what}: {url} lists {links} files, not 50");
        }
    }
    foreach (var (what, url) in pages)
    {
        foreach (var (format, accept) in new[] { ("HTML", "text/html"), ("JSON", jsonType) })
        {
            await Wrk.RunAsync(url, accept, "2s"); // warm-up: JIT tiering and the caches, not measured
            var r = await Wrk.RunAsync(url, accept, duration);
            rows.Add(($"{what}, 50 wheels through 3 bases, {format}",
                $"{r.RequestsPerSecond,7:F0} req/s, p50 {r.P50Ms,5:F2} ms, p99 {r.P99Ms,5:F2} ms{(r.Errors > 0 ? $", {r.Errors} non-2xx" : "")}"));
        }
    }

    var cold = await ColdFetch.RunAsync(down, "team/dev", "cold-pkg", coldVersions);
    string Summary(IEnumerable<double> ms) =>
        $"median {ColdFetch.Median(ms),6:F2} ms (min {ms.Min():F2}, max {ms.Max():F2})";
    rows.Add(($"cold mirror fetch: project page through 3 bases (n={cold.Count})", Summary(cold.Select(s => s.PageMs))));
    rows.Add(($"cold mirror fetch: a wheel never fetched (n={cold.Count})", Summary(cold.Select(s => s.FileMs))));
    rows.Add(($"cold mirror fetch: page + wheel (n={cold.Count})", Summary(cold.Select(s => s.PageMs + s.FileMs))));
    var (rss, peak) = downstream.Memory();
    rows.Add(("downstream resident memory after the run", $"{rss:F0} MiB (peak {peak:F0} MiB)"));
}
finally
{
    Directory.Delete(work, true);
}

Console.WriteLine($"wheelhouse-server mirror benchmark ({Environment.ProcessorCount} cores, wrk -t2 -c32 -d{duration}, both servers and wrk on this machine)");
Console.WriteLine($"load average before: {loadBefore}; after: {File.ReadAllText("/proc/loadavg").Trim()}");
foreach (var (what, value) in rows)
{
    Console.WriteLine($"| {what,-76} | {value,-52} |");
}
return 0;
