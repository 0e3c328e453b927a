using Wheelhouse.Server.Configuration;

namespace Wheelhouse.Server.Tests.Mirrors;

/// <summary>How the proxy for mirror traffic is read from settings and variables, and which hosts bypass it.</summary>
public sealed class MirrorProxyTests
{
    private static ConfigurationResult Load(Dictionary<string, string?> environment, string json = "{}")
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("wh-proxy-config-").FullName, "wheelhouse.json");
        File.WriteAllText(file, json);
        return ConfigurationLoader.Load(file, new Dictionary<string, string>(), environment);
    }

    [Fact]
    public void The_lower_case_variables_come_first_and_a_bare_host_means_http()
    {
        var proxy = Load(new() { ["https_proxy"] = "egress:3128", ["HTTPS_PROXY"] = "http://other:1", ["HTTP_PROXY"] = "http://plain:8080", ["no_proxy"] = ".corp.example, *.lan,10.1.2.3:8080" })
            .Options!.MirrorProxy!;

        proxy.HttpsProxy.Should().Be(new Uri("http://egress:3128"));
        proxy.HttpProxy.Should().Be(new Uri("http://plain:8080"));
        proxy.NoProxy.Should().Equal("corp.example", "lan", "10.1.2.3:8080");
        proxy.For(new Uri("https://pypi.corp.example/simple/")).Should().BeNull();
        proxy.For(new Uri("https://corp.example/simple/")).Should().BeNull();
        proxy.For(new Uri("https://notcorp.example/simple/")).Should().Be(new Uri("http://egress:3128"));
        proxy.For(new Uri("http://10.1.2.3:8080/")).Should().BeNull();
        proxy.For(new Uri("http://10.1.2.3:9090/")).Should().Be(new Uri("http://plain:8080"));
    }

    [Fact]
    public void No_variable_and_no_setting_means_direct()
    {
        Load(new() { ["no_proxy"] = "*" }).Options!.MirrorProxy.Should().BeNull();
    }

    [Fact]
    public void The_setting_serves_both_schemes_and_its_no_proxy_list_replaces_the_variable()
    {
        var proxy = Load(new() { ["https_proxy"] = "http://env:1", ["no_proxy"] = "env.example" },
            """{ "mirrorProxy": "http://proxy.example:3128", "mirrorNoProxy": "files.example" }""").Options!.MirrorProxy!;

        proxy.HttpProxy.Should().Be(new Uri("http://proxy.example:3128"));
        proxy.HttpsProxy.Should().Be(new Uri("http://proxy.example:3128"));
        proxy.NoProxy.Should().Equal("files.example");
        proxy.For(new Uri("https://env.example/")).Should().NotBeNull();
    }

    [Fact]
    public void The_environment_variable_WHEELHOUSE_MIRROR_PROXY_sets_it_too()
    {
        Load(new() { ["WHEELHOUSE_MIRROR_PROXY"] = "socks5://127.0.0.1:1080" }).Options!.MirrorProxy!.HttpsProxy
            .Should().Be(new Uri("socks5://127.0.0.1:1080"));
    }

    [Fact]
    public void Bad_proxies_are_reported_with_their_source_and_without_their_password()
    {
        var result = Load(new() { ["https_proxy"] = "ftp://user:hunter2@proxy:21" }, """{ "mirrorProxy": "http://proxy.example:3128/some/path" }""");

        result.Options.Should().BeNull();
        result.Problems.Should().ContainSingle().Which.Should().Contain("mirrorProxy").And.Contain("wheelhouse.json");

        var fromEnvironment = Load(new() { ["https_proxy"] = "ftp://user:hunter2@proxy:21" });
        fromEnvironment.Problems.Should().ContainSingle().Which.Should().Contain("https_proxy").And.NotContain("hunter2");
    }
}
