using System.Text.Json.Nodes;
using Wheelhouse.Core.Security;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Push;

namespace Wheelhouse.Server.Tests.Application.Push;

public sealed class PushServiceTests : IDisposable
{
    private readonly ServiceFixture _s = new();

    public void Dispose() => _s.Dispose();

    private static Wheelhouse.Core.Validated<PushRequest> Request(string target) =>
        PushRequest.Parse(JsonNode.Parse($$"""{"name": "demo", "version": "1.0", "targetindex": "{{target}}"}""")!.AsObject());

    [Fact]
    public async Task A_push_copies_rows_not_bytes_and_adds_a_push_entry_to_each_file_log()
    {
        await _s.UserAsync("alice");
        await _s.IndexAsync("alice", "dev");
        await _s.IndexAsync("alice", "prod");
        await _s.UploadWheelAsync("alice", "dev", "demo", "1.0");
        var outcome = await _s.Push.PushAsync(ServiceFixture.As("alice"), "alice", "dev", Request("alice/prod"), CancellationToken.None);
        var receipt = outcome.Should().BeOfType<Outcome<PushService.Receipt>.Changed>().Subject.Value;
        receipt.Registered.Should().BeTrue();
        receipt.Copies.Should().ContainSingle().Which.Index.Should().Be("prod");
        _s.Blobs().Should().ContainSingle("content-addressed: both rows share one blob");
        var log = JsonNode.Parse(receipt.Copies[0].LogJson)!.AsArray();
        log.Select(e => e!["what"]!.GetValue<string>()).Should().Equal("upload", "push");
        log[1]!["src"]!.GetValue<string>().Should().Be("alice/dev");
    }

    [Fact]
    public async Task Pushing_without_upload_rights_on_the_target_asks_for_authentication_and_changes_nothing()
    {
        await _s.UserAsync("alice");
        await _s.UserAsync("bob");
        await _s.IndexAsync("alice", "dev");
        await _s.IndexAsync("alice", "prod");
        await _s.UploadWheelAsync("alice", "dev", "demo", "1.0");
        var serial = _s.Store.Serial;
        foreach (var who in new[] { ServiceFixture.As("bob"), Principal.Anonymous })
        {
            (await _s.Push.PushAsync(who, "alice", "dev", Request("alice/prod"), CancellationToken.None))
                .Should().BeOfType<Outcome<PushService.Receipt>.Refused>().Which.Refusal.Should().BeEquivalentTo(new { NeedsAuthentication = true });
        }
        (await _s.Push.PushAsync(ServiceFixture.As("alice"), "alice", "dev", Request("alice/none"), CancellationToken.None))
            .Should().BeOfType<Outcome<PushService.Receipt>.Refused>().Which.Refusal.Should().BeOfType<Refusal.Invalid>();
        _s.Store.Serial.Should().Be(serial);
    }
}
