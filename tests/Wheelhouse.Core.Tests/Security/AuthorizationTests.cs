using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Security;

namespace Wheelhouse.Core.Tests.Security;

/// <summary>The authorization matrix of the spec's "Default rights", one row per (who, what).</summary>
public class AuthorizationTests
{
    private static readonly IndexPath TeamDev = IndexPath.Parse("alice/dev");
    private static readonly IndexPath Stable = IndexPath.Parse("alice/stable");

    private static readonly IndexConfig Volatile = IndexConfig.DefaultStage(UserName.Parse("alice")) with
    {
        AclUpload = [AclEntry.ForUser(UserName.Parse("alice")), AclEntry.ForUser(UserName.Parse("carol")), Group("qa")],
    };

    private static readonly IndexConfig NonVolatile = Volatile with { Volatile = false };

    private static readonly IndexConfig OpenToAll = Volatile with { AclUpload = [AclEntry.Anonymous] };

    private static readonly IndexConfig LoggedIn = Volatile with { AclUpload = [AclEntry.Authenticated] };

    private static AclEntry Group(string name) => AclEntry.TryParse(":" + name, out var e, out _) ? e : throw new InvalidOperationException();

    private static readonly Dictionary<string, Principal> Who = new()
    {
        ["anonymous"] = Principal.Anonymous,
        ["root"] = Principal.ForUser(UserName.Root),
        ["alice"] = Principal.ForUser(UserName.Parse("alice")),
        ["bob"] = Principal.ForUser(UserName.Parse("bob")),
        ["carol"] = Principal.ForUser(UserName.Parse("carol")),
        ["qa-member"] = Principal.ForUser(UserName.Parse("dave"), ["qa"]),
    };

    private static readonly Dictionary<string, Permission> What = new()
    {
        ["read"] = new Permission.Read(),
        ["create user"] = new Permission.CreateUser(),
        ["modify alice"] = new Permission.ModifyUser(UserName.Parse("alice")),
        ["delete alice"] = new Permission.DeleteUser(UserName.Parse("alice")),
        ["create alice's index"] = new Permission.CreateIndex(UserName.Parse("alice")),
        ["modify index"] = new Permission.ModifyIndex(TeamDev),
        ["delete index"] = new Permission.DeleteIndex(TeamDev, Volatile),
        ["delete non-volatile index"] = new Permission.DeleteIndex(Stable, NonVolatile),
        ["delete alice owning non-volatile"] = new Permission.DeleteUser(UserName.Parse("alice"), OwnsNonVolatileIndex: true),
        ["upload"] = new Permission.Upload(TeamDev, Volatile),
        ["upload open"] = new Permission.Upload(TeamDev, OpenToAll),
        ["upload logged-in"] = new Permission.Upload(TeamDev, LoggedIn),
        ["toxresult"] = new Permission.UploadToxResult(TeamDev, Volatile),
        ["delete file"] = new Permission.DeleteReleaseFiles(TeamDev, Volatile, Force: false),
        ["delete file, owner not in acl_upload"] = new Permission.DeleteReleaseFiles(TeamDev, Volatile with { AclUpload = [AclEntry.ForUser(UserName.Parse("carol"))] }, Force: false),
        ["delete file non-volatile"] = new Permission.DeleteReleaseFiles(Stable, NonVolatile, Force: false),
        ["force delete non-volatile"] = new Permission.DeleteReleaseFiles(Stable, NonVolatile, Force: true),
        ["yank non-volatile"] = new Permission.YankRelease(Stable, NonVolatile),
        ["yank open"] = new Permission.YankRelease(TeamDev, OpenToAll),
    };

    // Columns: anonymous, root, alice (owner), bob (other user), carol (in acl_upload), qa-member (group in acl_upload).
    [Theory]
    [InlineData("read", "YYYYYY")]
    [InlineData("create user", "YYYYYY")]
    [InlineData("modify alice", "-YY---")]
    [InlineData("delete alice", "-YY---")]
    [InlineData("create alice's index", "-YY---")]
    [InlineData("modify index", "-YY---")]
    [InlineData("delete index", "-YY---")]
    [InlineData("delete non-volatile index", "------")]
    [InlineData("delete alice owning non-volatile", "------")]
    [InlineData("upload", "--Y-YY")]
    [InlineData("upload open", "YYYYYY")]
    [InlineData("upload logged-in", "-YYYYY")]
    [InlineData("toxresult", "YYYYYY")]
    [InlineData("delete file", "-YY-YY")]
    [InlineData("delete file, owner not in acl_upload", "-YY-Y-")]
    [InlineData("delete file non-volatile", "------")]
    [InlineData("force delete non-volatile", "-YY---")]
    [InlineData("yank non-volatile", "--Y-YY")]
    [InlineData("yank open", "YYYYYY")]
    public void Follows_the_default_rights(string what, string expected)
    {
        var columns = new[] { "anonymous", "root", "alice", "bob", "carol", "qa-member" };
        var actual = string.Concat(columns.Select(who => Authorization.Check(Who[who], What[what]).Allowed ? 'Y' : '-'));
        actual.Should().Be(expected, $"rights for '{what}' (columns: {string.Join(", ", columns)})");
    }

    [Fact]
    public void Denials_say_why_and_whether_logging_in_could_help()
    {
        var anonymous = Authorization.Check(Principal.Anonymous, What["upload"]);
        anonymous.Allowed.Should().BeFalse();
        anonymous.NeedsAuthentication.Should().BeTrue();
        anonymous.Reason.Should().Contain("acl_upload").And.Contain("alice/dev");
        var bob = Authorization.Check(Who["bob"], What["upload"]);
        bob.NeedsAuthentication.Should().BeFalse();
        bob.Reason.Should().Contain("bob");
        Authorization.Check(Who["alice"], What["delete file non-volatile"]).Reason.Should().Contain("?force");
        var nonVolatile = Authorization.Check(Who["alice"], What["delete non-volatile index"]);
        nonVolatile.Reason.Should().Contain("not volatile");
        nonVolatile.NeedsAuthentication.Should().BeFalse();
        Authorization.Check(Principal.Anonymous, What["delete non-volatile index"]).NeedsAuthentication.Should().BeTrue("anonymous callers learn first that they lack the right");
        Authorization.Check(Who["root"], What["delete alice owning non-volatile"]).Reason.Should().Contain("owns a non-volatile index");
        Authorization.Check(Who["bob"], What["modify index"]).Reason.Should().Be("only alice or root may modify index alice/dev");
        var rootIndex = IndexPath.Parse("root/pypi");
        Authorization.Check(Who["bob"], new Permission.ModifyIndex(rootIndex)).Reason.Should().Be("only root may modify index root/pypi", "not 'root or root'");
        Authorization.Check(Who["bob"], new Permission.DeleteReleaseFiles(rootIndex, Volatile, Force: false)).Reason
            .Should().Be("bob may not delete from root/pypi (acl_upload or root)");
        Authorization.CanUpload(TeamDev, Volatile, Who["carol"]).Allowed.Should().BeTrue();
        Authorization.CanUpload(TeamDev, Volatile, Who["bob"]).Allowed.Should().BeFalse();
    }

    [Theory]
    [InlineData("alice", AclEntryKind.User, "alice")]
    [InlineData(":anonymous:", AclEntryKind.Anonymous, ":ANONYMOUS:")]
    [InlineData(":AUTHENTICATED:", AclEntryKind.Authenticated, ":AUTHENTICATED:")]
    [InlineData(":qa", AclEntryKind.Group, ":qa")]
    public void Parses_acl_entries(string raw, AclEntryKind kind, string spelled)
    {
        AclEntry.TryParse(raw, out var entry, out var error).Should().BeTrue(error);
        entry!.Kind.Should().Be(kind);
        entry.ToString().Should().Be(spelled);
    }

    [Theory]
    [InlineData(":")]
    [InlineData(":a:b")]
    [InlineData("a b")]
    [InlineData("")]
    public void Refuses_bad_acl_entries(string raw) => AclEntry.TryParse(raw, out _, out _).Should().BeFalse();
}
