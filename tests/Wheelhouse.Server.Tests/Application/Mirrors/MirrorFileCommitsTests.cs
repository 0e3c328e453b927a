using Microsoft.Extensions.Logging.Abstractions;
using Wheelhouse.Server.Application.Mirrors;
using Wheelhouse.Server.Tests.Support;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Tests.Application.Mirrors;

/// <summary>Group commit of mirrored files, on the backend the run tests (WH_TEST_STORAGE).</summary>
public sealed class MirrorFileCommitsTests : IDisposable
{
    private readonly ServiceFixture _services = new();

    public void Dispose() => _services.Dispose();

    private async Task<Func<UnitOfWork, bool>> FileAsync(string name)
    {
        var bytes = Distributions.Wheel(name, "1.0");
        var blob = _services.Store.CreateBlob();
        await blob.WriteAsync(bytes, CancellationToken.None);
        await blob.FinishAsync();
        return work =>
        {
            work.PutRelease(new ReleaseRecord("team", "mirror", name, "1.0", name, $$"""{"name": "{{name}}", "version": "1.0"}""", DateTimeOffset.UnixEpoch));
            work.AddFile(new FileRecord("team", "mirror", Distributions.WheelName(name, "1.0"), name, "1.0", FileKind.ReleaseFile, blob.Sha256,
                blob.Length, DateTimeOffset.UnixEpoch, "", null, "[]"), blob);
            return true;
        };
    }

    private async Task IndexAsync()
    {
        await _services.UserAsync("team");
        await _services.IndexAsync("team", "mirror");
    }

    private void Stored(params string[] names)
    {
        using var reader = _services.Store.Read();
        foreach (var name in names)
        {
            var file = reader.File("team", "mirror", Distributions.WheelName(name, "1.0"));
            file.Should().NotBeNull($"{name} was committed");
            _services.Store.ContentPath(file!).Should().NotBeNull($"the blob of {name} was published");
        }
    }

    [Fact]
    public async Task Files_that_come_close_together_share_one_commit_and_all_are_stored()
    {
        await IndexAsync();
        var commits = new MirrorFileCommits(_services.Store, NullLogger<MirrorFileCommits>.Instance);
        var names = Enumerable.Range(0, 20).Select(i => $"pkg{i}").ToArray();
        var files = new List<Func<UnitOfWork, bool>>();
        foreach (var name in names)
        {
            files.Add(await FileAsync(name));
        }
        var before = _services.Store.Serial;

        await Task.WhenAll(files.Select(commits.CommitAsync));

        _services.Store.Serial.Should().Be(before + 1, "twenty files that came within the linger are one commit");
        commits.Batches.Should().Be(1);
        Stored(names);
    }

    [Fact]
    public async Task Files_that_come_after_a_batch_committed_are_committed_too()
    {
        await IndexAsync();
        var commits = new MirrorFileCommits(_services.Store, NullLogger<MirrorFileCommits>.Instance) { Linger = TimeSpan.Zero };
        for (var i = 0; i < 5; i++)
        {
            await commits.CommitAsync(await FileAsync($"late{i}")).WaitAsync(TimeSpan.FromSeconds(30));
        }
        Stored(Enumerable.Range(0, 5).Select(i => $"late{i}").ToArray());
        commits.Batches.Should().Be(5);
    }

    [Fact]
    public async Task A_caller_that_waits_ends_the_linger()
    {
        await IndexAsync();
        var commits = new MirrorFileCommits(_services.Store, NullLogger<MirrorFileCommits>.Instance) { Linger = TimeSpan.FromMinutes(10) };
        var first = commits.CommitAsync(await FileAsync("waited0"));
        commits.Hurry();
        await first.WaitAsync(TimeSpan.FromSeconds(30)); // without the hurry it lingers ten minutes

        // A hurry before the file comes (a caller joins a download still running) ends that file's linger too.
        commits.Hurry();
        await commits.CommitAsync(await FileAsync("waited1")).WaitAsync(TimeSpan.FromSeconds(30));

        Stored("waited0", "waited1");
        commits.Batches.Should().Be(2);
    }

    [Fact]
    public async Task A_file_that_cannot_be_added_fails_alone()
    {
        await IndexAsync();
        var commits = new MirrorFileCommits(_services.Store, NullLogger<MirrorFileCommits>.Instance);
        var good = await FileAsync("good");
        var other = await FileAsync("other");

        var first = commits.CommitAsync(good);
        var bad = commits.CommitAsync(_ => throw new InvalidOperationException("a broken file"));
        var last = commits.CommitAsync(other);

        await first;
        await last;
        var waitForBad = async () => await bad;
        await waitForBad.Should().ThrowAsync<InvalidOperationException>().WithMessage("a broken file");
        Stored("good", "other");
    }

    [Fact]
    public async Task A_file_stored_already_commits_nothing()
    {
        await IndexAsync();
        var commits = new MirrorFileCommits(_services.Store, NullLogger<MirrorFileCommits>.Instance);
        var before = _services.Store.Serial;

        await commits.CommitAsync(_ => false);

        _services.Store.Serial.Should().Be(before);
        commits.Batches.Should().Be(0);
    }

    [Fact]
    public async Task The_host_s_stop_commits_what_is_queued()
    {
        await IndexAsync();
        var commits = new MirrorFileCommits(_services.Store, NullLogger<MirrorFileCommits>.Instance) { Linger = TimeSpan.FromSeconds(1) };
        var queued = commits.CommitAsync(await FileAsync("queued"));

        commits.Dispose();

        queued.IsCompletedSuccessfully.Should().BeTrue("the stop waited for the batch's commit");
        Stored("queued");
    }
}
