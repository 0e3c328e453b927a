using Wheelhouse.Server.Configuration;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Transfer;

/// <summary>
/// <c>wheelhouse-server import DIR</c>: reads a devpi export (or one of ours), checks all of it, and writes it into an
/// empty or freshly initialized data directory; on any failure the data directory is left as it was.
/// Exit codes: 0 done, 65 (EX_DATAERR) the export is unusable, 73 (EX_CANTCREAT) the data directory holds data.
/// </summary>
public static class ImportCommand
{
    public static async Task<int> RunAsync(ServerOptions options, string directory, CancellationToken ct)
    {
        var phases = new PhaseClock();
        phases.Start("reading the export");
        if (!DevpiExportReader.Read(directory).IsValid(out var export, out var invalid))
        {
            foreach (var problem in invalid.Problems)
            {
                await Console.Error.WriteLineAsync($"wheelhouse-server: import: {problem}");
            }
            await Console.Error.WriteLineAsync("wheelhouse-server: import: nothing was changed");
            return 65;
        }
        phases.Start("checking the data directory");
        var before = DataDirectoryState.Capture(options.DataDirectory, options.Storage);
        if (before.RefusalReason() is { } refusal)
        {
            await Console.Error.WriteLineAsync($"wheelhouse-server: import: {refusal}");
            return 73;
        }
        Console.WriteLine($"importing {export.Users.Count} users, {export.Indexes.Count} indexes, {export.Indexes.Sum(i => i.Releases.Count)} releases, "
            + $"{export.FileCount} files ({TransferProgress.Size(export.TotalBytes)}) from {export.Directory} into {options.DataDirectory}");
        var progress = TransferProgress.OnStandardError("import", export.FileCount, export.TotalBytes);
        try
        {
            long serial;
            var linkProblems = 0;
            phases.Start("opening the store");
            using (var store = PackageStore.Open(options.DataDirectory, options.Storage, _ => Interlocked.Increment(ref linkProblems)))
            {
                store.BeforeCommitStep = step => phases.Start(CommitPhase(step));
                // A data directory that may be imported into has no files, so its served tree should hold none: then
                // the import's single commit links every file and the tree is in step unless a link failed. Only
                // otherwise is the whole tree walked again.
                var treeWasEmpty = store.ServedTree.Audit([]).Stray.Count == 0;
                var serialBefore = store.Serial;
                serial = await new DevpiImporter(store, progress, phases).ImportAsync(export, ct);
                phases.Start("marking the served tree");
                if (treeWasEmpty && linkProblems == 0 && serial == serialBefore + 1)
                {
                    store.MarkServedTreeInStep();
                }
                else
                {
                    store.ReconcileServedTree(wholeTree: true);
                }
            }
            phases.Stop();
            progress.Done();
            Console.WriteLine($"time taken: {phases.Summary()}");
            Console.WriteLine($"imported; the data directory is at serial {serial}. Users log in with the passwords they had; "
                + "each hash is replaced by this server's at its user's first log-in.");
            return 0;
        }
        catch (Exception e) when (e is ImportFailedException or IOException or UnauthorizedAccessException or StorageUnavailableException or OperationCanceledException)
        {
            before.RemoveAdded();
            await Console.Error.WriteLineAsync();
            await Console.Error.WriteLineAsync($"wheelhouse-server: import failed: {e.Message}");
            await Console.Error.WriteLineAsync($"wheelhouse-server: import: nothing was imported; {options.DataDirectory} is as it was before");
            return e is ImportFailedException ? 65 : 74;
        }
    }

    private static string CommitPhase(CommitStep step) => step switch
    {
        CommitStep.PublishBlobs => "publishing and syncing blobs",
        CommitStep.UnlinkServedNames => "unlinking served names",
        CommitStep.CommitRows => "committing rows",
        CommitStep.LinkServedNames => "linking the served tree",
        _ => "collecting blobs",
    };
}
