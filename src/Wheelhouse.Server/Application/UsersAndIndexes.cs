using System.Collections.Frozen;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Application;

/// <summary>
/// The users and indexes, held in memory as an immutable snapshot so that authentication and index lookups never
/// touch storage; replaced after every committed change to users or indexes (by the services that make them).
/// </summary>
public sealed class UsersAndIndexes
{
    private Snapshot _current = new(FrozenDictionary<string, UserRecord>.Empty, FrozenDictionary<(string, string), IndexEntry>.Empty);

    private sealed record Snapshot(FrozenDictionary<string, UserRecord> Users, FrozenDictionary<(string, string), IndexEntry> Indexes);

    public IReadOnlyCollection<UserRecord> Users => _current.Users.Values;

    public IReadOnlyCollection<IndexEntry> Indexes => _current.Indexes.Values;

    public UserRecord? Find(string user) => _current.Users.GetValueOrDefault(user);

    public IndexEntry? FindIndex(string user, string index) => _current.Indexes.GetValueOrDefault((user, index));

    public IndexEntry? FindIndex(IndexPath path) => FindIndex(path.User.Value, path.Index.Value);

    public bool IndexExists(IndexPath path) => FindIndex(path) is not null;

    /// <summary>Core's resolution order for <paramref name="start"/>, mapped back to the entries (mirrors last).</summary>
    public IReadOnlyList<IndexEntry> ResolutionOrderOf(IndexEntry start) =>
        ResolutionOrder.Compute(start.IndexPath, p => FindIndex(p)?.Config)?.Select(r => FindIndex(r.Path)).OfType<IndexEntry>().ToList() ?? [start];

    public IEnumerable<IndexEntry> IndexesOf(string user) =>
        _current.Indexes.Values.Where(i => i.User == user).OrderBy(i => i.Name, StringComparer.Ordinal);

    /// <summary>Reloads from <paramref name="reader"/>; call with the writer after commit, while it still holds the write lock.</summary>
    public void Refresh(IMetadataReader reader) =>
        Volatile.Write(ref _current, new Snapshot(
            reader.Users().ToFrozenDictionary(u => u.Name, StringComparer.Ordinal),
            reader.Indexes().Select(IndexEntry.From).ToFrozenDictionary(i => (i.User, i.Name))));
}
