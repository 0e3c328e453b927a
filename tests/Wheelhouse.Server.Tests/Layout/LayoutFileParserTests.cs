using Wheelhouse.Core;
using Wheelhouse.Core.Layout;
using Wheelhouse.Server.Layout;

namespace Wheelhouse.Server.Tests.Layout;

public class LayoutFileParserTests
{
    [Fact]
    public void Reads_users_and_indexes_in_devpi_s_json_shape()
    {
        var spec = Valid(LayoutFileParser.Parse("""
            version: 1
            users:
              alice:
                password_env: ALICE_PW
                email: alice@example.org
                groups: [qa, team-a]
              bob:
                password_hash: "pbkdf2-sha256$1000$c2FsdA==$aGFzaA=="
                groups: qa, team-b
            indexes:
              alice/dev:
                bases: [alice/base]
                volatile: yes
                custom_data: {owner: alice, retries: 3, strict: true, note: "yes"}
              alice/base:
              root/pypi: {type: mirror, mirror_url: "https://pypi.org/simple/", mirror_cache_expiry: 60}
            """, "layout.yaml"));

        spec.Users.Should().HaveCount(2);
        spec.Users[0].Should().Be(new LayoutUserSpec("alice", "layout.yaml line 4") { PasswordEnv = "ALICE_PW", Email = "alice@example.org", Groups = spec.Users[0].Groups });
        spec.Users[0].Groups.Should().Equal("qa", "team-a");
        spec.Users[1].Groups.Should().Equal("qa", "team-b");
        spec.Users[1].PasswordHash.Should().Be("pbkdf2-sha256$1000$c2FsdA==$aGFzaA==");
        spec.Indexes.Select(i => i.Path).Should().Equal("alice/dev", "alice/base", "root/pypi");
        spec.Indexes[0].Config.ToJsonString().Should().Be(
            """{"bases":["alice/base"],"volatile":"yes","custom_data":{"owner":"alice","retries":3,"strict":true,"note":"yes"}}""");
        spec.Indexes[1].Config.Should().BeEmpty();
        spec.Indexes[2].Config.ToJsonString().Should().Be("""{"type":"mirror","mirror_url":"https://pypi.org/simple/","mirror_cache_expiry":"60"}""");

        var plan = LayoutPlanner.Plan(spec, LayoutState.Empty);
        plan.IsValid(out var valid, out var invalid).Should().BeTrue(invalid?.Message);
        valid!.Actions.OfType<CreateIndex>().Select(a => a.Index.ToString()).Should().Equal("alice/base", "alice/dev", "root/pypi");
        valid.Actions.OfType<CreateIndex>().Single(a => a.Index.ToString() == "alice/dev").Config.CustomData!.ToJsonString()
            .Should().Be("""{"owner":"alice","retries":3,"strict":true,"note":"yes"}""");
    }

    [Fact]
    public void Unknown_keys_and_wrong_shapes_are_all_reported_with_their_lines()
    {
        var problems = Invalid(LayoutFileParser.Parse("""
            users:
              alice:
                password: hunter2
                emial: a@example.org
              bob: [not, a, mapping]
            indexes:
              alice/dev:
                base: [alice/base]
              root/pypi:
                type: mirror
                mirror_url: https://pypi.org/simple/
                bases: [x/y]
            colour: blue
            """, "layout.yaml"));

        problems.Should().BeEquivalentTo(
            "layout.yaml line 3: user alice: plain passwords are not accepted in a layout file; use password_env (the name of an environment variable) or password_hash",
            "layout.yaml line 4: user alice: unknown key 'emial' (valid keys: password_hash, password_env, email, title, description, groups)",
            "layout.yaml line 5: user bob: expected a mapping of settings",
            "layout.yaml line 8: index alice/dev: unknown key 'base' for a stage index (valid keys: type, bases, volatile, acl_upload, acl_toxresult_upload, mirror_whitelist, mirror_whitelist_inheritance, refuse_prereleases, title, description, custom_data)",
            "layout.yaml line 12: index root/pypi: unknown key 'bases' for a mirror index (valid keys: type, mirror_url, mirror_web_url_fmt, mirror_cache_expiry, mirror_no_project_list, volatile, title, description, custom_data, prefetch, prefetch_requirements, prefetch_interval, prefetch_bandwidth, prefetch_max_bytes)",
            "layout.yaml line 13: unknown key 'colour' (valid keys: version, users, indexes)");
        problems.Should().NotContain(p => p.Contains("hunter2"));
    }

    [Theory]
    [InlineData("users:\n  alice:\n    email: [a\n", "layout.yaml line 4: not valid YAML")]
    [InlineData("users:\n  alice: {}\n  alice: {}\n", "layout.yaml line 3: not valid YAML")]
    [InlineData("- just\n- a list\n", "layout.yaml: a layout file is one YAML mapping")]
    [InlineData("", "layout.yaml: a layout file is one YAML mapping")]
    [InlineData("version: 2\n", "layout.yaml line 1: version must be 1")]
    [InlineData("indexes: [a/b]\n", "layout.yaml line 1: 'indexes' must be a mapping")]
    public void Broken_files_say_where_and_what(string text, string expected)
    {
        Invalid(LayoutFileParser.Parse(text, "layout.yaml")).Should().ContainSingle().Which.Should().StartWith(expected);
    }

    [Fact]
    public void A_missing_file_is_a_problem_not_an_exception()
    {
        Invalid(LayoutFileParser.ParseFile("/nonexistent/layout.yaml")).Should().ContainSingle()
            .Which.Should().StartWith("cannot read layout file /nonexistent/layout.yaml: ");
    }

    internal static LayoutSpec Valid(Validated<LayoutSpec> result)
    {
        result.IsValid(out var spec, out var invalid).Should().BeTrue(invalid?.Message);
        return spec!;
    }

    private static IReadOnlyList<string> Invalid(Validated<LayoutSpec> result)
    {
        result.IsValid(out _, out var invalid).Should().BeFalse();
        return invalid!.Problems;
    }
}
