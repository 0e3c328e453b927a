using Microsoft.Data.Sqlite;
using Wheelhouse.Storage.Sqlite;

namespace Wheelhouse.Storage.Tests.Sqlite;

public sealed class SqliteSearchTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wh-search-").FullName;
    private readonly IMetadataStore _db;
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // SQLite's FTS5 or PostgreSQL's tsvector, as the run tests (WH_TEST_STORAGE).
    public SqliteSearchTests() => _db = Wheelhouse.Testing.Postgres.TestStorage.OpenMetadata(_dir);

    public void Dispose()
    {
        _db.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    private static ReleaseRecord Release(string index, string project, string version, string summary, string description = "",
        string keywords = "", int minutes = 0) =>
        new("u", index, project, version, project, System.Text.Json.JsonSerializer.Serialize(new { name = project, version, summary, description, keywords }), T0.AddMinutes(minutes));

    private async Task Write(Action<IMetadataWriter> change)
    {
        using var w = await _db.WriteAsync();
        change(w);
        w.Commit();
    }

    private async Task Seed()
    {
        await Write(w =>
        {
            w.InsertUser(new UserRecord("u", "h", "", "", "", T0));
            w.InsertIndex(new IndexRecord("u", "dev", "{}"));
            w.InsertIndex(new IndexRecord("u", "prod", "{}"));
            w.UpsertRelease(Release("dev", "requests-toolbelt", "1.0", "Utilities for requests"));
            w.UpsertRelease(Release("dev", "requests", "2.0", "HTTP for humans", minutes: 1));
            w.UpsertRelease(Release("dev", "requests", "1.0", "old summary"));
            w.UpsertRelease(Release("dev", "httpx", "0.1", "A next generation HTTP client", "Talks to requests-like servers"));
            w.UpsertRelease(Release("dev", "zeta", "1.0", "nothing here", keywords: "requestsish"));
            w.UpsertRelease(Release("prod", "requests", "3.0", "prod copy"));
        });
    }

    private IReadOnlyList<SearchHit> Search(string name, string words, IReadOnlyList<(string, string)>? within = null, int limit = 50)
    {
        using var r = _db.Read();
        return r.Search(new SearchQuery(name, words.Split(' ', StringSplitOptions.RemoveEmptyEntries), within, limit));
    }

    [Fact]
    public async Task Exact_name_comes_first_then_name_prefixes_then_text_matches_each_project_once()
    {
        await Seed();
        var hits = Search("requests", "requests");
        hits.Select(h => (h.Index, h.Project, h.Match)).Should().Equal(
            ("dev", "requests", SearchMatch.Exact), ("prod", "requests", SearchMatch.Exact),
            ("dev", "requests-toolbelt", SearchMatch.Prefix),
            ("dev", "zeta", SearchMatch.Text), ("dev", "httpx", SearchMatch.Text)); // keywords weigh more than a description
        hits[0].Version.Should().Be("2.0", "the release registered last describes the project");
        hits[0].Summary.Should().Be("HTTP for humans");
    }

    [Fact]
    public async Task A_scoped_search_sees_only_the_given_indexes_and_the_limit_holds()
    {
        await Seed();
        Search("requests", "requests", [("u", "prod")]).Select(h => h.Index).Should().Equal("prod");
        Search("requests", "requests", limit: 2).Should().HaveCount(2);
        Search("requests", "requests", []).Should().BeEmpty();
    }

    [Fact]
    public async Task Every_word_must_match_and_fts_syntax_in_words_is_only_text()
    {
        await Seed();
        Search("", "http client").Select(h => h.Project).Should().Equal("httpx");
        Search("", "http humans").Select(h => (h.Index, h.Project)).Should().Equal(("dev", "requests"));
        Search("", "\"OR* NEAR( -x").Should().BeEmpty();
    }

    [Fact]
    public async Task The_index_follows_deletes_of_releases_and_of_whole_indexes()
    {
        await Seed();
        await Write(w => w.DeleteRelease("u", "dev", "requests", "2.0"));
        Search("requests", "").Single(h => h.Index == "dev" && h.Match == SearchMatch.Exact).Summary.Should().Be("old summary");
        await Write(w => w.DeleteProject("u", "dev", "httpx"));
        Search("", "generation").Should().BeEmpty();
        await Write(w => w.DeleteIndex("u", "dev"));
        Search("requests", "requests").Select(h => h.Index).Should().Equal("prod");
        await Write(w => w.DeleteUser("u"));
        Search("requests", "requests").Should().BeEmpty();
    }

    [Fact]
    public async Task A_rolled_back_write_leaves_the_index_as_it_was()
    {
        await Seed();
        using (var w = await _db.WriteAsync())
        {
            w.UpsertRelease(Release("dev", "newcomer", "1.0", "never committed"));
        }
        Search("newcomer", "newcomer").Should().BeEmpty();
    }

    [Fact]
    public void Releases_stored_before_the_search_index_existed_are_indexed_by_its_migration()
    {
        var path = Path.Combine(_dir, "old.sqlite");
        using (var c = new SqliteConnection($"Data Source={path}"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = Migrations.Scripts[0] + Migrations.Scripts[1] + """
                PRAGMA user_version = 2;
                INSERT INTO users (name, password_hash, email, title, description, created) VALUES ('u', 'h', '', '', '', '2026-01-01T00:00:00Z');
                INSERT INTO indexes (user, name, config) VALUES ('u', 'dev', '{}');
                INSERT INTO releases VALUES ('u', 'dev', 'old-pkg', '1.0', 'Old_Pkg', '{"summary":"first"}', '2026-01-01T00:00:00Z');
                INSERT INTO releases VALUES ('u', 'dev', 'old-pkg', '2.0', 'Old_Pkg', '{"summary":"second","description":"legacy words"}', '2026-01-02T00:00:00Z');
                """;
            cmd.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();
        using var db = SqliteMetadataStore.Open(path);
        using var r = db.Read();
        var hit = r.Search(new SearchQuery("", ["legacy"], null, 10)).Should().ContainSingle().Subject;
        (hit.Project, hit.DisplayName, hit.Version, hit.Summary).Should().Be(("old-pkg", "Old_Pkg", "2.0", "second"));
    }
}
