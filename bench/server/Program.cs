using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ServerBench;

// Usage: ServerBench <published wheelhouse-server executable, or wheelhouse-server.dll> [--duration 10s] [--starts 7]
if (args.Length < 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: ServerBench <wheelhouse-server executable or .dll> [--duration 10s] [--starts 7]");
    return 2;
}
var serverPath = args[0];
string Option(string name, string fallback) => args.Skip(1).SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
var duration = Option("--duration", "10s");
var starts = int.Parse(Option("--starts", "7"), System.Globalization.CultureInfo.InvariantCulture);
const string rootPassword = "bench-root";
const string jsonType = "application/vnd.pypi.simple.v1+json";
var work = Directory.CreateTempSubdirectory("wh-bench-").FullName;
var data = Path.Combine(work, "data");
var rows = new List<(string What, string Value)>();

try
{
    // Each fresh start gets a new data directory (creates root, root/pypi, the schema); the existing-directory starts
    // reuse the first one. The median of several starts, since one start on a shared machine says little.
    async Task<string> StartTimes(Func<int, string> dataFor)
    {
        var clients = new List<double>();
        var reported = new List<double>();
        for (var i = 0; i < starts; i++)
        {
            using var started = await ServerUnderTest.StartAsync(serverPath, dataFor(i), rootPassword);
            clients.Add(started.StartupTime.TotalMilliseconds);
            reported.Add(started.ReportedReadyMs);
        }
        static double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
        return $"median {Median(clients):F0} ms of {starts} (min {clients.Min():F0}, max {clients.Max():F0}; server: ready {Median(reported):F0} ms after exec)";
    }
    rows.Add(("start to first answer, fresh data dir", await StartTimes(i => i == 0 ? data : Path.Combine(work, $"fresh-{i}"))));
    rows.Add(("start to first answer, existing data dir", await StartTimes(_ => data)));
    using var server = await ServerUnderTest.StartAsync(serverPath, data, rootPassword);
    using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/"), Timeout = TimeSpan.FromMinutes(5) };

    async Task<JsonNode?> Send(HttpMethod method, string path, string? json = null, string user = "root", string secret = rootPassword, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content ?? (json is null ? null : new StringContent(json, Encoding.UTF8, "application/json")) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        }
        return text.Length > 0 ? JsonNode.Parse(text) : null;
    }

    // The bytes a client receives for a page: HttpClient does not decompress unless asked, so this is the coded size.
    async Task<long> BodySizeAsync(string url, string accept, string? coding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(accept);
        if (coding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", coding);
        }
        using var response = await http.SendAsync(request);
        return (await response.Content.ReadAsByteArrayAsync()).LongLength;
    }

    // Log in once: uploads then authenticate with the token (HMAC check) rather than the password (PBKDF2).
    var token = (await Send(HttpMethod.Post, "+login", """{"user": "root", "password": "bench-root"}"""))!["result"]!["password"]!.GetValue<string>();
    Task<JsonNode?> AsRoot(HttpMethod m, string path, string? json = null, HttpContent? content = null) => Send(m, path, json, "root", token, content);

    foreach (var user in new[] { "team", "shared" })
    {
        await Send(HttpMethod.Put, user, $$"""{"password": "{{user}}-pw"}""");
    }
    await AsRoot(HttpMethod.Put, "shared/stable-local", """{"volatile": false, "acl_upload": ["root"]}""");
    await AsRoot(HttpMethod.Put, "shared/stable", """{"bases": ["shared/stable-local"]}""");
    await AsRoot(HttpMethod.Put, "team/staging", """{"bases": ["shared/stable"], "volatile": false, "acl_upload": ["root"]}""");
    await AsRoot(HttpMethod.Put, "team/dev", """{"bases": ["team/staging"], "acl_upload": ["root"]}""");
    await AsRoot(HttpMethod.Put, "team/uploads", """{"acl_upload": ["root"]}""");
    await AsRoot(HttpMethod.Put, "shared/list1k", """{"acl_upload": ["root"]}""");
    await AsRoot(HttpMethod.Put, "shared/list10k", """{"acl_upload": ["root"]}""");

    for (var i = 0; i < 50; i++)
    {
        var (name, content) = Wheels.Build("bench-pkg", $"1.0.{i}");
        await AsRoot(HttpMethod.Post, "shared/stable-local/", content: Wheels.Form("file_upload", "bench-pkg", $"1.0.{i}", name, new ByteArrayContent(content)));
    }
    async Task Register(string index, int count)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            await AsRoot(HttpMethod.Post, index + "/", content: Wheels.Form("submit", $"project-{i:D5}", "1.0", null, null)));
    }
    await Register("shared/list1k", 1000);
    await Register("shared/list10k", 10000);

    var page = $"{server.BaseUrl}/team/dev/+simple/bench-pkg/";
    var check = await http.GetStringAsync(page);
    if (check.Split("<a ").Length - 1 != 50)
    {
        throw new InvalidOperationException("the project page does not list 50 wheels");
    }
    var list1k = $"{server.BaseUrl}/shared/list1k/+simple/";
    var list10k = $"{server.BaseUrl}/shared/list10k/+simple/";
    foreach (var (what, url, accept, coding) in new (string, string, string, string?)[]
    {
        ("project page, 50 wheels through 3 bases, HTML", page, "text/html", null),
        ("project page, 50 wheels through 3 bases, PEP 691 JSON", page, jsonType, null),
        ("project list, 1,000 projects, HTML", list1k, "text/html", null),
        ("project list, 10,000 projects, HTML", list10k, "text/html", null),
        ("project page, HTML, gzip (as pip asks)", page, "text/html", "gzip, deflate"),
        ("project page, PEP 691 JSON, brotli (as uv asks)", page, jsonType, "gzip, deflate, br"),
        ("project list, 1,000 projects, HTML, gzip", list1k, "text/html", "gzip"),
        ("project list, 1,000 projects, HTML, brotli", list1k, "text/html", "br"),
        ("project list, 10,000 projects, HTML, gzip", list10k, "text/html", "gzip"),
        ("project list, 10,000 projects, HTML, brotli", list10k, "text/html", "br"),
    })
    {
        await Wrk.RunAsync(url, accept, "2s", coding); // warm-up: JIT tiering and the page cache, not measured
        var r = await Wrk.RunAsync(url, accept, duration, coding);
        var size = await BodySizeAsync(url, accept, coding);
        rows.Add((what, $"{r.RequestsPerSecond:F0} req/s, p50 {r.P50Ms:F2} ms, p99 {r.P99Ms:F2} ms, {size:N0} bytes{(r.Errors > 0 ? $", {r.Errors} non-2xx" : "")}"));
    }

    // Uploads twice: the first thousand after start include the JIT compiling the upload path (tiered compilation
    // rejits hot methods), the second thousand are the steady state of a long-running server. The server's CPU time
    // per upload says more than wall time when the machine is not idle.
    async Task UploadThousand(string what, string prefix)
    {
        var uploads = Enumerable.Range(0, 1000).Select(i => Wheels.Build($"{prefix}-{i:D4}", "1.0")).ToList();
        var cpu = server.CpuTime;
        var clock = Stopwatch.StartNew();
        foreach (var (name, content) in uploads)
        {
            var project = name.Split('-')[0].Replace('_', '-');
            await AsRoot(HttpMethod.Post, "team/uploads/", content: Wheels.Form("file_upload", project, "1.0", name, new ByteArrayContent(content)));
        }
        clock.Stop();
        rows.Add((what, $"{clock.Elapsed.TotalSeconds:F2} s, {clock.Elapsed.TotalMilliseconds / 1000:F2} ms per upload (server CPU {(server.CpuTime - cpu).TotalMilliseconds / 1000:F2} ms)"));
    }
    await UploadThousand("1,000 single-file uploads (sequential, first after start)", "upload");
    await UploadThousand("1,000 more single-file uploads (sequential, warm)", "warm");

    // One 100 MiB upload is mostly the disk's mood (its fsync); the median of five says more.
    var bigTimes = new List<double>();
    for (var b = 0; b < 5; b++)
    {
        var (bigName, big) = Wheels.Build("big-pkg", $"1.{b}", 100 * 1024 * 1024);
        var bigPath = Path.Combine(work, bigName);
        await File.WriteAllBytesAsync(bigPath, big);
        big = [];
        GC.Collect();
        var clock = Stopwatch.StartNew();
        await using (var stream = File.OpenRead(bigPath))
        {
            await AsRoot(HttpMethod.Post, "team/uploads/", content: Wheels.Form("file_upload", "big-pkg", $"1.{b}", bigName, new StreamContent(stream)));
        }
        bigTimes.Add(clock.Elapsed.TotalMilliseconds);
        File.Delete(bigPath);
    }
    bigTimes.Sort();
    rows.Add(("100 MiB upload, median of 5", $"{bigTimes[2]:F0} ms (min {bigTimes[0]:F0}, max {bigTimes[4]:F0})"));

    var (rss, peak) = server.Memory();
    rows.Add(("resident memory after the run", $"{rss:F0} MiB (peak {peak:F0} MiB)"));
}
finally
{
    Directory.Delete(work, true);
}

Console.WriteLine($"wheelhouse-server benchmark ({Environment.ProcessorCount} cores, wrk -t2 -c32 -d{duration})");
foreach (var (what, value) in rows)
{
    Console.WriteLine($"| {what,-56} | {value,-48} |");
}
return 0;
