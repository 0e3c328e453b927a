using System.Text;
using Wheelhouse.Packaging.Deb.Archives;
using Wheelhouse.Packaging.Deb.Compression;

namespace Wheelhouse.Packaging.Deb;

/// <summary>
/// Writes a binary package (deb(5)): ar archive of debian-binary, control.tar.&lt;ext&gt; and data.tar.&lt;ext&gt;.
/// data.tar is streamed through the compressor into a temporary file while md5sums are computed, so no file is ever
/// held in memory whole; control.tar (small) is built afterwards and placed before it.
/// The same package and compression give the same bytes, whatever the clock, umask or core count.
/// </summary>
public static class DebWriter
{
    /// <summary>Members of control.tar that are executed by dpkg and so get mode 0755.</summary>
    public static readonly IReadOnlySet<string> MaintainerScripts =
        new HashSet<string>(StringComparer.Ordinal) { "preinst", "postinst", "prerm", "postrm", "config" };

    private static readonly HashSet<string> WriterOwned =
        new HashSet<string>(StringComparer.Ordinal) { "control", "md5sums", "conffiles" };

    /// <summary>Compressor threads used when none are given: one per core, at most 8 (xz needs about 150 MB each).</summary>
    public static int DefaultThreads => Compressor.DefaultThreads;

    public static DebWriteResult Write(DebPackage package, DebCompression compression, Stream output) =>
        Write(package, compression, output, Compressor.DefaultThreads, Path.GetTempPath());

    /// <summary>Writes to a temporary file beside <paramref name="path"/>, then renames it into place.</summary>
    public static DebWriteResult WriteToFile(DebPackage package, DebCompression compression, string path) =>
        WriteToFile(package, compression, path, Compressor.DefaultThreads);

    /// <param name="threads">Compressor threads: changes the speed, never the bytes.</param>
    public static DebWriteResult WriteToFile(DebPackage package, DebCompression compression, string path, int threads)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            DebWriteResult result;
            using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                result = Write(package, compression, output, threads, directory);
            }

            File.Move(temporary, fullPath, overwrite: true);
            return result;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write {fullPath}: {e.Message}", e);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    internal static DebWriteResult Write(DebPackage package, DebCompression compression, Stream output, int threads, string scratchDirectory)
    {
        var mtime = package.Timestamp.ToUnixTimeSeconds();
        if (mtime < 0)
        {
            throw new ArgumentException($"timestamp {package.Timestamp:O} is before 1970; set SOURCE_DATE_EPOCH to a commit time");
        }

        CheckControlScripts(package.ControlScripts);
        var tree = DebDataTree.Create(package.Data);
        var installedSize = InstalledSize.Compute(tree);
        var control = package.Control["Installed-Size"] is null
            ? package.Control.With("Installed-Size", installedSize.ToString(System.Globalization.CultureInfo.InvariantCulture), after: "Maintainer")
            : package.Control;
        var suffix = compression.TarSuffix();

        try
        {
            if (output.CanSeek)
            {
                // Straight into the output: md5sums first (in parallel), then data.tar streamed behind control.tar.
                var md5sums = Md5Sums.Compute(tree, threads);
                var ar = StartAr(output, package, control, tree, md5sums, compression, mtime, threads);
                var start = ar.BeginMember("data.tar" + suffix);
                DataTarWriter.Write(tree, compression, output, mtime, threads, hashes: null);
                ar.EndMember("data.tar" + suffix, start);
            }
            else
            {
                // Unseekable output: data.tar goes to a scratch file first (hashed on the way), then is copied.
                var dataPath = Path.Combine(scratchDirectory, $".wheelhouse-data-{Guid.NewGuid():N}.tar{suffix}");
                using var data = new FileStream(dataPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
                var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
                DataTarWriter.Write(tree, compression, data, mtime, threads, hashes);
                var ar = StartAr(output, package, control, tree, Md5Sums.Format(tree, hashes), compression, mtime, threads);
                data.Position = 0;
                ar.AddMember("data.tar" + suffix, data, data.Length);
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write data.tar{suffix}: {e.Message}", e);
        }

        output.Flush();
        return new DebWriteResult(control, installedSize);
    }

    private static ArWriter StartAr(
        Stream output, DebPackage package, ControlFile control, DebDataTree tree, string md5sums, DebCompression compression, long mtime, int threads)
    {
        var controlTar = WriteControlTar(control, tree, package.ControlScripts, md5sums, compression, mtime, threads);
        var ar = new ArWriter(output, mtime);
        ar.AddMember("debian-binary", "2.0\n"u8);
        ar.AddMember("control.tar" + compression.TarSuffix(), controlTar);
        return ar;
    }

    private static byte[] WriteControlTar(
        ControlFile control,
        DebDataTree tree,
        IReadOnlyDictionary<string, byte[]> scripts,
        string md5sums,
        DebCompression compression,
        long mtime,
        int threads)
    {
        var members = new SortedDictionary<string, (byte[] Content, int Mode)>(DebDataTree.Utf8Ordinal.Instance)
        {
            ["control"] = (Encoding.UTF8.GetBytes(control.ToString()), DebModes.Regular),
        };
        var conffiles = tree.Entries.OfType<DebFile>().Where(f => f.IsConffile).Select(f => "/" + f.Path + "\n").ToList();
        if (conffiles.Count > 0)
        {
            members["conffiles"] = (Encoding.UTF8.GetBytes(string.Concat(conffiles)), DebModes.Regular);
        }

        if (md5sums.Length > 0)
        {
            members["md5sums"] = (Encoding.UTF8.GetBytes(md5sums), DebModes.Regular);
        }

        foreach (var (name, content) in scripts)
        {
            members[name] = (content, MaintainerScripts.Contains(name) ? DebModes.Executable : DebModes.Regular);
        }

        using var buffer = new MemoryStream();
        using (var compressed = Compressor.Open(compression, buffer, threads))
        {
            var tar = new GnuTarWriter(compressed, mtime);
            tar.AddDirectory("./", DebModes.Directory);
            foreach (var (name, (content, mode)) in members)
            {
                using var stream = new MemoryStream(content, writable: false);
                tar.AddFile("./" + name, mode, stream, content.Length);
            }

            tar.Finish();
        }

        return buffer.ToArray();
    }

    private static void CheckControlScripts(IReadOnlyDictionary<string, byte[]> scripts)
    {
        var problems = new List<string>();
        foreach (var (name, content) in scripts)
        {
            if (WriterOwned.Contains(name))
            {
                problems.Add($"control member '{name}' is generated by the writer; do not pass it as a script");
            }
            else if (name.Length == 0 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.'))
            {
                problems.Add($"control member name '{name}' must be lower-case letters, digits, '-', '_' or '.'");
            }
            else if (MaintainerScripts.Contains(name) && !content.AsSpan().StartsWith("#!"u8))
            {
                problems.Add($"maintainer script '{name}' must start with a #! line");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid control members: " + string.Join("; ", problems));
        }
    }
}
