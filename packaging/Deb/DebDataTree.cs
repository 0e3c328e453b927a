using System.Text;

namespace Wheelhouse.Packaging.Deb;

/// <summary>
/// The data.tar entries in archive order: validated, every missing parent directory synthesised (0755), the root
/// directory (empty path, written "./") first. The order is dpkg-deb's (and GNU tar --sort=name's): a depth-first walk
/// with the names in each directory sorted bytewise (UTF-8), i.e. paths compared segment by segment, so "usr/lib/x"
/// comes before "usr/lib-y"; then, as dpkg-deb does so that a plain tar extraction never writes through a link, all
/// symlinks at the end in the same order.
/// </summary>
public sealed class DebDataTree
{
    private DebDataTree(IReadOnlyList<DebEntry> entries) => Entries = entries;

    /// <summary>Entries in archive order; the first is the root directory with Path "".</summary>
    public IReadOnlyList<DebEntry> Entries { get; }

    /// <summary>Validates and orders <paramref name="entries"/>. All problems are reported in one exception.</summary>
    public static DebDataTree Create(IEnumerable<DebEntry> entries)
    {
        var problems = new List<string>();
        var byPath = new Dictionary<string, DebEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var problem = PathProblem(entry.Path) ?? EntryProblem(entry);
            if (problem is not null)
            {
                problems.Add(problem);
                continue;
            }

            if (!byPath.TryAdd(entry.Path, entry))
            {
                problems.Add($"'{entry.Path}' is listed twice");
            }
        }

        foreach (var entry in byPath.Values.ToList())
        {
            for (var parent = Parent(entry.Path); parent is not null; parent = Parent(parent))
            {
                if (byPath.TryGetValue(parent, out var existing))
                {
                    if (existing is not DebDirectory)
                    {
                        problems.Add($"'{parent}' is a {Kind(existing)} but '{entry.Path}' needs it to be a directory");
                    }

                    break;
                }

                byPath.Add(parent, new DebDirectory(parent));
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid package contents: " + string.Join("; ", problems.Distinct()));
        }

        var root = byPath.Remove("", out var givenRoot) ? givenRoot : new DebDirectory("");
        var ordered = new List<DebEntry>(byPath.Count + 1) { root };
        ordered.AddRange(byPath.Values.OrderBy(e => e is DebSymlink).ThenBy(e => e.Path, PathOrder.Instance));
        return new DebDataTree(ordered);
    }

    /// <summary>The tar member name: "./" for the root, "./path/" for directories, "./path" otherwise.</summary>
    public static string TarName(DebEntry entry) =>
        entry.Path.Length == 0 ? "./" : entry is DebDirectory ? $"./{entry.Path}/" : $"./{entry.Path}";

    private static string? Parent(string path)
    {
        if (path.Length == 0)
        {
            return null;
        }

        var slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }

    private static string? PathProblem(string path)
    {
        if (path.Length == 0)
        {
            return null;
        }

        if (path.StartsWith('/') || path.StartsWith("./", StringComparison.Ordinal))
        {
            return $"'{path}' must be relative without a leading '/' or './'";
        }

        if (path.Contains('\0', StringComparison.Ordinal) || path.Contains('\n', StringComparison.Ordinal))
        {
            return $"'{path.Replace("\0", "\\0", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}' contains a NUL or newline";
        }

        if (path.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            return $"'{path}' has an empty, '.' or '..' segment or a trailing '/'";
        }

        return null;
    }

    private static string? EntryProblem(DebEntry entry) => entry switch
    {
        DebDirectory d when d.Mode is < 0 or > 0xFFF => $"'{d.Path}' has mode {Convert.ToString(d.Mode, 8)}, outside 0-7777",
        DebFile f when f.Mode is < 0 or > 0xFFF => $"'{f.Path}' has mode {Convert.ToString(f.Mode, 8)}, outside 0-7777",
        DebFile f when f.Path.Length == 0 => "the root cannot be a file",
        DebFile { IsConffile: true } f when f.Mode != (f.Mode & 0x1FF) =>
            $"conffile '{f.Path}' must not be setuid, setgid or sticky",
        DebSymlink s when s.Path.Length == 0 => "the root cannot be a symlink",
        DebSymlink s when s.Target.Length == 0 || s.Target.Contains('\0', StringComparison.Ordinal) =>
            $"symlink '{s.Path}' needs a non-empty target without NUL",
        DebDirectory or DebFile or DebSymlink => null,
        _ => $"'{entry.Path}' is an unsupported entry type {entry.GetType().Name}",
    };

    private static string Kind(DebEntry entry) => entry switch
    {
        DebFile => "file",
        DebSymlink => "symlink",
        _ => "directory",
    };

    /// <summary>Orders paths segment by segment, each by its UTF-8 bytes: a depth-first walk with sorted names.</summary>
    public sealed class PathOrder : IComparer<string>
    {
        public static readonly PathOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            var a = (x ?? "").Split('/');
            var b = (y ?? "").Split('/');
            for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
            {
                var order = Utf8Ordinal.Instance.Compare(a[i], b[i]);
                if (order != 0)
                {
                    return order;
                }
            }

            return a.Length.CompareTo(b.Length);
        }
    }

    /// <summary>Orders strings by their UTF-8 bytes, as a byte-wise sort of the archive names would.</summary>
    public sealed class Utf8Ordinal : IComparer<string>
    {
        public static readonly Utf8Ordinal Instance = new();

        public int Compare(string? x, string? y) =>
            Encoding.UTF8.GetBytes(x ?? "").AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y ?? ""));
    }
}
