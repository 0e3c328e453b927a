namespace Wheelhouse.Storage;

/// <summary>Queries over the metadata (users, indexes, releases, files) as one consistent view.</summary>
public interface IMetadataReader : IDisposable
{
    IReadOnlyList<UserRecord> Users();

    UserRecord? User(string name);

    IReadOnlyList<IndexRecord> Indexes();

    /// <summary>Projects with at least one registered release, as (normalized, display name), sorted by normalized name.</summary>
    IReadOnlyList<(string Project, string DisplayName)> Projects(string user, string index);

    IReadOnlyList<ReleaseRecord> Releases(string user, string index, string project);

    ReleaseRecord? Release(string user, string index, string project, string version);

    /// <summary>
    /// The releases of one index whose metadata holds the key <paramref name="key"/> (as <c>"key"</c>): one query for a
    /// page over every project that needs the few marked ones (PEP 592's <c>yanked</c>), never one per project.
    /// </summary>
    IReadOnlyList<ReleaseRecord> ReleasesWithMetadataKey(string user, string index, string key);

    IReadOnlyList<FileRecord> Files(string user, string index, string project);

    /// <summary>Every file row of one index.</summary>
    IReadOnlyList<FileRecord> IndexFiles(string user, string index);

    FileRecord? File(string user, string index, string fileName);

    /// <summary>Every file row of every index (what the served tree must hold).</summary>
    IReadOnlyList<FileRecord> AllFiles();

    /// <summary>The file rows of every index whose sha256 starts with <paramref name="sha256Prefix"/>: one shard of the served tree.</summary>
    IReadOnlyList<FileRecord> FilesWithSha256Prefix(string sha256Prefix);

    byte[]? CoreMetadata(string sha256);

    /// <summary>What a mirror's last pre-fetch run did (its JSON, as the server wrote it), or null before the first run.</summary>
    string? PrefetchStatus(string user, string index);

    /// <summary>
    /// The blob hashes rows refer to that start with <paramref name="sha256Prefix"/> (every one by default): the blob
    /// store's collection asks for one of its shards at a time, so it never holds every hash at once.
    /// </summary>
    HashSet<string> ReferencedBlobs(string sha256Prefix = "");

    bool IsBlobReferenced(string sha256);

    /// <summary>
    /// How many distinct blobs the rows refer to, and their bytes (each blob once, however many indexes hold it): the
    /// data size for metrics, from the rows rather than a walk of the blob store (a million stat calls at 1,000,000
    /// files). One pass over the sha256 index; the caller runs it in the background.
    /// </summary>
    (long Count, long Bytes) BlobTotals();

    /// <summary>
    /// Projects matching <paramref name="query"/>: exact name matches first, then name prefixes (by name), then text
    /// matches (most relevant first, name before summary before keywords before description), each project of an index
    /// once, at most <see cref="SearchQuery.Limit"/> hits. The store keeps what this searches up to date inside every
    /// write transaction that registers or deletes a release (directly or by deleting its index or user), so a commit is
    /// searchable as soon as it is visible; a query never scans every release.
    /// </summary>
    IReadOnlyList<SearchHit> Search(SearchQuery query);

    /// <summary>The serial as stored, which another process writing the same store (layout apply) may have advanced.</summary>
    long StoredSerial();
}
