using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Releases;

namespace Wheelhouse.Server.Tests.Application.Releases;

public sealed class ReleaseServiceTests : IDisposable
{
    private readonly ServiceFixture _s = new();

    public void Dispose() => _s.Dispose();

    private async Task<ReleaseService.StoredFile> UploadedAsync()
    {
        await _s.UserAsync("alice");
        await _s.IndexAsync("alice", "dev", """{"volatile": true}""");
        await _s.UploadWheelAsync("alice", "dev", "demo", "1.0");
        using var reader = _s.Store.Read();
        var file = reader.Files("alice", "dev", "demo").Single();
        var found = await _s.Releases.FindFileAsync("alice", "dev", file.Sha256[..16], file.FileName, CancellationToken.None);
        return found.Should().BeOfType<Outcome<ReleaseService.StoredFile>.Unchanged>().Subject.Value;
    }

    [Fact]
    public async Task A_file_is_found_by_its_name_and_hash_prefix_and_a_wheel_by_its_metadata_name_too()
    {
        var stored = await UploadedAsync();
        stored.CoreMetadata.Should().BeNull();
        _s.Releases.ContentPath(stored.File).Should().NotBeNull();
        var sha = stored.File.Sha256;
        var metadata = await _s.Releases.FindFileAsync("alice", "dev", sha[..16], stored.File.FileName + ".metadata", CancellationToken.None);
        System.Text.Encoding.UTF8.GetString(metadata.Should().BeOfType<Outcome<ReleaseService.StoredFile>.Unchanged>().Subject.Value.CoreMetadata!)
            .Should().Contain("Name: demo");
        (await _s.Releases.FindFileAsync("alice", "dev", new string('0', 16), stored.File.FileName, CancellationToken.None))
            .Should().BeOfType<Outcome<ReleaseService.StoredFile>.Refused>().Which.Refusal.Should().BeOfType<Refusal.NotFound>();
    }

    [Fact]
    public async Task Deleting_needs_upload_rights_and_removes_the_file_and_its_blob()
    {
        var stored = await UploadedAsync();
        var file = stored.File;
        (await _s.Releases.DeleteFileAsync(ServiceFixture.As("alice"), "alice", "dev", file.Sha256[..16], "nope.whl", force: false, CancellationToken.None))
            .Should().BeOfType<Outcome<string>.Refused>().Which.Refusal.Should().BeOfType<Refusal.NotFound>();
        await _s.UserAsync("bob");
        (await _s.Releases.DeleteFileAsync(ServiceFixture.As("bob"), "alice", "dev", file.Sha256[..16], file.FileName, force: false, CancellationToken.None))
            .Should().BeOfType<Outcome<string>.Refused>().Which.Refusal.Should().BeOfType<Refusal.Forbidden>();
        (await _s.Releases.DeleteFileAsync(ServiceFixture.As("alice"), "alice", "dev", file.Sha256[..16], file.FileName, force: false, CancellationToken.None))
            .Should().BeOfType<Outcome<string>.Changed>();
        _s.Blobs().Should().BeEmpty();
        _s.Releases.Version(_s.Known.FindIndex("alice", "dev")!, "demo", "1.0").Should().BeOfType<Outcome<ReleaseService.ProjectReleases>.Unchanged>()
            .Which.Value.Files.Should().BeEmpty("the release stays registered without its file");
    }

    [Fact]
    public async Task Deleting_a_version_removes_the_release_and_its_files()
    {
        await UploadedAsync();
        (await _s.Releases.DeleteReleasesAsync(ServiceFixture.As("alice"), "alice", "dev", "Demo", "v1.0", force: false, CancellationToken.None))
            .Should().BeOfType<Outcome<string>.Changed>("the version matches as normalized");
        _s.Releases.Project(_s.Known.FindIndex("alice", "dev")!, "demo", ignoreBases: false).Should().BeOfType<Outcome<ReleaseService.ProjectReleases>.Refused>();
        _s.Blobs().Should().BeEmpty();
    }
}
