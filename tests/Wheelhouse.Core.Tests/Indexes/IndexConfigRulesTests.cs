using System.Text.Json.Nodes;
using Wheelhouse.Core.Indexes;

namespace Wheelhouse.Core.Tests.Indexes;

public class IndexConfigRulesTests
{
    private static readonly IndexPath Dev = IndexPath.Parse("foo/dev");
    private static readonly HashSet<string> Existing = ["foo/dev", "root/pypi", "team/staging", "shared/stable"];

    private static bool Exists(IndexPath p) => Existing.Contains(p.ToString());

    private static IndexConfig Valid(Validated<IndexConfig> result)
    {
        result.IsValid(out var config, out var invalid).Should().BeTrue(invalid?.Message);
        return config!;
    }

    private static string Invalid(Validated<IndexConfig> result)
    {
        result.IsValid(out _, out var invalid).Should().BeFalse();
        return invalid!.Message;
    }

    private static IndexConfig Create(string json) => Valid(IndexConfigRules.Create(Dev, JsonNode.Parse(json)!.AsObject(), Exists));

    private static Validated<IndexConfig> Patch(IndexConfig current, string json) =>
        IndexConfigRules.Patch(Dev, current, JsonNode.Parse(json), Exists);

    [Fact]
    public void Creates_a_stage_with_devpi_defaults()
    {
        var config = Create("{}");
        IndexConfigJson.ToJson(config).ToJsonString().Should().Be(
            """{"type":"stage","bases":[],"volatile":true,"acl_upload":["foo"],"acl_toxresult_upload":[":ANONYMOUS:"],"mirror_whitelist":[],"mirror_whitelist_inheritance":"intersection"}""");
        config.RefusePrereleases.Should().BeFalse();
    }

    [Fact]
    public void Creates_a_stage_from_lenient_values()
    {
        var config = Create("""
            {"type": "stage", "bases": "team/staging, root/pypi", "volatile": "no", "acl_upload": ["foo", ":qa", ":authenticated:"],
             "mirror_whitelist": "Foo_Bar,*", "mirror_whitelist_inheritance": "UNION", "refuse_prereleases": "yes",
             "title": "Dev", "description": "d", "custom_data": {"k": [1]}, "projects": ["ignored"]}
            """);
        config.Bases.Select(b => b.ToString()).Should().Equal("team/staging", "root/pypi");
        config.Volatile.Should().BeFalse();
        config.AclUpload.Select(a => a.ToString()).Should().Equal("foo", ":qa", ":AUTHENTICATED:");
        config.MirrorWhitelist.Should().Equal("foo-bar", "*");
        config.MirrorWhitelistInheritance.Should().Be(MirrorWhitelistInheritance.Union);
        config.RefusePrereleases.Should().BeTrue();
        config.Title.Should().Be("Dev");
        config.CustomData!.ToJsonString().Should().Be("""{"k":[1]}""");
        IndexConfigJson.ToJson(config)["refuse_prereleases"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public void Reports_every_problem_at_once()
    {
        var message = Invalid(IndexConfigRules.Create(Dev, JsonNode.Parse("""
            {"bases": ["nobody/nothing", "foo/dev", "bad"], "volatile": "maybe", "colour": "red", "acl_upload": ["a b"],
             "mirror_whitelist_inheritance": "xor", "mirror_whitelist": ["-x-"]}
            """)!.AsObject(), Exists));
        message.Should().Contain("unknown index keys for a stage index: colour")
            .And.Contain("index nobody/nothing does not exist")
            .And.Contain("cannot inherit from itself")
            .And.Contain("'bad' is not an index name")
            .And.Contain("volatile: expected true, false, yes or no")
            .And.Contain("acl_upload:")
            .And.Contain("Unknown value 'xor' for mirror_whitelist_inheritance")
            .And.Contain("mirror_whitelist: '-x-'");
    }

    [Fact]
    public void Creates_mirrors_that_need_a_url_and_have_no_bases()
    {
        var mirror = Create("""{"type": "mirror", "mirror_url": "https://user:secret@pypi.example/simple/", "mirror_cache_expiry": "60"}""");
        mirror.IsMirror.Should().BeTrue();
        mirror.EffectiveMirrorCacheExpiry.Should().Be(60);
        var shown = IndexConfigJson.ToJson(mirror).ToJsonString();
        shown.Should().NotContain("secret").And.Contain("user:****@pypi.example");
        IndexConfigJson.ToJson(mirror, forDisplay: false)["mirror_url"]!.GetValue<string>().Should().Contain("secret");

        var plain = Create("""{"type": "mirror", "mirror_url": "https://pypi.org/simple/"}""");
        IndexConfigJson.ToJson(plain).ToJsonString().Should().Be("""{"type":"mirror","mirror_url":"https://pypi.org/simple/","volatile":true}""");
        plain.EffectiveMirrorCacheExpiry.Should().Be(1800);

        Invalid(IndexConfigRules.Create(Dev, JsonNode.Parse("""{"type": "mirror", "bases": ["root/pypi"], "acl_upload": "x"}""")!.AsObject(), Exists))
            .Should().Contain("a mirror index has no bases").And.Contain("unknown index keys for a mirror index: acl_upload").And.Contain("needs mirror_url");
        Invalid(IndexConfigRules.Create(Dev, JsonNode.Parse("""{"type": "mirror", "mirror_url": "ftp://x/"}""")!.AsObject(), Exists))
            .Should().Contain("not an absolute http or https URL");
        Invalid(IndexConfigRules.Create(Dev, JsonNode.Parse("""{"type": "bucket"}""")!.AsObject(), Exists)).Should().Contain("'stage' or 'mirror'");
    }

    [Fact]
    public void Takes_devpis_mirror_no_project_list_for_mirrors_only()
    {
        var listless = Create("""{"type": "mirror", "mirror_url": "https://pypi.org/simple/", "mirror_no_project_list": "yes"}""");
        listless.MirrorNoProjectList.Should().BeTrue();
        IndexConfigJson.ToJson(listless)["mirror_no_project_list"]!.GetValue<bool>().Should().BeTrue();
        Create("""{"type": "mirror", "mirror_url": "https://pypi.org/simple/"}""").MirrorNoProjectList.Should().BeFalse();
        Valid(Patch(listless, """["mirror_no_project_list=false"]""")).MirrorNoProjectList.Should().BeFalse();

        Invalid(IndexConfigRules.Create(Dev, JsonNode.Parse("""{"mirror_no_project_list": true}""")!.AsObject(), Exists))
            .Should().Contain("unknown index keys for a stage index: mirror_no_project_list");
        Invalid(IndexConfigRules.Create(Dev, JsonNode.Parse("""{"type": "mirror", "mirror_url": "https://pypi.org/simple/", "mirror_no_project_list": "often"}""")!.AsObject(), Exists))
            .Should().Contain("mirror_no_project_list");
    }

    [Fact]
    public void Patches_with_key_value_operations_like_devpi()
    {
        var config = Create("{}");
        config = Valid(Patch(config, """["acl_upload+=bar"]"""));
        config.AclUpload.Select(a => a.ToString()).Should().Equal("foo", "bar");
        Valid(Patch(config, """["acl_upload+=bar"]""")).Should().Be(config, "adding a present value changes nothing");
        config = Valid(Patch(config, """["acl_upload-=bar", "bases+=root/pypi", "mirror_whitelist+=foo", "mirror_whitelist+=Bar"]"""));
        config.AclUpload.Select(a => a.ToString()).Should().Equal("foo");
        config.Bases.Select(b => b.ToString()).Should().Equal("root/pypi");
        config.MirrorWhitelist.Should().Equal("foo", "bar");
        Invalid(Patch(config, """["mirror_whitelist-=baz"]""")).Should().Be("The 'mirror_whitelist' setting doesn't have value 'baz'");
        config = Valid(Patch(config, """["volatile=False", "title=My index", "mirror_whitelist_inheritance=union"]"""));
        config.Volatile.Should().BeFalse();
        config.Title.Should().Be("My index");
        config.MirrorWhitelistInheritance.Should().Be(MirrorWhitelistInheritance.Union);
        config = Valid(Patch(config, """["title-=", "volatile-=", "acl_upload-="]"""));
        config.Title.Should().BeNull();
        config.Volatile.Should().BeTrue();
        config.AclUpload.Select(a => a.ToString()).Should().Equal("foo");
        Valid(Patch(config, """["bases="]""")).Bases.Should().BeEmpty();
    }

    [Fact]
    public void Patches_with_a_dict_merged_into_the_config()
    {
        var config = Create("""{"bases": ["root/pypi"], "title": "t"}""");
        config = Valid(Patch(config, """{"volatile": false, "bases": ["team/staging"], "title": null, "type": "stage", "projects": []}"""));
        config.Volatile.Should().BeFalse();
        config.Bases.Select(b => b.ToString()).Should().Equal("team/staging");
        config.Title.Should().BeNull();
        config.AclUpload.Select(a => a.ToString()).Should().Equal("foo");
    }

    [Fact]
    public void Refuses_bad_patches_and_changes_nothing()
    {
        var config = Create("{}");
        Invalid(Patch(config, """{"type": "mirror"}""")).Should().Contain("the 'type' of an index can't be changed");
        Invalid(Patch(config, """["type=mirror"]""")).Should().Contain("can't be changed");
        Invalid(Patch(config, """["nonsense"]""")).Should().Contain("couldn't parse 'nonsense'");
        Invalid(Patch(config, """["title+=x"]""")).Should().Contain("'title' is not a list setting");
        Invalid(Patch(config, """["colour=red"]""")).Should().Contain("unknown index keys for a stage index: colour");
        Invalid(Patch(config, """[1]""")).Should().Contain("must be strings");
        Invalid(Patch(config, "42")).Should().Contain("JSON object or a list");
        Invalid(Patch(config, """["bases+=nobody/here"]""")).Should().Contain("index nobody/here does not exist");
        config.AclUpload.Select(a => a.ToString()).Should().Equal(new[] { "foo" }, "the original config is immutable");
    }

    [Fact]
    public void Keeps_a_base_that_has_disappeared_and_the_hidden_mirror_password()
    {
        var config = Create("""{"bases": ["team/staging"]}""");
        var notExisting = IndexConfigRules.Patch(Dev, config, JsonNode.Parse("""["title=x"]"""), _ => false);
        Valid(notExisting).Bases.Should().HaveCount(1);

        var mirror = Create("""{"type": "mirror", "mirror_url": "https://u:pw@up.example/simple/"}""");
        var shown = IndexConfigJson.ToJson(mirror);
        shown["title"] = "Upstream";
        var patched = Valid(IndexConfigRules.Patch(Dev, mirror, shown, Exists));
        patched.MirrorUrl.Should().Be("https://u:pw@up.example/simple/");
        patched.Title.Should().Be("Upstream");
    }

    [Fact]
    public void Round_trips_through_stored_json()
    {
        var config = Create("""{"bases": "root/pypi", "acl_upload": [":qa", "foo"], "refuse_prereleases": true, "custom_data": "x", "volatile": false}""");
        IndexConfigJson.FromStored(Dev, IndexConfigJson.ToJson(config, forDisplay: false)).Should().Be(config);
        var mirror = Create("""{"type": "mirror", "mirror_url": "https://u:pw@up.example/simple/", "mirror_cache_expiry": 5, "mirror_web_url_fmt": "https://x/{name}"}""");
        IndexConfigJson.FromStored(Dev, IndexConfigJson.ToJson(mirror, forDisplay: false)).Should().Be(mirror);
        var listless = mirror with { MirrorNoProjectList = true };
        IndexConfigJson.FromStored(Dev, IndexConfigJson.ToJson(listless, forDisplay: false)).Should().Be(listless).And.NotBe(mirror);
        var corrupt = () => IndexConfigJson.FromStored(Dev, new JsonObject { ["type"] = "bucket" });
        corrupt.Should().Throw<InvalidDataException>().WithMessage("*foo/dev*");
    }

    [Fact]
    public void Reads_stored_configs_with_null_optional_keys()
    {
        var stored = JsonNode.Parse("""
            {"type": "mirror", "volatile": true, "title": null, "description": null, "mirror_url": "https://pypi.org/simple/",
             "mirror_web_url_fmt": null, "mirror_cache_expiry": 1800}
            """)!.AsObject();
        var mirror = IndexConfigJson.FromStored(Dev, stored);
        mirror.Title.Should().BeNull();
        mirror.MirrorCacheExpiry.Should().Be(1800);
    }
}
