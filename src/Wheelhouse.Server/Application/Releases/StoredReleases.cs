using Wheelhouse.Core.Packages;
using Wheelhouse.Core.Versions;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Application.Releases;

/// <summary>A project's releases in one index as <see cref="ReleaseFreezePolicy"/> needs them: version and release-file hashes.</summary>
public static class StoredReleases
{
    public static List<ReleaseFreezePolicy.StoredRelease> Of(IMetadataReader rows, string user, string index, ProjectName project)
    {
        var files = rows.Files(user, index, project.Normalized).Where(f => f.Kind == FileKind.ReleaseFile).ToLookup(f => f.Version, f => f.Sha256);
        return rows.Releases(user, index, project.Normalized).Select(r => new ReleaseFreezePolicy.StoredRelease(r.Version, files[r.Version].ToList())).ToList();
    }
}
