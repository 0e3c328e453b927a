namespace Wheelhouse.Storage;

/// <summary>
/// Copies every row one store shows into another, empty one, whatever their kinds (SQLite to PostgreSQL for
/// <c>migrate-storage</c>, PostgreSQL to a SQLite file for <c>backup</c>), in one write transaction of the target:
/// all or nothing. The copy keeps the source's serial and identity.
/// </summary>
public static class MetadataCopier
{
    /// <summary>What a copy holds.</summary>
    public sealed record Counts(int Users, int Indexes, int Releases, int Files, int CoreMetadata)
    {
        public int Rows => Users + Indexes + Releases + Files + CoreMetadata;
    }

    /// <summary>The rows <see cref="CopyAsync"/> will copy, for a progress total.</summary>
    public static int CountRows(IMetadataReader source)
    {
        var rows = source.Users().Count;
        foreach (var index in source.Indexes())
        {
            rows += 1 + source.IndexFiles(index.User, index.Name).Count;
            rows += source.Projects(index.User, index.Name).Sum(p => source.Releases(index.User, index.Name, p.Project).Count);
        }
        return rows;
    }

    /// <param name="source">A consistent view of the source (a reader, or a snapshot's rows).</param>
    /// <param name="sourceUuid">The source's identity, kept by the copy.</param>
    /// <param name="rowCopied">Told after each row (progress).</param>
    /// <exception cref="InvalidOperationException">The target holds users or commits already; nothing was written.</exception>
    public static async Task<Counts> CopyAsync(IMetadataReader source, string sourceUuid, IMetadataStore target, Action? rowCopied,
        CancellationToken cancellationToken)
    {
        using var writer = await target.WriteAsync(cancellationToken).ConfigureAwait(false);
        if (writer.StoredSerial() != 0 || writer.Users().Count > 0 || writer.Indexes().Count > 0)
        {
            throw new InvalidOperationException(
                $"the target store is not empty (serial {writer.StoredSerial()}, {writer.Users().Count} users): copy only into a new, empty database");
        }
        var tick = rowCopied ?? (() => { });
        int users = 0, indexes = 0, releases = 0, files = 0, coreMetadata = 0;
        foreach (var user in source.Users())
        {
            writer.InsertUser(user);
            users++;
            tick();
        }
        var metadataCopied = new HashSet<string>(StringComparer.Ordinal);
        foreach (var index in source.Indexes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            writer.InsertIndex(index);
            if (source.PrefetchStatus(index.User, index.Name) is { } prefetchStatus)
            {
                writer.PutPrefetchStatus(index.User, index.Name, prefetchStatus); // the next run stays due when it was
            }
            indexes++;
            tick();
            foreach (var (project, _) in source.Projects(index.User, index.Name))
            {
                foreach (var release in source.Releases(index.User, index.Name, project))
                {
                    writer.UpsertRelease(release);
                    releases++;
                    tick();
                }
                foreach (var file in source.Files(index.User, index.Name, project))
                {
                    if (file.MetadataSha256 is { } sha && metadataCopied.Add(sha) && source.CoreMetadata(sha) is { } content)
                    {
                        writer.PutCoreMetadata(sha, content);
                        coreMetadata++;
                    }
                    writer.UpsertFile(file);
                    files++;
                    tick();
                }
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        ((IBulkLoadTarget)writer).CommitAs(source.StoredSerial(), sourceUuid);
        return new Counts(users, indexes, releases, files, coreMetadata);
    }
}
