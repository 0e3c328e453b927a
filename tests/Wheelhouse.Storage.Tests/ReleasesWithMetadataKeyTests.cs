using Microsoft.Data.Sqlite;

namespace Wheelhouse.Storage.Tests;

/// <summary>
/// <see cref="IMetadataReader.ReleasesWithMetadataKey"/>, on the backend the test run chooses: the releases of one index
/// whose metadata holds the key, found in one query (the find-links page's yanked releases).
/// </summary>
public sealed class ReleasesWithMetadataKeyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wh-metakey-").FullName;
    private readonly PackageStore _store;

    public ReleasesWithMetadataKeyTests() => _store = PackageStore.Open(_dir, Wheelhouse.Testing.Postgres.TestStorage.Fresh("metakey"));

    public void Dispose()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    [Fact]
    public async Task Finds_the_releases_of_the_index_that_hold_the_key_and_no_others()
    {
        using (var work = await _store.BeginAsync())
        {
            work.AddUser(new UserRecord("u", "hash", "", "", "", DateTimeOffset.UnixEpoch));
            work.AddIndex(new IndexRecord("u", "dev", "{}"));
            work.AddIndex(new IndexRecord("u", "other", "{}"));
            work.PutRelease(new ReleaseRecord("u", "dev", "a", "1.0", "a", """{"name": "a", "yanked": "broken"}""", DateTimeOffset.UnixEpoch));
            work.PutRelease(new ReleaseRecord("u", "dev", "a", "2.0", "a", """{"name": "a"}""", DateTimeOffset.UnixEpoch));
            work.PutRelease(new ReleaseRecord("u", "dev", "b", "1.0", "b", """{"name": "b", "yanked": true}""", DateTimeOffset.UnixEpoch));
            work.PutRelease(new ReleaseRecord("u", "dev", "c", "1.0", "c", """{"name": "c", "summary": "not yanked"}""", DateTimeOffset.UnixEpoch));
            work.PutRelease(new ReleaseRecord("u", "other", "a", "1.0", "a", """{"name": "a", "yanked": "elsewhere"}""", DateTimeOffset.UnixEpoch));
            work.Commit();
        }

        using var reader = _store.Read();
        reader.ReleasesWithMetadataKey("u", "dev", "yanked").Select(r => $"{r.Project} {r.Version}").Order(StringComparer.Ordinal)
            .Should().Equal("a 1.0", "b 1.0");
        reader.ReleasesWithMetadataKey("u", "dev", "nothing").Should().BeEmpty();
    }
}
