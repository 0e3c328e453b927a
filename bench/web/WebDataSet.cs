using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ScaleBench;
using ServerBench;
using Wheelhouse.Storage;

namespace WebBench;

/// <summary>
/// 10,000 projects of 5 versions (one tiny wheel each: 50,000 files) with summaries, keywords and Markdown
/// descriptions drawn from a small vocabulary, in <c>shared/stable</c>; <c>team/dev</c> inherits from it and holds 100
/// projects of its own. Users and indexes are made through the server, releases and files through the storage unit of
/// work in large transactions (never 50,000 HTTP uploads). Generated once and kept, keyed by <see cref="Version"/>.
/// </summary>
internal static class WebDataSet
{
    public const string Version = "v1";
    public const string RootPassword = "bench-root";
    public const int Projects = 10_000;
    public const int VersionsPerProject = 5;
    public const int OwnProjects = 100;

    public static readonly string[] Vocabulary =
    [
        "http", "client", "server", "async", "json", "parser", "database", "driver", "cache", "queue", "image", "audio", "crypto",
        "network", "testing", "mock", "logging", "metrics", "plugin", "framework", "toolkit", "fast", "simple", "secure", "cloud",
        "storage", "config", "schema", "validation", "template", "markdown", "render", "graph", "matrix", "science", "data",
    ];

    public static string ProjectName(int i) => string.Create(CultureInfo.InvariantCulture, $"web-{i:D5}");

    public static async Task<string> EnsureAsync(string serverPath, string cacheRoot)
    {
        var directory = Path.Combine(cacheRoot, $"web-{Projects}p-{VersionsPerProject}v-{Version}");
        var data = Path.Combine(directory, "data");
        var complete = Path.Combine(directory, "COMPLETE");
        if (File.Exists(complete))
        {
            Console.Error.WriteLine($"data set {directory}: cached");
            return data;
        }
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
        Directory.CreateDirectory(directory);
        var clock = Stopwatch.StartNew();
        using (var server = await ServerUnderTest.StartAsync(serverPath, data, RootPassword))
        {
            using var admin = await Admin.LogInAsync(server.BaseUrl, RootPassword);
            foreach (var user in new[] { "team", "shared" })
            {
                await admin.SendAsync(HttpMethod.Put, user, $$"""{"password": "{{user}}-pw", "title": "The {{user}} users"}""");
            }
            await admin.SendAsync(HttpMethod.Put, "shared/stable", """{"volatile": false, "acl_upload": ["root"], "title": "Stable", "description": "QA-gated releases"}""");
            await admin.SendAsync(HttpMethod.Put, "team/dev", """{"bases": ["shared/stable"], "acl_upload": ["root", ":devs"], "title": "Team development"}""");
            server.Stop();
        }
        await FillAsync(data);
        await File.WriteAllTextAsync(complete, $"generated in {clock.Elapsed.TotalSeconds:F0} s\n");
        Console.Error.WriteLine($"data set {directory}: generated in {clock.Elapsed.TotalSeconds:F0} s");
        return data;
    }

    private static async Task FillAsync(string data)
    {
        var when = DateTimeOffset.UtcNow;
        var log = new JsonArray(new JsonObject
        {
            ["what"] = "upload",
            ["who"] = "root",
            ["when"] = new JsonArray(when.Year, when.Month, when.Day, when.Hour, when.Minute, when.Second),
            ["dst"] = "shared/stable",
        }).ToJsonString();
        using var store = PackageStore.OpenDataDirectory(data);
        const int perTransaction = 2_000;
        for (var first = 0; first < Projects; first += perTransaction)
        {
            var blobs = new PendingBlob[perTransaction * VersionsPerProject];
            await Parallel.ForAsync(0, blobs.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, ct) =>
            {
                var blob = store.CreateBulkBlob();
                await blob.WriteAsync(Encoding.ASCII.GetBytes($"{ProjectName(first + (i / VersionsPerProject))} {i % VersionsPerProject}\n"), ct);
                await blob.FinishAsync();
                blobs[i] = blob;
            });
            using (var work = await store.BeginAsync())
            {
                for (var p = 0; p < perTransaction; p++)
                {
                    var n = first + p;
                    var (user, index) = n < OwnProjects ? ("team", "dev") : ("shared", "stable");
                    for (var v = 0; v < VersionsPerProject; v++)
                    {
                        var version = VersionOf(v);
                        var blob = blobs[(p * VersionsPerProject) + v];
                        var project = ProjectName(n);
                        work.PutRelease(new ReleaseRecord(user, index, project, version, project, Metadata(n, version), when.AddMinutes(v)));
                        work.AddFile(new FileRecord(user, index, $"{project.Replace('-', '_')}-{version}-py3-none-any.whl", project, version,
                            FileKind.ReleaseFile, blob.Sha256, blob.Length, when.AddMinutes(v), ">=3.9", null, log), blob);
                    }
                }
                work.Commit();
            }
            foreach (var blob in blobs)
            {
                await blob.DisposeAsync();
            }
            Console.Error.WriteLine($"  {first + perTransaction:N0} of {Projects:N0} projects written");
        }
        store.MarkServedTreeInStep();
    }

    private static string VersionOf(int v) => v == VersionsPerProject - 1 ? "2.0rc1" : string.Create(CultureInfo.InvariantCulture, $"1.{v}.0");

    private static string Word(int n, int k) => Vocabulary[(int)(((uint)n * 2654435761u + (uint)k * 40503u) % (uint)Vocabulary.Length)];

    private static string Metadata(int n, string version)
    {
        var summary = $"A {Word(n, 1)} {Word(n, 2)} for {Word(n, 3)} {Word(n, 4)}";
        var description = new StringBuilder($"# {ProjectName(n)}\n\n{summary}.\n\n## Usage\n\n```python\nimport web_{n:D5}\n```\n\n");
        for (var k = 5; k < 45; k++)
        {
            description.Append(Word(n, k)).Append(k % 9 == 0 ? ".\n\n" : " ");
        }
        return new JsonObject
        {
            ["name"] = ProjectName(n),
            ["version"] = version,
            ["summary"] = summary,
            ["keywords"] = $"{Word(n, 6)} {Word(n, 7)}",
            ["author"] = "Bench Author",
            ["author_email"] = "bench@example.com",
            ["license"] = "MIT",
            ["requires_python"] = ">=3.9",
            ["requires_dist"] = new JsonArray("requests>=2", "attrs"),
            ["classifiers"] = new JsonArray("Programming Language :: Python :: 3", "License :: OSI Approved :: MIT License"),
            ["project_urls"] = new JsonArray("Source, https://example.com/src"),
            ["description_content_type"] = "text/markdown",
            ["description"] = description.ToString(),
        }.ToJsonString();
    }
}
