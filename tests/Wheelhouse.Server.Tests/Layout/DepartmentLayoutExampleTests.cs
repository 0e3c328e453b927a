using Wheelhouse.Core;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Layout;
using Wheelhouse.Core.Packages;
using Wheelhouse.Server.Layout;

namespace Wheelhouse.Server.Tests.Layout;

/// <summary>The shipped example (docs/examples/department-layout.yaml) does what the spec's team layout says.</summary>
public class DepartmentLayoutExampleTests
{
    private static readonly string ExamplePath = Wheelhouse.Testing.RepositoryRoot.Combine("docs", "examples", "department-layout.yaml");

    private static readonly Dictionary<string, string> Passwords = new(StringComparer.Ordinal)
    {
        ["WHEELHOUSE_PASSWORD_SHARED"] = "s",
        ["WHEELHOUSE_PASSWORD_QA"] = "q",
        ["WHEELHOUSE_PASSWORD_TEAM_A"] = "a",
        ["WHEELHOUSE_PASSWORD_TEAM_B"] = "b",
    };

    [Fact]
    public void Planned_on_an_empty_server_it_creates_exactly_the_spec_s_indexes()
    {
        var plan = Plan(LayoutState.Empty);

        plan.Actions.OfType<CreateIndex>().Select(a => a.Index.ToString()).Should().BeEquivalentTo(
            "root/pypi", "shared/stable-local", "shared/thirdparty-local", "shared/stable",
            "team-a/staging", "team-a/dev", "team-b/staging", "team-b/dev");
        plan.Actions.OfType<CreateUser>().Select(a => a.User.Value).Should().BeEquivalentTo("shared", "qa", "team-a", "team-b");
        plan.Actions.OfType<UpdateIndex>().Should().BeEmpty();

        var configs = plan.Actions.OfType<CreateIndex>().ToDictionary(a => a.Index.ToString(), a => a.Config);
        configs["shared/stable"].Bases.Select(b => b.ToString()).Should().Equal("shared/stable-local", "shared/thirdparty-local", "root/pypi");
        configs["team-a/staging"].Bases.Select(b => b.ToString()).Should().Equal("shared/stable");
        configs["team-a/dev"].Bases.Select(b => b.ToString()).Should().Equal("team-a/staging");
        configs["team-a/dev"].Volatile.Should().BeTrue();
        configs.Where(c => c.Key != "team-a/dev" && c.Key != "team-b/dev" && c.Key != "root/pypi").Should().OnlyContain(c => !c.Value.Volatile);
        configs["shared/stable-local"].AclUpload.Select(e => e.ToString()).Should().Equal(":qa");
        configs["shared/stable-local"].RefusePrereleases.Should().BeTrue();
        configs["shared/stable"].AclUpload.Should().BeEmpty();
        configs["root/pypi"].IsMirror.Should().BeTrue();
        configs.Where(c => c.Value.MirrorWhitelist.Count > 0).Select(c => c.Key).Should().Equal("shared/thirdparty-local");
    }

    [Fact]
    public void Resolution_order_from_a_team_dev_index_ends_at_the_mirror()
    {
        var configs = Configs();

        var order = ResolutionOrder.Compute(IndexPath.Parse("team-a/dev"), p => configs.GetValueOrDefault(p))!;

        order.ToString().Should().Be("team-a/dev -> team-a/staging -> shared/stable -> shared/stable-local -> shared/thirdparty-local -> root/pypi");
    }

    [Theory]
    [InlineData("team-a/dev")]
    [InlineData("team-b/staging")]
    [InlineData("shared/stable")]
    public void The_thirdparty_whitelist_works_from_every_index_developers_install_from(string queried)
    {
        var configs = Configs();
        var order = ResolutionOrder.Compute(IndexPath.Parse(queried), p => configs.GetValueOrDefault(p))!;
        var thirdparty = IndexPath.Parse("shared/thirdparty-local");

        // A patched requests lives in thirdparty-local and is whitelisted: PyPI's releases stay visible.
        var whitelisted = MirrorWhitelistPolicy.Decide(order, ProjectName.Parse("requests"), p => p == thirdparty);
        // A private project of the same name as one on PyPI, not whitelisted: the mirror is blocked.
        var confused = MirrorWhitelistPolicy.Decide(order, ProjectName.Parse("internal-tool"), p => p == thirdparty);

        whitelisted.BlockedMirrors.Should().BeEmpty();
        whitelisted.Consult.Select(i => i.Path.ToString()).Should().Equal("shared/thirdparty-local", "root/pypi");
        confused.BlockedMirrors.Select(p => p.ToString()).Should().Equal("root/pypi");
    }

    [Fact]
    public async Task Applied_twice_the_second_apply_changes_nothing()
    {
        var target = new InMemoryLayoutTarget();
        var applier = new LayoutApplier(target, password => "hash-of-" + password, Passwords.GetValueOrDefault);
        var spec = LayoutFileParserTests.Valid(LayoutFileParser.ParseFile(ExamplePath));

        var dryRun = Report(await applier.ApplyAsync(spec, dryRun: true, default));
        target.Applied.Should().BeEmpty("a dry run changes nothing");
        var first = Report(await applier.ApplyAsync(spec, dryRun: false, default));
        var second = Report(await applier.ApplyAsync(spec, dryRun: false, default));

        dryRun.Plan.Should().BeEquivalentTo(first.Plan);
        dryRun.Applied.Should().BeFalse();
        first.Applied.Should().BeTrue();
        target.PasswordHashes.Should().Contain(new KeyValuePair<UserName, string>(UserName.Parse("qa"), "hash-of-q"));
        second.Applied.Should().BeFalse();
        second.Describe().Should().Be("no changes: the server already matches the layout");
        target.Applied.Should().HaveCount(1);
    }

    [Fact]
    public async Task A_missing_password_variable_stops_the_apply_before_anything_changes()
    {
        var target = new InMemoryLayoutTarget();
        var applier = new LayoutApplier(target, p => p, name => name == "WHEELHOUSE_PASSWORD_QA" ? null : "x");
        var spec = LayoutFileParserTests.Valid(LayoutFileParser.ParseFile(ExamplePath));

        var result = await applier.ApplyAsync(spec, dryRun: false, default);

        result.IsValid(out _, out var invalid).Should().BeFalse();
        invalid!.Problems.Should().Equal("user qa: environment variable WHEELHOUSE_PASSWORD_QA (password_env) is not set or empty");
        target.Applied.Should().BeEmpty();
    }

    private static LayoutPlan Plan(LayoutState state)
    {
        var spec = LayoutFileParserTests.Valid(LayoutFileParser.ParseFile(ExamplePath));
        LayoutPlanner.Plan(spec, state).IsValid(out var plan, out var invalid).Should().BeTrue(invalid?.Message);
        return plan!;
    }

    private static Dictionary<IndexPath, IndexConfig> Configs() =>
        Plan(LayoutState.Empty).Actions.OfType<CreateIndex>().ToDictionary(a => a.Index, a => a.Config);

    private static LayoutApplyReport Report(Validated<LayoutApplyReport> result)
    {
        result.IsValid(out var report, out var invalid).Should().BeTrue(invalid?.Message);
        return report!;
    }
}

/// <summary>A server's storage reduced to plain data, applying plans the way <see cref="ILayoutTarget"/> describes.</summary>
internal sealed class InMemoryLayoutTarget : ILayoutTarget
{
    private LayoutState _state = LayoutState.Empty;

    public List<LayoutPlan> Applied { get; } = [];

    public Dictionary<UserName, string> PasswordHashes { get; } = [];

    public Task<LayoutState> ReadStateAsync(CancellationToken cancellationToken) => Task.FromResult(_state);

    public Task ApplyAsync(LayoutPlan plan, IReadOnlyDictionary<UserName, string> passwordHashes, CancellationToken cancellationToken)
    {
        var users = new Dictionary<UserName, CurrentUser>(_state.Users);
        var indexes = new Dictionary<IndexPath, IndexConfig>(_state.Indexes);
        foreach (var action in plan.Actions)
        {
            switch (action)
            {
                case CreateUser c:
                    users[c.User] = new CurrentUser(c.Email, c.Title, c.Description, c.Groups);
                    PasswordHashes[c.User] = passwordHashes[c.User];
                    break;
                case UpdateUser u:
                    users[u.User] = new CurrentUser(u.Email, u.Title, u.Description, u.Groups ?? users.GetValueOrDefault(u.User)?.Groups ?? []);
                    break;
                case CreateIndex c:
                    indexes[c.Index] = c.Config;
                    break;
                case UpdateIndex u:
                    indexes[u.Index] = u.Config;
                    break;
            }
        }
        _state = new LayoutState(users, indexes);
        Applied.Add(plan);
        return Task.CompletedTask;
    }
}
