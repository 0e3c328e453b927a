using System.Text.Json.Nodes;
using Wheelhouse.Core.Indexes;

namespace Wheelhouse.Core.Tests.Indexes;

/// <summary>A mirror's pre-fetch keys: validated with the others, written only when set, listed names patched with += and -=.</summary>
public sealed class PrefetchConfigTests
{
    private static readonly IndexPath Up = IndexPath.Parse("team/up");

    private static Validated<IndexConfig> Create(string json) => IndexConfigRules.Create(Up, JsonNode.Parse(json)!.AsObject(), _ => true);

    [Fact]
    public void Keys_are_normalized_round_trip_through_storage_and_patch_as_a_list()
    {
        Create("""
            {"type": "mirror", "mirror_url": "https://pypi.org/simple/", "prefetch": ["Requests", "zope.interface"], "prefetch_requirements": "/etc/req.txt",
             "prefetch_interval": 600, "prefetch_bandwidth": "1048576", "prefetch_max_bytes": 21474836480}
            """).IsValid(out var config, out _).Should().BeTrue();

        config!.Prefetch.Should().Equal("requests", "zope-interface");
        config.PrefetchBandwidth.Should().Be(1_048_576);
        config.PrefetchMaxBytes.Should().Be(20L * 1024 * 1024 * 1024, "a disk budget may pass 2 GiB");
        IndexConfigJson.FromStored(Up, IndexConfigJson.ToJson(config, forDisplay: false)).Should().Be(config);
        IndexConfigRules.Patch(Up, config, JsonNode.Parse("""["prefetch+=six", "prefetch-=requests"]"""), _ => true).IsValid(out var patched, out var why).Should().BeTrue(why?.Message);
        patched!.Prefetch.Should().Equal("zope-interface", "six");
    }

    [Fact]
    public void A_mirror_without_them_looks_as_before()
    {
        Create("""{"type": "mirror", "mirror_url": "https://pypi.org/simple/"}""").IsValid(out var config, out _).Should().BeTrue();

        config!.PrefetchConfigured.Should().BeFalse();
        IndexConfigJson.ToJson(config).Select(p => p.Key).Should().NotContain(k => k.StartsWith("prefetch", StringComparison.Ordinal));
    }
}
