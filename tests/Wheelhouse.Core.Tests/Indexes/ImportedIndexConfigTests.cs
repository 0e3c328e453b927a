using System.Text.Json.Nodes;
using Wheelhouse.Core.Indexes;

namespace Wheelhouse.Core.Tests.Indexes;

/// <summary>Keys of devpi plugins in an imported config are kept, written back, and may be changed but not invented.</summary>
public sealed class ImportedIndexConfigTests
{
    private static readonly IndexPath Path = IndexPath.Parse("team/dev");

    [Fact]
    public void An_imported_config_keeps_unknown_keys_and_writes_them_back()
    {
        var json = (JsonObject)JsonNode.Parse("""{"type": "stage", "bases": ["gone/base"], "volatile": false, "acl_upload": ["team"], "push_requires_review": {"by": ["qa"]}}""")!;
        IndexConfigRules.Imported(Path, json).IsValid(out var config, out var invalid).Should().BeTrue(invalid?.Message);
        config!.KeptKeys.Keys.Should().Equal("push_requires_review");
        var written = IndexConfigJson.ToJson(config, forDisplay: false);
        written["push_requires_review"]!["by"]![0]!.ToString().Should().Be("qa");
        written["bases"]![0]!.ToString().Should().Be("gone/base");

        IndexConfigRules.Patch(Path, config, JsonNode.Parse("""{"push_requires_review": {"by": ["root"]}}"""), _ => true)
            .IsValid(out var changed, out var patchError).Should().BeTrue(patchError?.Message);
        changed!.KeptKeys["push_requires_review"]["by"]![0]!.ToString().Should().Be("root");
        IndexConfigRules.Patch(Path, config, JsonNode.Parse("""{"invented": 1}"""), _ => true).IsValid(out _, out var refused).Should().BeFalse();
        refused!.Message.Should().Contain("invented");
        IndexConfigRules.Create(Path, json, _ => true).IsValid(out _, out var created).Should().BeFalse("a new index gets no unknown keys");
        created!.Message.Should().Contain("push_requires_review");
    }
}
