using Wheelhouse.Server.Configuration;

namespace Wheelhouse.Server.Tests.Configuration;

public sealed class ConfigurationLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wh-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string File(string json)
    {
        var path = Path.Combine(_dir, "wheelhouse.json");
        System.IO.File.WriteAllText(path, json);
        return path;
    }

    private static Dictionary<string, string?> Env(params (string, string)[] vars) => vars.ToDictionary(v => v.Item1, v => (string?)v.Item2);

    [Fact]
    public void Reads_every_documented_key_from_the_example_file()
    {
        var example = Wheelhouse.Testing.RepositoryRoot.Combine("src", "Wheelhouse.Server", "wheelhouse.example.json");
        var result = ConfigurationLoader.Load(example, new Dictionary<string, string>(), Env());
        result.Problems.Should().BeEmpty();
        result.Options!.DataDirectory.Should().Be("/var/lib/wheelhouse-server");
        result.Options.Port.Should().Be(3141);
    }

    [Fact]
    public void File_environment_and_command_line_override_in_that_order()
    {
        var path = File("""{ "port": 4000, "host": "0.0.0.0", "maxUploadSize": "10M", "dataDir": "/srv/a" }""");
        var result = ConfigurationLoader.Load(path, new Dictionary<string, string> { ["port"] = "5000" },
            Env(("WHEELHOUSE_PORT", "4500"), ("WHEELHOUSE_DATA_DIR", "/srv/b")));
        result.Problems.Should().BeEmpty();
        result.Options!.Port.Should().Be(5000);
        result.Options.Host.Should().Be("0.0.0.0");
        result.Options.DataDirectory.Should().Be("/srv/b");
        result.Options.MaxUploadSize.Should().Be(10L << 20);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_naming_its_key()
    {
        var path = File("""{ "port": 70000, "colour": "blue", "logLevel": "Loud", "outsideUrl": "ftp://x" }""");
        var result = ConfigurationLoader.Load(path, new Dictionary<string, string>(), Env(("WHEELHOUSE_TOKEN_LIFETIME", "5"), ("WHEELHOUSE_PROT", "1")));
        result.Options.Should().BeNull();
        result.Problems.Should().HaveCount(6);
        result.Problems.Should().Contain(p => p.Contains("unknown key 'colour'"));
        result.Problems.Should().Contain(p => p.Contains("'port'") && p.Contains("70000"));
        result.Problems.Should().Contain(p => p.Contains("logLevel"));
        result.Problems.Should().Contain(p => p.Contains("outsideUrl"));
        result.Problems.Should().Contain(p => p.Contains("WHEELHOUSE_TOKEN_LIFETIME"));
        result.Problems.Should().Contain(p => p.Contains("WHEELHOUSE_PROT") && p.Contains("unknown"));
    }

    [Fact]
    public void Trusted_proxies_are_addresses_or_ranges_and_default_to_loopback()
    {
        ConfigurationLoader.Load(null, new Dictionary<string, string>(), Env()).Options!.TrustedProxies.Select(n => n.ToString())
            .Should().Equal("127.0.0.0/8", "::1/128");
        var path = File("""{ "trustedProxies": "10.0.0.0/8, 192.0.2.1 2001:db8::/32" }""");
        ConfigurationLoader.Load(path, new Dictionary<string, string>(), Env()).Options!.TrustedProxies.Select(n => n.ToString())
            .Should().Equal("10.0.0.0/8", "192.0.2.1/32", "2001:db8::/32");
        ConfigurationLoader.Load(null, new Dictionary<string, string>(), Env(("WHEELHOUSE_TRUSTED_PROXIES", ""))).Options!.TrustedProxies.Should().BeEmpty();
        var bad = ConfigurationLoader.Load(File("""{ "trustedProxies": "nginx, 10.0.0.0/99" }"""), new Dictionary<string, string>(), Env());
        bad.Options.Should().BeNull();
        bad.Problems.Should().HaveCount(2).And.Contain(p => p.Contains("'nginx'") && p.Contains("trustedProxies"));
    }

    [Fact]
    public void Metrics_readers_are_addresses_or_ranges_and_default_to_loopback()
    {
        ConfigurationLoader.Load(null, new Dictionary<string, string>(), Env()).Options!.MetricsAllowedFrom.Select(n => n.ToString())
            .Should().Equal("127.0.0.0/8", "::1/128");
        ConfigurationLoader.Load(null, new Dictionary<string, string>(), Env(("WHEELHOUSE_METRICS_ALLOWED_FROM", "10.1.2.3, 192.168.0.0/16")))
            .Options!.MetricsAllowedFrom.Select(n => n.ToString()).Should().Equal("10.1.2.3/32", "192.168.0.0/16");
        var bad = ConfigurationLoader.Load(File("""{ "metricsAllowedFrom": "prometheus.example.org", "port": "x" }"""), new Dictionary<string, string>(), Env());
        bad.Options.Should().BeNull();
        bad.Problems.Should().HaveCount(2, "every problem is reported at once")
            .And.Contain(p => p.Contains("metricsAllowedFrom entry 'prometheus.example.org'") && p.Contains("CIDR"));
    }

    [Fact]
    public void Layout_password_variables_are_not_taken_for_settings()
    {
        var result = ConfigurationLoader.Load(File("{}"), new Dictionary<string, string>(), Env(("WHEELHOUSE_PASSWORD_QA", "q"), ("WHEELHOUSE_PASWORD_QA", "q")));
        result.Problems.Should().ContainSingle().Which.Should().Contain("WHEELHOUSE_PASWORD_QA", "only the exact prefix is reserved");
    }

    [Fact]
    public void Invalid_json_is_reported_with_the_file()
    {
        var path = File("{ port: ");
        var result = ConfigurationLoader.Load(path, new Dictionary<string, string>(), Env());
        result.Problems.Should().ContainSingle().Which.Should().Contain(path).And.Contain("not valid JSON");
    }

    [Fact]
    public void Missing_file_is_reported()
    {
        var result = ConfigurationLoader.Load(Path.Combine(_dir, "nope.json"), new Dictionary<string, string>(), Env());
        result.Problems.Should().ContainSingle().Which.Should().Contain("cannot read");
    }
}
