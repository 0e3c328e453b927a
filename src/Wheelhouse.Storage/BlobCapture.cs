using Wheelhouse.Storage.Files;

namespace Wheelhouse.Storage;

/// <summary>
/// Gives a blob of the store a second name outside it (a backup's, an export's): a hard link, one system call once
/// its directory is made. Blobs are immutable, so a link is a copy that costs no space, and it survives the blob's
/// deletion from the store.
/// </summary>
public sealed class BlobCapture(IBlobStore blobs)
{
    private readonly HashSet<string> _made = new(StringComparer.Ordinal);

    /// <summary>What <see cref="TryLink"/> did.</summary>
    public enum Outcome
    {
        /// <summary>The target is a hard link of the blob.</summary>
        Linked,

        /// <summary>The store does not have the blob (deleted, or never there).</summary>
        Missing,

        /// <summary>The target's file system refuses the link (another file system, or no links): copy instead.</summary>
        NotLinkable,
    }

    /// <summary>The blob's path in the store, or null when <paramref name="sha256"/> is not one.</summary>
    public string? PathOf(string sha256) => blobs.PathOf(sha256);

    /// <summary>Links the blob to <paramref name="target"/> (a new path; its directory is made as needed).</summary>
    /// <exception cref="IOException">The link failed for another reason (the target exists, no space, ...).</exception>
    public Outcome TryLink(string sha256, string target)
    {
        if (blobs.PathOf(sha256) is not { } blob)
        {
            return Outcome.Missing;
        }
        var directory = Path.GetDirectoryName(target)!;
        if (_made.Add(directory))
        {
            Directory.CreateDirectory(directory);
        }
        return Posix.HardLink(blob, target) switch
        {
            0 => Outcome.Linked,
            Posix.ENOENT when !File.Exists(blob) => Outcome.Missing,
            Posix.EXDEV or Posix.EPERM => Outcome.NotLinkable, // another file system, or one refusing links
            var errno => throw new IOException($"link({blob}, {target}) failed with errno {errno}"),
        };
    }
}
