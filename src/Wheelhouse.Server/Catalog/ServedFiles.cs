using System.Diagnostics;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Catalog;

/// <summary>
/// Keeps the <see cref="ServedTree"/> (what nginx serves from disk) in step with the database. Every change runs under
/// the database's writer lock: <see cref="Unlink"/> before a deletion commits, <see cref="Link"/> after an addition
/// commits. A file that cannot be linked is only logged: the server still serves it, nginx falls back to the server.
/// </summary>
public sealed class ServedFiles(ServedTree tree, ILogger<ServedFiles> logger)
{
    public ServedTree Tree => tree;

    /// <summary>After the rows of <paramref name="file"/> are committed (push, mirror fetch): its core metadata comes from the database.</summary>
    public void Link(MetadataReader reader, FileRecord file) =>
        Link(file, file.MetadataSha256 is { } m ? reader.CoreMetadata(m) : null);

    /// <summary>After the rows of <paramref name="file"/> are committed, by a caller that holds its core metadata (upload).</summary>
    public void Link(FileRecord file, byte[]? coreMetadata)
    {
        if (!tree.TryLink(file, coreMetadata, out var problem))
        {
            logger.LogWarning("served tree: {Problem}; the server serves this file itself", problem);
        }
    }

    /// <summary>Before the deletion of <paramref name="file"/>'s row is committed.</summary>
    public void Unlink(FileRecord file) => tree.Unlink(file);

    public void UnlinkIndex(string user, string index) => tree.UnlinkIndex(user, index);

    public void UnlinkUser(string user) => tree.UnlinkUser(user);

    /// <summary>
    /// Relinks a file the server is about to serve itself because its name is missing (a crash between commit and
    /// link, a tree removed by hand). Takes the writer lock and checks the row again, so it cannot recreate the name of
    /// a file deleted meanwhile; writes nothing to the database.
    /// </summary>
    public async Task RelinkIfMissingAsync(MetadataDatabase db, FileRecord file, CancellationToken cancellationToken)
    {
        if (tree.IsLinked(file, withMetadata: file.MetadataSha256 is not null) || tree.PathOf(file) is null)
        {
            return;
        }
        using var writer = await db.WriteAsync(cancellationToken);
        if (writer.File(file.User, file.Index, file.FileName) is { } current && current.Sha256 == file.Sha256)
        {
            Link(writer, current);
        }
    }

    /// <summary>At start-up, before serving: rebuilds the tree unless it is known to match the database's serial.</summary>
    public void ReconcileAtStart(MetadataDatabase db)
    {
        if (tree.IsInStepWith(db.Serial))
        {
            return;
        }
        var watch = Stopwatch.StartNew();
        using var reader = db.Read();
        var report = tree.Reconcile(reader.AllFiles(), reader.CoreMetadata);
        tree.MarkInStep(db.Serial);
        foreach (var problem in report.Problems)
        {
            logger.LogWarning("served tree: {Problem}; the server serves this file itself", problem);
        }
        logger.LogInformation("served tree {Root} reconciled with the database at serial {Serial} in {Milliseconds:F0} ms: {Expected} names, {Linked} linked, {Removed} removed",
            tree.Root, db.Serial, watch.Elapsed.TotalMilliseconds, report.Expected, report.Linked, report.Removed);
    }

    /// <summary>On a clean stop: the tree matches the database, so the next start need not reconcile.</summary>
    public void MarkInStep(MetadataDatabase db) => tree.MarkInStep(db.Serial);
}
