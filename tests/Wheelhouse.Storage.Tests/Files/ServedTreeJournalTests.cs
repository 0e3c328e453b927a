using Microsoft.Data.Sqlite;
using Wheelhouse.Storage.Files;

namespace Wheelhouse.Storage.Tests.Files;

/// <summary>
/// When a start may trust the served tree's journal and check only the names of an unfinished commit, and when it
/// must walk the whole tree (the crash at each commit step is in <see cref="UnitOfWorkTests"/>). A stray name placed
/// by hand stands for a name the rows lost behind the tree's back: only the whole walk removes it.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ServedTreeJournalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wh-journal-").FullName;
    private readonly StorageSettings _storage = Wheelhouse.Testing.Postgres.TestStorage.Fresh("journal");
    private readonly PackageStore _store;
    private readonly FileRecord _stray;

    public ServedTreeJournalTests()
    {
        _store = PackageStore.Open(_dir, _storage);
        using (var work = _store.BeginAsync().GetAwaiter().GetResult())
        {
            work.AddUser(new UserRecord("u", "hash", "", "", "", DateTimeOffset.UtcNow));
            work.AddIndex(new IndexRecord("u", "dev", "{}"));
            work.Commit();
        }
        foreach (var other in new[] { "a", "b" }) // a few serials to go back from
        {
            using var work = _store.BeginAsync().GetAwaiter().GetResult();
            work.AddIndex(new IndexRecord("u", other, "{}"));
            work.Commit();
        }
        _store.ReconcileServedTree();
        // A name no row has, as a database restored from an older backup would leave it.
        _stray = new FileRecord("u", "dev", "ghost-1.0.tar.gz", "ghost", "1.0", FileKind.ReleaseFile, new string('a', 64), 1,
            DateTimeOffset.UnixEpoch, "", null, "[]");
        var path = ((ServedTree)_store.ServedTree).PathOf(_stray)!;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "lost");
    }

    public void Dispose()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    private bool StrayServed => File.Exists(((ServedTree)_store.ServedTree).PathOf(_stray));

    public enum Situation
    {
        /// <summary>A commit of a version without the journal (or a lost marker move): the marker one behind, no entry.</summary>
        MarkerBehindWithoutEntry,

        /// <summary>Two commits since the marker, one entry: one of them was not journaled.</summary>
        TwoCommitsOneEntry,

        /// <summary>The database is behind the marker: restored from an older backup.</summary>
        DatabaseBehindMarker,

        /// <summary>An entry of another database (the data directory's database replaced).</summary>
        EntryOfAnotherDatabase,

        /// <summary>An entry cut short (a crash or power cut while it was written).</summary>
        TornEntry,

        /// <summary>No marker at all: a tree made by hand or by a version before the marker.</summary>
        NoMarker,
    }

    [Theory]
    [InlineData(Situation.MarkerBehindWithoutEntry)]
    [InlineData(Situation.TwoCommitsOneEntry)]
    [InlineData(Situation.DatabaseBehindMarker)]
    [InlineData(Situation.EntryOfAnotherDatabase)]
    [InlineData(Situation.TornEntry)]
    [InlineData(Situation.NoMarker)]
    public void A_journal_that_does_not_account_for_every_commit_since_the_marker_means_a_walk_of_the_whole_tree(Situation situation)
    {
        var serial = _store.Serial;
        var tree = _store.ServedTree;
        var journal = Path.Combine(_dir, ServedTreeJournal.DirectoryName);
        switch (situation)
        {
            case Situation.MarkerBehindWithoutEntry:
                tree.MarkInStep(serial - 1);
                break;
            case Situation.TwoCommitsOneEntry:
                tree.MarkInStep(serial - 2);
                tree.BeginChange(_store.Uuid, serial - 2, [], [], []);
                break;
            case Situation.DatabaseBehindMarker:
                tree.MarkInStep(serial + 3);
                tree.BeginChange(_store.Uuid, serial + 3, [], [], []);
                break;
            case Situation.EntryOfAnotherDatabase:
                tree.MarkInStep(serial - 1);
                tree.BeginChange("another-uuid", serial - 1, [], [], []);
                break;
            case Situation.TornEntry:
                tree.MarkInStep(serial - 1);
                var entry = tree.BeginChange(_store.Uuid, serial - 1, [_stray], [], []);
                File.WriteAllText(entry.Path!, File.ReadAllText(entry.Path!)[..^3]);
                break;
            case Situation.NoMarker:
                File.Delete(Path.Combine(_dir, ServedTree.DirectoryName, ServedTree.MarkerFileName));
                tree.BeginChange(_store.Uuid, serial - 1, [], [], []);
                break;
        }

        var report = _store.ReconcileServedTree();

        report!.Value.Report.FromJournal.Should().BeFalse();
        StrayServed.Should().BeFalse("the whole walk removes every name no row has");
        Directory.EnumerateFileSystemEntries(journal).Should().BeEmpty("the walk covers what the journal said");
        tree.IsInStepWith(_store.Serial).Should().BeTrue();
    }

    [Fact]
    public void A_crash_inside_a_commit_is_recovered_from_its_entry_alone()
    {
        var serial = _store.Serial;
        var tree = _store.ServedTree;
        tree.BeginChange(_store.Uuid, serial, [], [], []); // began at the marker, rows not committed

        var report = _store.ReconcileServedTree();

        report!.Value.Report.FromJournal.Should().BeTrue();
        StrayServed.Should().BeTrue("names outside the entry are not visited: that is the point");
        tree.IsInStepWith(_store.Serial).Should().BeTrue();
        _store.ReconcileServedTree().Should().BeNull("the entry is gone and the marker current");
    }

    [Fact]
    public void A_replayed_entry_removes_a_name_whose_row_is_gone_and_links_one_whose_row_is_there()
    {
        var serial = _store.Serial;
        var tree = _store.ServedTree;
        tree.BeginChange(_store.Uuid, serial, [_stray], [], []);

        var report = _store.ReconcileServedTree();

        report!.Value.Report.Should().BeEquivalentTo(new { FromJournal = true, Removed = 1 });
        StrayServed.Should().BeFalse("the entry named it and no row has it");
    }

    [Fact]
    public void Restore_and_import_can_ask_for_the_whole_walk()
    {
        _store.ReconcileServedTree(wholeTree: true)!.Value.Report.FromJournal.Should().BeFalse();
        StrayServed.Should().BeFalse();
    }
}
