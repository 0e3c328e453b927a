using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Packages;

namespace Wheelhouse.Core.Versions;

/// <summary>
/// What a non-volatile index promises about a release: once it has a file its metadata is frozen (a QA-approved
/// release cannot gain a <c>requires_dist</c> afterwards), and a version is the same release whatever its spelling
/// (PEP 440: <c>1.0.0</c> is <c>1.0</c>), so one release cannot be listed twice. Volatile indexes are not bound.
/// </summary>
public static class ReleaseFreezePolicy
{
    /// <summary>A release stored in the index: its version as stored (normalized) and the sha256 of each of its files.</summary>
    public sealed record StoredRelease(string Version, IReadOnlyCollection<string> FileSha256s)
    {
        public bool HasFiles => FileSha256s.Count > 0;
    }

    /// <summary>What may happen to a release write.</summary>
    public abstract record Decision
    {
        private Decision()
        {
        }

        /// <param name="WriteMetadata">False when the release's metadata is frozen: files may be added, the metadata stays.</param>
        public sealed record Proceed(bool WriteMetadata) : Decision;

        /// <summary>The same content is already there under a PEP 440-equal spelling: nothing to do (200, as for an identical re-upload).</summary>
        public sealed record AlreadyStored : Decision;

        public sealed record Refuse(string Reason) : Decision;
    }

    /// <summary>An upload of a release file with <paramref name="sha256"/>, or (null) a <c>:action=submit</c> of metadata alone.</summary>
    /// <param name="readStored">The project's stored releases, read only for a non-volatile index: a volatile index's
    /// uploads need no read of every file of the project.</param>
    public static Decision Check(IndexPath index, IndexConfig config, ProjectName project, Pep440Version version, string? sha256,
        Func<IReadOnlyCollection<StoredRelease>> readStored)
    {
        if (config.Volatile)
        {
            return new Decision.Proceed(WriteMetadata: true);
        }
        var stored = readStored();
        var same = stored.FirstOrDefault(r => r.Version == version.Normalized);
        var equal = same ?? stored.FirstOrDefault(r => Pep440Version.TryParse(r.Version, out var v) && v.Equals(version));
        if (equal is not null && equal != same)
        {
            return sha256 is not null && equal.FileSha256s.Contains(sha256)
                ? new Decision.AlreadyStored()
                : new Decision.Refuse($"{project.Raw} {version} is the existing release {equal.Version} of non-volatile index {index} "
                    + $"(equal versions by PEP 440); spell it {equal.Version}, or release a new version");
        }
        if (same is not { HasFiles: true })
        {
            return new Decision.Proceed(WriteMetadata: true);
        }
        return sha256 is null
            ? new Decision.Refuse($"the metadata of {project.Raw} {version} in non-volatile index {index} is frozen: the release has files; "
                + "release a new version, or use a volatile index")
            : new Decision.Proceed(WriteMetadata: false);
    }
}
