using Wheelhouse.Core.Security;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Users;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Tests.Application.Users;

public sealed class UserServiceTests : IDisposable
{
    private readonly ServiceFixture _s = new();

    public void Dispose() => _s.Dispose();

    [Fact]
    public async Task A_created_user_is_committed_and_known_at_once_and_a_second_one_conflicts()
    {
        var serial = _s.Store.Serial;
        var created = await _s.Users.CreateAsync("alice", ServiceFixture.Fields("""{"password": "pw", "email": "a@example.org"}"""), CancellationToken.None);
        created.Should().BeOfType<Outcome<UserRecord>.Created>().Which.Serial.Should().Be(serial + 1);
        _s.Known.Find("alice")!.Email.Should().Be("a@example.org");
        var again = await _s.Users.CreateAsync("alice", ServiceFixture.Fields("""{"password": "pw"}"""), CancellationToken.None);
        again.Should().BeOfType<Outcome<UserRecord>.Refused>().Which.Refusal.Should().BeOfType<Refusal.Conflict>();
    }

    [Theory]
    [InlineData(".hidden", """{"password": "pw"}""")]
    [InlineData("bob", """{"email": "b@example.org"}""")]
    [InlineData("bob", """{"password": ""}""")]
    [InlineData("bob", """{"password": "pw", "colour": "red"}""")]
    public async Task Bad_names_and_fields_are_refused_and_nothing_is_stored(string name, string body)
    {
        var serial = _s.Store.Serial;
        var outcome = await _s.Users.CreateAsync(name, ServiceFixture.Fields(body), CancellationToken.None);
        outcome.Should().BeOfType<Outcome<UserRecord>.Refused>().Which.Refusal.Should().BeOfType<Refusal.Invalid>();
        _s.Store.Serial.Should().Be(serial);
        _s.Known.Find(name).Should().BeNull();
    }

    [Fact]
    public async Task Only_the_user_or_root_may_modify_and_anonymous_callers_are_asked_to_log_in()
    {
        await _s.UserAsync("alice");
        await _s.UserAsync("mallory");
        var fields = ServiceFixture.Patch("""{"title": "x"}""");
        var byOther = await _s.Users.ModifyAsync(ServiceFixture.As("mallory"), "alice", fields, ServiceFixture.Reported, CancellationToken.None);
        byOther.Should().BeOfType<Outcome<UserService.Modified>.Refused>().Which.Refusal.Should().BeEquivalentTo(new { NeedsAuthentication = false });
        var anonymous = await _s.Users.ModifyAsync(Principal.Anonymous, "alice", fields, ServiceFixture.Reported, CancellationToken.None);
        anonymous.Should().BeOfType<Outcome<UserService.Modified>.Refused>().Which.Refusal.Should().BeEquivalentTo(new { NeedsAuthentication = true });
        var missing = await _s.Users.ModifyAsync(ServiceFixture.As("root"), "nobody", fields, ServiceFixture.Reported, CancellationToken.None);
        missing.Should().BeOfType<Outcome<UserService.Modified>.Refused>().Which.Refusal.Should().BeOfType<Refusal.NotFound>();
        _s.Known.Find("alice")!.Title.Should().BeEmpty();
    }

    [Fact]
    public async Task A_password_change_issues_a_token_for_the_new_password()
    {
        await _s.UserAsync("alice");
        var outcome = await _s.Users.ModifyAsync(ServiceFixture.As("alice"), "alice",
            ServiceFixture.Patch("""{"password": "new", "username": "alice"}"""), ServiceFixture.Reported, CancellationToken.None);
        var modified = outcome.Should().BeOfType<Outcome<UserService.Modified>.Changed>().Which.Value;
        modified.Token.Should().NotBeNull();
        _s.Tokens.Validate("alice", _s.Known.Find("alice")!.PasswordHash, modified.Token!).Should().BeTrue();
    }

    [Fact]
    public async Task A_reported_key_sent_back_changed_is_refused_with_the_other_problems_and_changes_nothing()
    {
        await _s.UserAsync("alice");
        var outcome = await _s.Users.ModifyAsync(ServiceFixture.As("alice"), "alice",
            ServiceFixture.Patch("""{"username": "bob", "colour": "red", "title": "t"}"""), ServiceFixture.Reported, CancellationToken.None);
        var invalid = outcome.Should().BeOfType<Outcome<UserService.Modified>.Refused>().Which.Refusal.Should().BeOfType<Refusal.Invalid>().Subject;
        invalid.Problems.Should().HaveCount(2);
        invalid.Reason.Should().Contain("'username' cannot be changed").And.Contain("colour");
        _s.Known.Find("alice")!.Title.Should().BeEmpty();
    }

    [Fact]
    public async Task Deleting_a_user_deletes_its_indexes_and_their_blobs_but_root_cannot_be_deleted()
    {
        await _s.UserAsync("alice");
        await _s.IndexAsync("alice", "dev", """{"volatile": true}""");
        (await _s.UploadWheelAsync("alice", "dev", "demo", "1.0")).Should().BeOfType<Outcome<string>.Changed>();
        _s.Blobs().Should().ContainSingle();

        var deleted = await _s.Users.DeleteAsync(ServiceFixture.As("alice"), "alice", CancellationToken.None);
        deleted.Should().BeOfType<Outcome<string>.Changed>();
        _s.Known.Find("alice").Should().BeNull();
        _s.Known.FindIndex("alice", "dev").Should().BeNull();
        _s.Blobs().Should().BeEmpty("a deleted user's files are deleted with it");

        var root = await _s.Users.DeleteAsync(ServiceFixture.As("root"), "root", CancellationToken.None);
        root.Should().BeOfType<Outcome<string>.Refused>();
    }
}
