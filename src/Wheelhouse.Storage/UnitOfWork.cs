namespace Wheelhouse.Storage;

/// <summary>
/// One write: begun with <see cref="PackageStore.BeginAsync"/> (which waits for other writers), filled with changes,
/// then <see cref="Commit"/>ted. Commit applies the crash-safe order, here and nowhere else: new blobs are published;
/// the served names of removed or replaced files disappear (durably); the rows commit and the serial advances; the
/// added files get their served names; blobs nothing references any more are deleted. A crash between any two steps
/// loses nothing acknowledged, never leaves a served name for a file without a row, and leaves at most a missing name
/// (relinked when asked for, or at the next start) or an unreferenced blob (collected at the next start). Before its
/// first tree step it notes the names it will touch in the tree's journal, and after its last one it moves the tree's
/// in-step marker to the new serial: so a start after a crash checks those names only (<see cref="Files.ServedTreeJournal"/>).
/// Disposing without committing rolls the rows back and changes nothing else.
/// </summary>
public sealed class UnitOfWork : IDisposable
{
    private readonly IMetadataWriter _rows;
    private readonly IBlobStore _blobs;
    private readonly IServedTree _tree;
    private readonly Action<string> _linkProblem;
    private readonly Action<CommitStep>? _beforeStep;
    private readonly string _uuid;
    private readonly List<PendingBlob> _publish = [];
    private readonly List<FileRecord> _unlinkFiles = [];
    private readonly List<(string User, string Index)> _unlinkIndexes = [];
    private readonly List<string> _unlinkUsers = [];
    private readonly List<(FileRecord File, byte[]? CoreMetadata)> _link = [];
    private readonly HashSet<string> _maybeUnreferenced = new(StringComparer.Ordinal);
    private bool _committed;

    internal UnitOfWork(IMetadataWriter rows, IBlobStore blobs, IServedTree tree, Action<string> linkProblem, Action<CommitStep>? beforeStep, string uuid)
    {
        _uuid = uuid;
        _rows = rows;
        _blobs = blobs;
        _tree = tree;
        _linkProblem = linkProblem;
        _beforeStep = beforeStep;
    }

    /// <summary>The rows as this write sees them (its own changes included); after the commit, as committed.</summary>
    public IMetadataReader Rows => _rows;

    public void AddUser(UserRecord user) => _rows.InsertUser(user);

    public void ChangeUser(UserRecord user) => _rows.UpdateUser(user);

    public void AddIndex(IndexRecord index) => _rows.InsertIndex(index);

    public void ChangeIndex(IndexRecord index) => _rows.UpdateIndex(index);

    /// <summary>Records what a mirror's pre-fetch run did, so a restart (or another node) knows when the next one is due.</summary>
    public void PutPrefetchStatus(string user, string index, string statusJson) => _rows.PutPrefetchStatus(user, index, statusJson);

    /// <summary>Registers a release or replaces its metadata (the files it has stay).</summary>
    public void PutRelease(ReleaseRecord release) => _rows.UpsertRelease(release);

    /// <summary>
    /// Adds a file row (its release must exist), replacing one of the same name. <paramref name="content"/>, a finished
    /// blob, is published before the commit; <paramref name="coreMetadata"/> (a wheel's, under
    /// <see cref="FileRecord.MetadataSha256"/>) is stored. A replaced file with other content loses its served name
    /// before the commit and its blob after, unless another row still references it.
    /// </summary>
    public void AddFile(FileRecord file, PendingBlob? content = null, byte[]? coreMetadata = null)
    {
        if (file.MetadataSha256 is { } metadataSha && coreMetadata is not null)
        {
            _rows.PutCoreMetadata(metadataSha, coreMetadata);
        }
        if (_rows.File(file.User, file.Index, file.FileName) is { } existing && existing.Sha256 != file.Sha256)
        {
            Unlinked(existing);
        }
        _rows.UpsertFile(file);
        if (content is not null)
        {
            _publish.Add(content);
        }
        _link.Add((file, coreMetadata));
    }

    public void RemoveFile(FileRecord file)
    {
        Unlinked(file);
        _rows.DeleteFile(file.User, file.Index, file.FileName);
    }

    /// <summary>Removes a release with its files.</summary>
    public void RemoveRelease(string user, string index, string project, string version)
    {
        foreach (var file in _rows.Files(user, index, project).Where(f => f.Version == version))
        {
            Unlinked(file);
        }
        _rows.DeleteRelease(user, index, project, version);
    }

    /// <summary>Removes every release of a project with their files.</summary>
    public void RemoveProject(string user, string index, string project)
    {
        foreach (var file in _rows.Files(user, index, project))
        {
            Unlinked(file);
        }
        _rows.DeleteProject(user, index, project);
    }

    /// <summary>Removes an index with its releases and files.</summary>
    public void RemoveIndex(string user, string index)
    {
        _maybeUnreferenced.UnionWith(_rows.IndexFiles(user, index).Select(f => f.Sha256));
        _unlinkIndexes.Add((user, index));
        _rows.DeleteIndex(user, index);
    }

    /// <summary>Removes a user with its indexes, their releases and files.</summary>
    public void RemoveUser(string user)
    {
        foreach (var index in _rows.Indexes().Where(i => i.User == user))
        {
            _maybeUnreferenced.UnionWith(_rows.IndexFiles(user, index.Name).Select(f => f.Sha256));
        }
        _unlinkUsers.Add(user);
        _rows.DeleteUser(user);
    }

    private void Unlinked(FileRecord file)
    {
        _unlinkFiles.Add(file);
        _maybeUnreferenced.Add(file.Sha256);
    }

    /// <summary>Applies every change in the crash-safe order (see the class comment); returns the new serial.</summary>
    public long Commit()
    {
        if (_committed)
        {
            throw new InvalidOperationException("this unit of work is already committed");
        }
        Step(CommitStep.PublishBlobs);
        foreach (var blob in _publish)
        {
            blob.Publish();
        }
        if (_publish.Any(b => !b.Synced))
        {
            // A bulk write's blobs (content and names) become durable together, still before any row refers to them.
            _blobs.SyncAll();
        }
        // Under the write lock, so the stored serial is the one this commit advances from.
        var journal = _tree.BeginChange(_uuid, _rows.StoredSerial(), _unlinkFiles.Concat(_link.Select(l => l.File)), _unlinkIndexes, _unlinkUsers);
        Step(CommitStep.UnlinkServedNames);
        foreach (var file in _unlinkFiles)
        {
            _tree.Unlink(file);
        }
        foreach (var (user, index) in _unlinkIndexes)
        {
            _tree.UnlinkIndex(user, index);
        }
        foreach (var user in _unlinkUsers)
        {
            _tree.UnlinkUser(user);
        }
        Step(CommitStep.CommitRows);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var serial = _rows.Commit();
        StorageMeter.Record(StorageMeter.Commit, start);
        _committed = true;
        CommitsInFlow.Committed(serial);
        Step(CommitStep.LinkServedNames);
        LinkServedNames();
        _tree.EndChange(journal, serial);
        Step(CommitStep.CollectBlobs);
        foreach (var sha in _maybeUnreferenced)
        {
            if (!_rows.IsBlobReferenced(sha))
            {
                _blobs.Delete(sha);
            }
        }
        return serial;
    }

    /// <summary>
    /// Gives the committed files their served names. A bulk write's thousands are linked by several threads at once:
    /// each link is a few system calls that wait on the file system, not the CPU. The rows (not thread-safe) are read
    /// first, on this thread.
    /// </summary>
    private void LinkServedNames()
    {
        var links = _link.Select(l => (l.File, Metadata: l.CoreMetadata ?? (l.File.MetadataSha256 is { } m ? _rows.CoreMetadata(m) : null))).ToList();
        var workers = links.Count < ParallelLinksFrom ? 1 : Math.Clamp(Environment.ProcessorCount * 2, 2, 8);
        Parallel.ForEach(links, new ParallelOptions { MaxDegreeOfParallelism = workers }, link =>
        {
            if (!_tree.TryLink(link.File, link.Metadata, out var problem))
            {
                _linkProblem(problem!);
            }
        });
    }

    /// <summary>Fewer links than this are made on the committing thread: starting workers would cost more.</summary>
    private const int ParallelLinksFrom = 64;

    /// <summary>Takes in another process's commits (see <see cref="IMetadataWriter.AdoptOtherProcessesSerial"/>); commits nothing.</summary>
    public bool AdoptOtherProcessesSerial() => _rows.AdoptOtherProcessesSerial();

    private void Step(CommitStep step) => _beforeStep?.Invoke(step);

    public void Dispose() => _rows.Dispose();
}
