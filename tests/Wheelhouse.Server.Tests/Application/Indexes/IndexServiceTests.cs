using Wheelhouse.Core.Security;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Indexes;

namespace Wheelhouse.Server.Tests.Application.Indexes;

public sealed class IndexServiceTests : IDisposable
{
    private readonly ServiceFixture _s = new();

    public void Dispose() => _s.Dispose();

    private static Refusal RefusalOf<T>(Outcome<T> outcome) => outcome.Should().BeOfType<Outcome<T>.Refused>().Subject.Refusal;

    [Fact]
    public async Task Creating_checks_owner_rights_name_body_and_existence_in_that_order()
    {
        await _s.UserAsync("alice");
        await _s.UserAsync("bob");
        var none = CancellationToken.None;
        RefusalOf(await _s.Indexes.CreateAsync(ServiceFixture.As("bob"), "nobody", "dev", ServiceFixture.Body("{}"), none)).Should().BeOfType<Refusal.NotFound>();
        RefusalOf(await _s.Indexes.CreateAsync(ServiceFixture.As("bob"), "alice", "dev", ServiceFixture.Body("{}"), none)).Should().BeOfType<Refusal.Forbidden>();
        RefusalOf(await _s.Indexes.CreateAsync(Principal.Anonymous, "alice", "dev", ServiceFixture.Body("{}"), none))
            .Should().BeEquivalentTo(new { NeedsAuthentication = true });
        RefusalOf(await _s.Indexes.CreateAsync(ServiceFixture.As("alice"), "alice", ".dev", ServiceFixture.Body("{}"), none)).Should().BeOfType<Refusal.Invalid>();
        RefusalOf(await _s.Indexes.CreateAsync(ServiceFixture.As("alice"), "alice", "dev", ServiceFixture.Body("[1]"), none)).Should().BeOfType<Refusal.Invalid>();
        RefusalOf(await _s.Indexes.CreateAsync(ServiceFixture.As("alice"), "alice", "dev", ServiceFixture.Body("""{"bases": ["no/where"]}"""), none))
            .Should().BeOfType<Refusal.Invalid>();
        _s.Known.FindIndex("alice", "dev").Should().BeNull("nothing refused is stored");

        await _s.IndexAsync("alice", "dev");
        RefusalOf(await _s.Indexes.CreateAsync(ServiceFixture.As("root"), "alice", "dev", ServiceFixture.Body("{}"), none)).Should().BeOfType<Refusal.Conflict>();
    }

    [Fact]
    public async Task Modifying_changes_the_config_known_at_once_and_lists_the_index_projects()
    {
        await _s.UserAsync("alice");
        await _s.IndexAsync("alice", "dev", """{"volatile": true}""");
        await _s.UploadWheelAsync("alice", "dev", "demo", "1.0");
        var outcome = await _s.Indexes.ModifyAsync(ServiceFixture.As("alice"), "alice", "dev", ServiceFixture.Body("""["title=Dev"]"""), CancellationToken.None);
        var changed = outcome.Should().BeOfType<Outcome<IndexService.Described>.Changed>().Subject.Value;
        changed.Index.Config.Title.Should().Be("Dev");
        changed.Projects.Should().Equal("demo");
        _s.Known.FindIndex("alice", "dev")!.Config.Title.Should().Be("Dev");
    }

    [Fact]
    public async Task A_non_volatile_index_cannot_be_deleted_and_a_volatile_one_goes_with_its_blobs()
    {
        await _s.UserAsync("alice");
        await _s.IndexAsync("alice", "prod", """{"volatile": false}""");
        await _s.IndexAsync("alice", "dev", """{"volatile": true}""");
        await _s.UploadWheelAsync("alice", "dev", "demo", "1.0");
        RefusalOf(await _s.Indexes.DeleteAsync(ServiceFixture.As("alice"), "alice", "prod", CancellationToken.None)).Should().BeOfType<Refusal.Forbidden>();
        (await _s.Indexes.DeleteAsync(ServiceFixture.As("alice"), "alice", "dev", CancellationToken.None)).Should().BeOfType<Outcome<IndexEntry>.Changed>();
        _s.Known.FindIndex("alice", "dev").Should().BeNull();
        _s.Blobs().Should().BeEmpty();
    }
}
