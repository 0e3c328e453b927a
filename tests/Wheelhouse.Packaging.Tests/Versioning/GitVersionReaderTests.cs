using Wheelhouse.Packaging.Tests.Deb;
using Wheelhouse.Packaging.Versioning;

namespace Wheelhouse.Packaging.Tests.Versioning;

/// <summary>Against a real git repository in a temporary directory (Debian package git).</summary>
[Integration]
public sealed class GitVersionReaderTests : IDisposable
{
    private readonly string _repository = Directory.CreateTempSubdirectory("wh-gitver-").FullName;

    public void Dispose() => Directory.Delete(_repository, recursive: true);

    [Fact]
    public async Task Reads_untagged_tagged_and_later_commits()
    {
        await Git("init", "-q", "-b", "main");
        await Commit("first", "1700000000");
        var reader = new GitVersionReader(_repository);

        (await reader.ReadVersionAsync()).ToString().Should().MatchRegex(@"^0\.0\.0~dev\.1\+g[0-9a-f]{7,}-1$");
        (await reader.ReadCommitTimeAsync()).Should().Be(DateTimeOffset.FromUnixTimeSeconds(1700000000));

        await Git("tag", "v1.2.3");
        (await reader.ReadVersionAsync()).ToString().Should().Be("1.2.3-1");

        await Git("tag", "not-a-release");
        await Commit("second", "1700000100");
        var hash = (await Git("rev-parse", "--short", "HEAD")).Trim();
        (await reader.ReadVersionAsync()).ToString().Should().Be($"1.2.4~dev.1+g{hash}-1");
    }

    [Fact]
    public async Task A_directory_without_git_history_is_a_clear_error()
    {
        var read = () => new GitVersionReader(_repository).ReadVersionAsync();

        await read.Should().ThrowAsync<InvalidOperationException>().WithMessage($"'git rev-list --count HEAD' failed in {_repository}*");
    }

    private async Task Commit(string message, string epoch)
    {
        await File.WriteAllTextAsync(Path.Combine(_repository, "file.txt"), message);
        await Git("add", "file.txt");
        await ProcessRunner.RunOkAsync("/usr/bin/env",
            $"GIT_AUTHOR_DATE=@{epoch} +0000", $"GIT_COMMITTER_DATE=@{epoch} +0000",
            "git", "-C", _repository, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", message);
    }

    private Task<string> Git(params string[] arguments) => ProcessRunner.RunOkAsync("git", ["-C", _repository, .. arguments]);
}
