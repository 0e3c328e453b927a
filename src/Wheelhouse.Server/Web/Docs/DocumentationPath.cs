namespace Wheelhouse.Server.Web.Docs;

/// <summary>
/// A path inside a documentation zip as the URL gives it: relative, <c>/</c>-separated, with no <c>.</c> or <c>..</c>
/// segment, no backslash and no control character. Zip entries are only ever looked up by such a name, never
/// extracted, so no path can reach outside the zip; the checks keep URLs unambiguous and refuse probing.
/// </summary>
public static class DocumentationPath
{
    public const string DirectoryIndex = "index.html";

    /// <summary>The entry name to look up (a directory's <c>index.html</c> for a path ending in <c>/</c> or empty), or null when refused.</summary>
    public static string? Normalize(string? relpath)
    {
        relpath ??= "";
        if (relpath.Length > 1000 || relpath.StartsWith('/') || relpath.Any(c => c == '\\' || char.IsControl(c)))
        {
            return null;
        }
        var segments = relpath.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            if (segments[i] is "." or ".." || (segments[i].Length == 0 && !last))
            {
                return null;
            }
        }
        return relpath.Length == 0 || relpath.EndsWith('/') ? relpath + DirectoryIndex : relpath;
    }

    /// <summary>A zip entry's name as a path to match (<c>\</c> written by some Windows tools read as <c>/</c>, a leading <c>./</c> or <c>/</c> dropped).</summary>
    public static string OfEntry(string fullName)
    {
        var name = fullName.Replace('\\', '/');
        while (name.StartsWith("./", StringComparison.Ordinal))
        {
            name = name[2..];
        }
        return name.TrimStart('/');
    }
}
