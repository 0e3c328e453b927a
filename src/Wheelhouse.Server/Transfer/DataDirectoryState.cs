using Wheelhouse.Storage;

namespace Wheelhouse.Server.Transfer;

/// <summary>
/// What a data directory held before an import or restore, so a failure can put it back: the names at its top level
/// (anything the command created is removed again), and whether it holds more than a fresh <c>init</c> (root, its
/// <c>root/pypi</c>, no release), which those commands refuse to write into.
/// </summary>
public sealed class DataDirectoryState
{
    private readonly string _directory;
    private readonly bool _existed;
    private readonly HashSet<string> _entries;
    private readonly StorageSettings _storage;

    private DataDirectoryState(string directory, bool existed, HashSet<string> entries, StorageSettings storage)
    {
        _storage = storage;
        _directory = directory;
        _existed = existed;
        _entries = entries;
    }

    /// <param name="storage">Where its metadata lives (SQLite in the directory unless given).</param>
    public static DataDirectoryState Capture(string directory, StorageSettings? storage = null)
    {
        var existed = Directory.Exists(directory);
        var entries = existed
            ? Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : [];
        return new DataDirectoryState(directory, existed, entries, storage ?? StorageSettings.Sqlite);
    }

    /// <summary>Why the directory may not receive an import or restore, or null when it is empty or freshly initialized.</summary>
    public string? RefusalReason()
    {
        if (!PackageStore.ExistsIn(_directory, _storage))
        {
            return null;
        }
        using var store = PackageStore.Open(_directory, _storage);
        using var rows = store.Read();
        var users = rows.Users().Select(u => u.Name).Where(n => n != "root").ToList();
        var indexes = rows.Indexes().Select(i => $"{i.User}/{i.Name}").Where(n => n != "root/pypi").ToList();
        var files = rows.AllFiles().Count;
        if (users.Count == 0 && indexes.Count == 0 && files == 0)
        {
            return null;
        }
        return $"the data directory {_directory} already holds data ({users.Count} users besides root, {indexes.Count} indexes besides root/pypi, {files} files); "
            + "import and restore write only into an empty data directory or one that only 'init' has made: give another --data-dir, or move this one away first";
    }

    /// <summary>For commands that read a server's data (export, backup, check): why they cannot, or null when there is data.</summary>
    public static string? NoDataProblem(string dataDirectory, StorageSettings? storage = null) =>
        PackageStore.ExistsIn(dataDirectory, storage ??= StorageSettings.Sqlite)
            ? null
            : storage.Kind == StorageKind.Sqlite
                ? $"{dataDirectory} holds no data (no database); give the --data-dir (or --config) of the server"
                : $"{storage.Describe(dataDirectory)} holds no Wheelhouse data yet; give the --config of the server";

    /// <summary>Removes whatever the failed command added at the top level (the rows it wrote are rolled back by storage).</summary>
    public void RemoveAdded()
    {
        if (!Directory.Exists(_directory))
        {
            return;
        }
        if (!_existed)
        {
            Directory.Delete(_directory, recursive: true);
            return;
        }
        foreach (var entry in Directory.EnumerateFileSystemEntries(_directory).Where(e => !_entries.Contains(Path.GetFileName(e))))
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }
    }
}
