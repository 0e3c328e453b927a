using System.Net;
using Wheelhouse.Server.Configuration;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Mirrors;

/// <summary>
/// Mirror traffic through a forward proxy on loopback, configured the ways ops configure it: the process's
/// http_proxy/no_proxy variables, or the mirrorProxy setting (with credentials in its URL).
/// </summary>
[Integration]
public sealed class MirrorTrafficThroughProxyTests
{
    private static ServerOptions Loaded(Dictionary<string, string?> environment, string json = "{}")
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("wh-proxy-config-").FullName, "wheelhouse.json");
        File.WriteAllText(file, json);
        var result = ConfigurationLoader.Load(file, new Dictionary<string, string>(), environment);
        result.Problems.Should().BeEmpty();
        return result.Options!;
    }

    private static async Task<(string Page, byte[] File)> FetchThroughMirrorAsync(MirrorPair pair)
    {
        var page = await pair.Server.Client.GetStringAsync("ops/stage/+simple/gizmo/");
        var href = System.Text.RegularExpressions.Regex.Match(page, "href=\"(?<h>[^\"#]+)#").Groups["h"].Value;
        var file = await pair.Server.Client.GetByteArrayAsync(new Uri(new Uri(pair.Server.Client.BaseAddress!, "ops/stage/+simple/gizmo/"), href));
        return (page, file);
    }

    [Fact]
    public async Task The_http_proxy_variable_carries_the_mirror_s_page_and_file_requests()
    {
        await using var proxy = LoopbackForwardProxy.Start();
        var loaded = Loaded(new() { ["http_proxy"] = proxy.Url, ["PATH"] = "/usr/bin" });
        await using var pair = await MirrorPair.StartAsync(o => o with { MirrorProxy = loaded.MirrorProxy });
        var wheel = await pair.Upstream.UploadWheelAsync("team/dev", "team", "gizmo", "1.0");

        var (page, file) = await FetchThroughMirrorAsync(pair);

        page.Should().Contain(Distributions.Sha256(wheel));
        file.Should().Equal(wheel);
        var upstream = new Uri(pair.Upstream.BaseUrl);
        proxy.Forwarded.Should().Contain(l => l.StartsWith($"GET {pair.Upstream.BaseUrl}/team/dev/+simple/gizmo/ ", StringComparison.Ordinal), "the page request went through the proxy");
        proxy.Forwarded.Should().Contain(l => l.StartsWith($"GET http://{upstream.Authority}/team/dev/+f/", StringComparison.Ordinal), "the file download went through the proxy");
    }

    [Fact]
    public async Task A_host_in_no_proxy_is_reached_directly()
    {
        await using var proxy = LoopbackForwardProxy.Start();
        var loaded = Loaded(new() { ["HTTP_PROXY"] = proxy.Url, ["NO_PROXY"] = "localhost,127.0.0.1" });
        await using var pair = await MirrorPair.StartAsync(o => o with { MirrorProxy = loaded.MirrorProxy });
        var wheel = await pair.Upstream.UploadWheelAsync("team/dev", "team", "gizmo", "1.0");

        var (_, file) = await FetchThroughMirrorAsync(pair);

        file.Should().Equal(wheel);
        proxy.Forwarded.Should().BeEmpty();
    }

    [Fact]
    public async Task The_mirrorProxy_setting_wins_over_the_variables_and_passes_its_credentials()
    {
        await using var proxy = LoopbackForwardProxy.Start(requiredCredentials: "egress:s3cret:with-colon");
        await using var other = LoopbackForwardProxy.Start();
        var withCredentials = proxy.Url.Replace("http://", "http://egress:s3cret%3Awith-colon@", StringComparison.Ordinal);
        var loaded = Loaded(new() { ["http_proxy"] = other.Url }, $$"""{ "mirrorProxy": "{{withCredentials}}" }""");
        await using var pair = await MirrorPair.StartAsync(o => o with { MirrorProxy = loaded.MirrorProxy });
        var wheel = await pair.Upstream.UploadWheelAsync("team/dev", "team", "gizmo", "1.0");

        var (_, file) = await FetchThroughMirrorAsync(pair);

        file.Should().Equal(wheel);
        proxy.Forwarded.Should().HaveCountGreaterThanOrEqualTo(2);
        proxy.Challenged.Should().BeGreaterThan(0, "the proxy asked, and the server answered with the URL's credentials");
        other.Forwarded.Should().BeEmpty();
        loaded.MirrorProxy!.ToString().Should().NotContain("s3cret");
    }

    [Fact]
    public async Task Without_a_proxy_the_mirror_connects_directly_even_when_the_variables_name_one()
    {
        await using var proxy = LoopbackForwardProxy.Start();
        var loaded = Loaded(new() { ["http_proxy"] = proxy.Url }, """{ "mirrorProxy": "none" }""");
        await using var pair = await MirrorPair.StartAsync(o => o with { MirrorProxy = loaded.MirrorProxy });
        await pair.Upstream.UploadWheelAsync("team/dev", "team", "gizmo", "1.0");

        using var response = await pair.Server.Client.GetAsync("ops/stage/+simple/gizmo/");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        proxy.Forwarded.Should().BeEmpty();
    }
}
