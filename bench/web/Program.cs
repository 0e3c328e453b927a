using System.Diagnostics;
using System.Globalization;
using ServerBench;
using WebBench;

// The web pages' benchmark (issue 13): wrk -t2 -c32 against each page as a browser asks for it, and one query at a
// time for search latency. Usage: WebBench SERVER CACHE [--duration 10s]
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: WebBench SERVER-EXECUTABLE CACHE-DIRECTORY [--duration 10s]");
    return 2;
}
var (serverPath, cache) = (args[0], args[1]);
var duration = args.SkipWhile(a => a != "--duration").Skip(1).FirstOrDefault() ?? "10s";
const string browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

var data = await WebDataSet.EnsureAsync(serverPath, cache);
var loadBefore = Load();
using var server = await ServerUnderTest.StartAsync(serverPath, data, WebDataSet.RootPassword); // only reads: the set stays as cached
var pages = new (string Name, string Path)[]
{
    ("home /", "/"),
    ("index /team/dev (page 1)", "/team/dev"),
    ("index /team/dev?page=150", "/team/dev?page=150"),
    ("index filtered ?q=web-042", "/team/dev?q=web-042"),
    ("project /team/dev/web-04242", "/team/dev/web-04242"),
    ("version /team/dev/web-04242/1.2.0", "/team/dev/web-04242/1.2.0"),
    ("search exact name", "/+search?q=web-04242"),
    ("search words (thousands of matches)", "/+search?q=http+client"),
    ("search words in one index's view", "/+search?q=secure+cloud&index=team/dev"),
};
using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
http.DefaultRequestHeaders.Accept.ParseAdd(browser);
var rows = new List<string>();
foreach (var (name, path) in pages)
{
    using (var check = await http.GetAsync(path))
    {
        if (!check.IsSuccessStatusCode || check.Content.Headers.ContentType?.MediaType != "text/html")
        {
            throw new InvalidOperationException($"{path}: {(int)check.StatusCode} {check.Content.Headers.ContentType}");
        }
    }
    var one = await OneAtATimeAsync(http, Enumerable.Repeat(path, 500).ToList());
    var wrk = await Wrk.RunAsync(server.BaseUrl + path, browser, duration);
    rows.Add(string.Create(CultureInfo.InvariantCulture,
        $"| {name,-40} | {wrk.RequestsPerSecond,10:N0} | {wrk.P50Ms,8:F2} | {wrk.P99Ms,8:F2} | {one.P50,8:F2} | {one.P99,8:F2} | {wrk.Errors,6} |"));
}
// Search results are kept until the next commit, so the rows above measure repeats; these never repeat a query.
var distinct = Enumerable.Range(0, 500).Select(i => i % 2 == 0
    ? $"/+search?q=web-{(i * 7919) % WebDataSet.Projects:D5}"
    : $"/+search?q={WebDataSet.Vocabulary[i % WebDataSet.Vocabulary.Length]}+{WebDataSet.Vocabulary[(i / 3) % WebDataSet.Vocabulary.Length]}").ToList();
var fresh = await OneAtATimeAsync(http, distinct);
rows.Add(string.Create(CultureInfo.InvariantCulture,
    $"| {"search, 500 distinct queries (no repeat)",-40} | {"",10} | {"",8} | {"",8} | {fresh.P50,8:F2} | {fresh.P99,8:F2} | {"",6} |"));
var loadAfter = Load();
server.Stop();

var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
Console.WriteLine($"wheelhouse-server web pages: {Environment.ProcessorCount} x {cpu}; {WebDataSet.Projects:N0} projects, "
    + $"{WebDataSet.Projects * WebDataSet.VersionsPerProject:N0} files; load average before {loadBefore}, after {loadAfter}");
Console.WriteLine($"wrk -t2 -c32 -d{duration} with a browser's Accept; 'alone' = 500 requests one at a time (latency without queueing)");
Console.WriteLine("aim: every page >= 5,000 req/s; search p99 < 20 ms");
Console.WriteLine($"| {"page",-40} | {"req/s",10} | {"p50 ms",8} | {"p99 ms",8} | {"alone p50",8} | {"alone p99",8} | {"errors",6} |");
rows.ForEach(Console.WriteLine);
return 0;

static async Task<(double P50, double P99)> OneAtATimeAsync(HttpClient http, List<string> paths)
{
    var count = paths.Count;
    var times = new double[count];
    for (var i = 0; i < count; i++)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync(paths[i]);
        await response.Content.ReadAsByteArrayAsync();
        times[i] = clock.Elapsed.TotalMilliseconds;
    }
    Array.Sort(times);
    return (times[count / 2], times[(int)(count * 0.99)]);
}

static string Load() => File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Aggregate((a, b) => a + " " + b);
