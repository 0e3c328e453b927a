namespace Wheelhouse.Storage.Files;

/// <summary>For commands that write outside the store (a backup): make what was written under a path durable at once.</summary>
public static class Durability
{
    /// <summary>Syncs the file system holding <paramref name="path"/> (Linux syncfs).</summary>
    public static void SyncFileSystem(string path) => Posix.SyncFileSystem(path);
}
