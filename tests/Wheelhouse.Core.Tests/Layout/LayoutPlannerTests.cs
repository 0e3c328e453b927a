using System.Text.Json.Nodes;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Layout;

namespace Wheelhouse.Core.Tests.Layout;

public class LayoutPlannerTests
{
    private static LayoutUserSpec User(string name, string? env = "PW") => new(name, $"user {name}") { PasswordEnv = env };

    private static LayoutIndexSpec Index(string path, string json) => new(path, JsonNode.Parse(json)!.AsObject(), $"index {path}");

    private static LayoutSpec Team => new(
        [User("team"), User("shared")],
        [
            // Declared dependents first: the plan must still create bases before the indexes that name them.
            Index("team/dev", """{"bases": ["team/staging"], "volatile": true}"""),
            Index("team/staging", """{"bases": "shared/stable", "volatile": "no"}"""),
            Index("shared/stable", """{"bases": ["shared/stable-local", "root/pypi"], "volatile": false}"""),
            Index("shared/stable-local", """{"volatile": false, "acl_upload": [":qa"], "refuse_prereleases": true}"""),
            Index("root/pypi", """{"type": "mirror", "mirror_url": "https://user:secret@pypi.example/simple/"}"""),
        ]);

    [Fact]
    public void Against_an_empty_server_users_come_first_and_bases_before_dependents()
    {
        var plan = Valid(LayoutPlanner.Plan(Team, LayoutState.Empty));

        plan.Actions.Select(a => a.Describe()).Should().Equal(
            "create user team (password from $PW)",
            "create user shared (password from $PW)",
            "create index shared/stable-local (stage, volatile: no)",
            "create index root/pypi (mirror of https://user:****@pypi.example/simple/)",
            "create index shared/stable (stage, bases: shared/stable-local, root/pypi, volatile: no)",
            "create index team/staging (stage, bases: shared/stable, volatile: no)",
            "create index team/dev (stage, bases: team/staging, volatile: yes)");
        var local = plan.Actions.OfType<CreateIndex>().Single(a => a.Index.ToString() == "shared/stable-local").Config;
        local.AclUpload.Select(e => e.ToString()).Should().Equal(":qa");
        local.RefusePrereleases.Should().BeTrue();
        plan.Unmanaged.Should().BeEmpty();
    }

    [Fact]
    public void Planning_again_after_applying_gives_an_empty_plan()
    {
        var state = LayoutState.Empty;
        var plan = Valid(LayoutPlanner.Plan(Team, state));
        state = Apply(state, plan);

        var second = Valid(LayoutPlanner.Plan(Team, state));

        second.IsEmpty.Should().BeTrue();
        second.Describe().Should().Be("no changes: the server already matches the layout");
    }

    [Fact]
    public void A_changed_index_is_updated_with_the_keys_that_differ()
    {
        var state = Apply(LayoutState.Empty, Valid(LayoutPlanner.Plan(Team, LayoutState.Empty)));
        var devPath = IndexPath.Parse("team/dev");
        var handEdited = state.Indexes[devPath] with { Volatile = false, Title = "edited by hand" };
        state = state with { Indexes = new Dictionary<IndexPath, IndexConfig>(state.Indexes) { [devPath] = handEdited } };

        var plan = Valid(LayoutPlanner.Plan(Team, state));

        var update = plan.Actions.Should().ContainSingle().Which.Should().BeOfType<UpdateIndex>().Subject;
        update.Index.Should().Be(devPath);
        update.ChangedKeys.Should().Equal("title", "volatile");
        update.Config.Volatile.Should().BeTrue();
        update.Config.Title.Should().BeNull();
        update.Describe().Should().Be("update index team/dev: title, volatile");
    }

    [Fact]
    public void Indexes_not_in_the_layout_are_left_alone_and_listed()
    {
        var state = Apply(LayoutState.Empty, Valid(LayoutPlanner.Plan(Team, LayoutState.Empty)));
        var extra = IndexPath.Parse("team/scratch");
        state = state with { Indexes = new Dictionary<IndexPath, IndexConfig>(state.Indexes) { [extra] = IndexConfig.DefaultStage(extra.User) } };

        var plan = Valid(LayoutPlanner.Plan(Team, state));

        plan.IsEmpty.Should().BeTrue();
        plan.Unmanaged.Should().Equal(extra);
    }

    [Fact]
    public void Users_are_updated_only_on_the_fields_the_layout_names()
    {
        var state = LayoutState.Empty with
        {
            Users = new Dictionary<UserName, CurrentUser> { [UserName.Parse("alice")] = new("alice@example.org", "Alice", null, ["team"]) },
        };
        var sameButSilent = new LayoutSpec([new LayoutUserSpec("alice", "l1")], []);
        var newGroups = new LayoutSpec([new LayoutUserSpec("alice", "l1") { Groups = ["qa", ":team"], Title = "Alice" }], []);

        Valid(LayoutPlanner.Plan(sameButSilent, state)).IsEmpty.Should().BeTrue();
        var update = Valid(LayoutPlanner.Plan(newGroups, state)).Actions.Single().Should().BeOfType<UpdateUser>().Subject;
        update.ChangedFields.Should().Equal("groups");
        update.Groups.Should().Equal("qa", "team");
        update.Email.Should().Be("alice@example.org");
    }

    [Fact]
    public void Root_always_exists_and_needs_no_password()
    {
        var spec = new LayoutSpec([new LayoutUserSpec("root", "l1") { Title = "Administrator" }], [Index("root/tools", "{}")]);

        var plan = Valid(LayoutPlanner.Plan(spec, LayoutState.Empty));

        plan.Actions.Select(a => a.Describe()).Should().Equal("update user root: title", "create index root/tools (stage, volatile: yes)");
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_its_location()
    {
        var spec = new LayoutSpec(
            [
                User("new-user", env: null),
                new LayoutUserSpec("both", "user both") { PasswordEnv = "X", PasswordHash = "pbkdf2-sha256$1$a$b" },
                User("bad/name"),
                User("dup"),
                User("dup"),
                new LayoutUserSpec("grouped", "user grouped") { PasswordEnv = "X", Groups = ["bad group"] },
            ],
            [
                Index("ghost/index", "{}"),
                Index("dup/x", """{"bases": ["nobody/nothing"], "volatile": "maybe"}"""),
                Index("not-a-path", "{}"),
                Index("dup/loop-a", """{"bases": ["dup/loop-b"]}"""),
                Index("dup/loop-b", """{"bases": ["dup/loop-a"]}"""),
                Index("dup/y", "{}"),
                new LayoutIndexSpec("dup/y", [], "second dup/y"),
            ]);

        var problems = Invalid(LayoutPlanner.Plan(spec, LayoutState.Empty));

        problems.Should().Contain(p => p.StartsWith("user new-user: user new-user does not exist yet and needs a password"));
        problems.Should().Contain("user both: user both: give password_env or password_hash, not both");
        problems.Should().Contain(p => p.StartsWith("user bad/name: "));
        problems.Should().Contain("user dup: user dup is declared twice (first at user dup)");
        problems.Should().Contain(p => p.Contains("'bad group' is not a valid group name"));
        problems.Should().Contain("index ghost/index: index ghost/index belongs to user ghost, who neither exists nor is in the layout");
        problems.Should().Contain("index dup/x: index dup/x: bases: index nobody/nothing does not exist");
        problems.Should().Contain(p => p.StartsWith("index dup/x: index dup/x: volatile: expected true, false, yes or no"));
        problems.Should().Contain(p => p.StartsWith("index not-a-path: "));
        problems.Should().Contain("second dup/y: index dup/y is declared twice (first at index dup/y)");
        problems.Should().Contain(p => p.StartsWith("bases form a cycle among: dup/loop-a") && p.Contains("dup/loop-b"));
    }

    [Fact]
    public void The_type_of_an_existing_index_cannot_change()
    {
        var path = IndexPath.Parse("root/pypi");
        var state = LayoutState.Empty with { Indexes = new Dictionary<IndexPath, IndexConfig> { [path] = IndexConfig.DefaultStage(UserName.Root) } };
        var spec = new LayoutSpec([], [Index("root/pypi", """{"type": "mirror", "mirror_url": "https://pypi.org/simple/"}""")]);

        Invalid(LayoutPlanner.Plan(spec, state)).Should().ContainSingle()
            .Which.Should().Contain("exists as a stage index and the layout makes it a mirror").And.Contain("delete the index first");
    }

    [Fact]
    public void A_base_that_already_exists_on_the_server_need_not_be_in_the_layout()
    {
        var existing = IndexPath.Parse("root/pypi");
        var state = LayoutState.Empty with
        {
            Indexes = new Dictionary<IndexPath, IndexConfig> { [existing] = new() { Type = IndexType.Mirror, MirrorUrl = "https://pypi.org/simple/" } },
        };
        var spec = new LayoutSpec([], [Index("root/stable", """{"bases": ["root/pypi"]}""")]);

        Valid(LayoutPlanner.Plan(spec, state)).Actions.Should().ContainSingle().Which.Should().BeOfType<CreateIndex>();
    }

    /// <summary>What a server does with a plan, on plain data.</summary>
    internal static LayoutState Apply(LayoutState state, LayoutPlan plan)
    {
        var users = new Dictionary<UserName, CurrentUser>(state.Users);
        var indexes = new Dictionary<IndexPath, IndexConfig>(state.Indexes);
        foreach (var action in plan.Actions)
        {
            switch (action)
            {
                case CreateUser c:
                    users[c.User] = new CurrentUser(c.Email, c.Title, c.Description, c.Groups);
                    break;
                case UpdateUser u:
                    users[u.User] = new CurrentUser(u.Email, u.Title, u.Description, u.Groups ?? users.GetValueOrDefault(u.User)?.Groups ?? []);
                    break;
                case CreateIndex c:
                    indexes.Should().NotContainKey(c.Index);
                    c.Config.Bases.All(indexes.ContainsKey).Should().BeTrue("bases are created first");
                    indexes[c.Index] = c.Config;
                    break;
                case UpdateIndex u:
                    indexes[u.Index] = u.Config;
                    break;
            }
        }
        return new LayoutState(users, indexes);
    }

    [Fact]
    public void New_users_and_indexes_whose_names_start_with_a_dot_are_refused()
    {
        var spec = new LayoutSpec([User(".hidden")], [Index("team/.cache", "{}")]);
        var problems = Invalid(LayoutPlanner.Plan(spec, LayoutState.Empty));
        problems.Should().Contain(p => p.Contains("user name '.hidden'") && p.Contains("may not start with '.'"));
        problems.Should().Contain(p => p.Contains("index name '.cache'") && p.Contains("may not start with '.'"));
    }

    private static LayoutPlan Valid(Validated<LayoutPlan> result)
    {
        result.IsValid(out var plan, out var invalid).Should().BeTrue(invalid?.Message);
        return plan!;
    }

    private static IReadOnlyList<string> Invalid(Validated<LayoutPlan> result)
    {
        result.IsValid(out _, out var invalid).Should().BeFalse();
        return invalid!.Problems;
    }
}
