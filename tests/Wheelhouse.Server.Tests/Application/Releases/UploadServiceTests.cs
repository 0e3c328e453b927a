using Wheelhouse.Core.Security;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Application.Releases;

public sealed class UploadServiceTests : IDisposable
{
    private readonly ServiceFixture _s = new();

    public void Dispose() => _s.Dispose();

    [Fact]
    public async Task Rights_are_checked_before_the_body_anonymous_callers_are_asked_to_log_in_and_mirrors_take_no_uploads()
    {
        await _s.UserAsync("alice");
        await _s.UserAsync("bob");
        await _s.IndexAsync("alice", "dev");
        _s.Uploads.Authorize(ServiceFixture.As("alice"), "alice", "dev").Should().BeOfType<Outcome<IndexEntry>.Unchanged>();
        _s.Uploads.Authorize(Principal.Anonymous, "alice", "dev").Should().BeOfType<Outcome<IndexEntry>.Refused>()
            .Which.Refusal.Should().BeEquivalentTo(new { NeedsAuthentication = true });
        _s.Uploads.Authorize(ServiceFixture.As("bob"), "alice", "dev").Should().BeOfType<Outcome<IndexEntry>.Refused>()
            .Which.Refusal.Should().BeOfType<Refusal.Forbidden>();
        _s.Uploads.Authorize(ServiceFixture.As("root"), "root", "pypi").Should().BeOfType<Outcome<IndexEntry>.Refused>()
            .Which.Refusal.Should().BeOfType<Refusal.NotFound>();
        _s.Uploads.Authorize(ServiceFixture.As("alice"), "alice", "nope").Should().BeOfType<Outcome<IndexEntry>.Refused>()
            .Which.Refusal.Should().BeOfType<Refusal.NotFound>();
    }

    [Fact]
    public async Task A_wheel_is_stored_once_the_same_file_again_is_unchanged_and_other_content_under_its_name_conflicts()
    {
        await _s.UserAsync("alice");
        await _s.IndexAsync("alice", "prod", """{"volatile": false}""");
        var serial = _s.Store.Serial;
        var wheel = Distributions.Wheel("demo", "1.0"); // one build: a zip records its entries' times
        (await _s.UploadWheelAsync("alice", "prod", "demo", "1.0", wheel)).Should().BeOfType<Outcome<string>.Changed>().Which.Serial.Should().Be(serial + 1);
        (await _s.UploadWheelAsync("alice", "prod", "demo", "1.0", wheel)).Should().BeOfType<Outcome<string>.Unchanged>();
        var other = Distributions.Wheel("demo", "1.0", requiresPython: ">=3.9");
        (await _s.UploadWheelAsync("alice", "prod", "demo", "1.0", other)).Should().BeOfType<Outcome<string>.Refused>()
            .Which.Refusal.Should().BeOfType<Refusal.Conflict>();
        _s.Blobs().Should().ContainSingle("the refused content is not kept");
        _s.Store.Serial.Should().Be(serial + 1);
    }

    [Fact]
    public async Task A_wheel_whose_metadata_names_another_project_is_refused()
    {
        await _s.UserAsync("alice");
        await _s.IndexAsync("alice", "dev");
        var lying = Distributions.Wheel("demo", "1.0", metadataName: "other");
        (await _s.UploadWheelAsync("alice", "dev", "demo", "1.0", lying)).Should().BeOfType<Outcome<string>.Refused>()
            .Which.Refusal.Should().BeOfType<Refusal.Invalid>().Which.Reason.Should().Contain("other");
        _s.Blobs().Should().BeEmpty();
    }
}
