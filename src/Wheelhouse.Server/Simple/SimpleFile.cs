using Wheelhouse.Server.Http;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Simple;

/// <summary>One file link of a project page, with its URL relative to the server root (<c>u/i/+f/abc/…/name</c>).</summary>
/// <param name="Size">Null for a mirror file not fetched yet (the upstream page need not say).</param>
/// <param name="Yanked">PEP 592, as the release or the mirror's upstream says: null when not yanked, else the reason ("" when none was given).</param>
public sealed record SimpleFile(
    string FileName, string RootRelativeUrl, string Sha256, long? Size, DateTimeOffset? Uploaded, string RequiresPython, string? MetadataSha256,
    string? Yanked = null)
{
    /// <summary>A stored release file's link, marked when its version is among <paramref name="yankedVersions"/> (version → reason).</summary>
    public static SimpleFile Of(FileRecord f, IReadOnlyDictionary<string, string>? yankedVersions) =>
        new(f.FileName, IndexViews.FileUrl(f), f.Sha256, f.Size, f.Uploaded, f.RequiresPython, f.MetadataSha256, yankedVersions?.GetValueOrDefault(f.Version));

    /// <summary>The yanked versions among <paramref name="releases"/>, with their reasons (PEP 592), for <see cref="Of"/>.</summary>
    public static Dictionary<string, string> YankedVersions(IEnumerable<ReleaseRecord> releases) =>
        releases.Select(r => (r.Version, Reason: Core.Packages.Yanked.Read(r.MetadataJson))).Where(r => r.Reason is not null)
            .ToDictionary(r => r.Version, r => r.Reason!, StringComparer.Ordinal);
}
