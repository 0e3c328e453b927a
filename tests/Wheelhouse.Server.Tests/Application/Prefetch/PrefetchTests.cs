using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Wheelhouse.Server.Tests.Mirrors;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Application.Prefetch;

/// <summary>
/// A mirror's pre-fetch against a static PEP 503 tree served by <c>python3 -m http.server</c>: the newest release of the
/// named projects stored, within the bandwidth and disk budgets, the status in the index's JSON view and the metrics,
/// and the files still served once the upstream is gone.
/// </summary>
[Integration]
public sealed class PrefetchTests : IAsyncLifetime
{
    private readonly Dictionary<string, byte[]> _upstream = new(StringComparer.Ordinal);
    private readonly string _requirements = Path.Combine(Path.GetTempPath(), $"wh-prefetch-{Guid.NewGuid():N}.txt");
    private StaticTree _tree = null!;
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        foreach (var (name, bytes) in new[]
        {
            GeneratedWheel.Build("keep", "1.0"), GeneratedWheel.Build("keep", "2.0"), GeneratedWheel.Build("keep", "2.0", tag: "py3-none-manylinux2014_x86_64"),
            GeneratedWheel.Build("keep", "3.0rc1"), GeneratedWheel.Build("other", "1.0"), GeneratedWheel.Build("listed", "0.5"),
        })
        {
            _upstream[name] = bytes;
        }
        _upstream[Distributions.WheelName("big", "1.0")] = Distributions.WheelWithPadding("big", "1.0", 150_000);
        _upstream[Distributions.WheelName("huge", "1.0")] = Distributions.WheelWithPadding("huge", "1.0", 150_000);
        _tree = await StaticTree.StartAsync(_upstream);
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("team");
        await File.WriteAllTextAsync(_requirements, "# kept warm\nlisted>=0.1 ; python_version >= \"3\"\n--prefer-binary\n");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _tree.DisposeAsync();
        File.Delete(_requirements);
    }

    private async Task<JsonNode> PrefetchAsync(string index)
    {
        using var response = await _server.SendAsync(HttpMethod.Post, $"{index}/+prefetch", "team", "team-pw");
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!["result"]!;
    }

    private static List<string> Names(JsonNode status, string key) => status[key]!.AsArray().Select(n => (string)n!).ToList();

    [Fact]
    public async Task The_last_run_survives_a_restart_in_the_view_and_the_metrics_and_the_next_run_waits_for_its_time()
    {
        await _server.CreateIndexAsync("team", "up", $$"""
            {"type": "mirror", "mirror_url": "{{_tree.SimpleUrl}}", "prefetch": ["keep", "ghost"], "prefetch_bandwidth": 0, "prefetch_interval": 3600}
            """);
        var run = await PrefetchAsync("team/up");
        var data = _server.DataDirectory;

        await _server.StopKeepingDataAsync();
        _server = await TestServer.StartAsync(dataDirectory: data);

        var view = JsonNode.Parse(await (await _server.SendAsync(HttpMethod.Get, "team/up")).Content.ReadAsStringAsync())!["result"]!;
        view["prefetch_status"]!.ToJsonString().Should().Be(run.ToJsonString(), "the status is stored with the index, not kept in memory");
        Names(view["prefetch_status"]!, "fetched").Should().Equal("keep-2.0-py3-none-any.whl", "keep-2.0-py3-none-manylinux2014_x86_64.whl");
        var finished = DateTimeOffset.Parse((string)run["finished"]!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds();
        var metrics = await _server.Client.GetStringAsync("+metrics");
        var lastRun = metrics.Split('\n').Single(l => l.StartsWith("wheelhouse_prefetch_last_run_timestamp_seconds{index=\"team/up\"}", StringComparison.Ordinal));
        double.Parse(lastRun.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture).Should().Be(finished);
        var prefetch = _server.Services.GetRequiredService<Wheelhouse.Server.Application.Prefetch.PrefetchService>();
        var mirror = _server.Services.GetRequiredService<Wheelhouse.Server.Application.UsersAndIndexes>().FindIndex("team", "up")!;
        prefetch.DueAt(mirror).Should().BeAfter(DateTimeOffset.UtcNow.AddMinutes(50), "the next run is due an interval after the stored one, not at start-up");

        using (var deleted = await _server.SendAsync(HttpMethod.Delete, "team/up", "team", "team-pw"))
        {
            deleted.IsSuccessStatusCode.Should().BeTrue(await deleted.Content.ReadAsStringAsync());
        }
        await _server.CreateIndexAsync("team", "up", $$"""{"type": "mirror", "mirror_url": "{{_tree.SimpleUrl}}", "prefetch": ["keep"]}""");
        var fresh = JsonNode.Parse(await (await _server.SendAsync(HttpMethod.Get, "team/up")).Content.ReadAsStringAsync())!["result"]!;
        fresh["prefetch_status"].Should().BeNull("a deleted index's status went with it");
    }

    [Fact]
    public async Task Keeps_the_newest_final_release_of_the_named_projects_and_reports_it_in_the_index_view_and_the_metrics()
    {
        await _server.CreateIndexAsync("team", "up", $$"""
            {"type": "mirror", "mirror_url": "{{_tree.SimpleUrl}}", "prefetch": ["Keep", "ghost"], "prefetch_requirements": "{{_requirements}}", "prefetch_bandwidth": 0}
            """);

        var first = await PrefetchAsync("team/up");
        var second = await PrefetchAsync("team/up");

        Names(first, "fetched").Should().Equal("keep-2.0-py3-none-any.whl", "keep-2.0-py3-none-manylinux2014_x86_64.whl", "listed-0.5-py3-none-any.whl");
        Names(first, "failed").Should().Equal("ghost: the upstream has no such project");
        ((int)first["projects"]!).Should().Be(3);
        ((long)first["fetched_bytes"]!).Should().Be(new[] { "keep-2.0-py3-none-any.whl", "keep-2.0-py3-none-manylinux2014_x86_64.whl", "listed-0.5-py3-none-any.whl" }
            .Sum(f => (long)_upstream[f].Length));
        Names(second, "fetched").Should().BeEmpty("everything is stored already");

        var view = JsonNode.Parse(await (await _server.SendAsync(HttpMethod.Get, "team/up")).Content.ReadAsStringAsync())!["result"]!;
        view["prefetch"]!.AsArray().Select(n => (string)n!).Should().Equal("keep", "ghost");
        view["prefetch_status"]!["last_run"]!.GetValue<string>().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$");
        Names(view["prefetch_status"]!, "failed").Should().Equal("ghost: the upstream has no such project");
        var metrics = await _server.Client.GetStringAsync("+metrics");
        metrics.Should().Contain("wheelhouse_prefetch_files_total{index=\"team/up\",outcome=\"fetched\"} 3");

        _tree.Stop();
        foreach (var file in Names(first, "fetched"))
        {
            var sha = Distributions.Sha256(_upstream[file]);
            (await _server.Client.GetByteArrayAsync($"team/up/+f/{sha[..3]}/{sha[3..16]}/{file}")).Should().Equal(_upstream[file], "served with the upstream gone");
        }
    }

    [Fact]
    public async Task A_run_keeps_to_its_bandwidth_and_stops_at_its_disk_budget()
    {
        await _server.CreateIndexAsync("team", "up", $$"""
            {"type": "mirror", "mirror_url": "{{_tree.SimpleUrl}}", "prefetch": ["big", "huge"], "prefetch_bandwidth": 100000, "prefetch_max_bytes": 100000}
            """);

        var clock = Stopwatch.StartNew();
        var status = await PrefetchAsync("team/up");
        clock.Stop();

        Names(status, "fetched").Should().Equal(Distributions.WheelName("big", "1.0"));
        ((string)status["stopped"]!).Should().StartWith("disk budget reached: team/up stores").And.EndWith("prefetch_max_bytes is 100000");
        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(1.3), "150 kB at 100 kB/s take at least 1.5 s");
        (await _server.Client.GetStringAsync("team/up/+findlinks")).Should().NotContain("huge-1.0");
    }

    [Fact]
    public async Task Bad_pre_fetch_settings_are_refused_with_every_problem_and_a_stage_cannot_have_them()
    {
        using var mirror = await _server.SendAsync(HttpMethod.Put, "team/bad", "team", "team-pw", $$"""
            {"type": "mirror", "mirror_url": "{{_tree.SimpleUrl}}", "prefetch": ["*", "no such"], "prefetch_interval": 10,
             "prefetch_requirements": "relative.txt", "prefetch_max_bytes": -1}
            """);
        using var stage = await _server.SendAsync(HttpMethod.Put, "team/stage", "team", "team-pw", """{"prefetch": ["keep"]}""");
        await _server.CreateIndexAsync("team", "plain", $$"""{"type": "mirror", "mirror_url": "{{_tree.SimpleUrl}}"}""");
        using var nothing = await _server.SendAsync(HttpMethod.Post, "team/plain/+prefetch", "team", "team-pw");
        using var anonymous = await _server.SendAsync(HttpMethod.Post, "team/plain/+prefetch");

        mirror.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await mirror.Content.ReadAsStringAsync()).Should().Contain("prefetch: '*' is not allowed").And.Contain("prefetch: 'no such' is not a project name")
            .And.Contain("prefetch_interval: at least 60 seconds, got 10").And.Contain("prefetch_requirements: 'relative.txt' must be an absolute path")
            .And.Contain("prefetch_max_bytes: expected a whole number of bytes");
        stage.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await stage.Content.ReadAsStringAsync()).Should().Contain("unknown index keys for a stage index: prefetch");
        nothing.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await nothing.Content.ReadAsStringAsync()).Should().Contain("team/plain has nothing to pre-fetch");
        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
