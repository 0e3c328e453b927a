using System.Security.Cryptography;
using Wheelhouse.Packaging.Deb.Archives;
using Wheelhouse.Packaging.Deb.Compression;

namespace Wheelhouse.Packaging.Deb;

/// <summary>Streams the data tree as a compressed GNU tar; each file is opened, copied and closed in turn.</summary>
internal static class DataTarWriter
{
    /// <summary>Writes data.tar; if <paramref name="hashes"/> is given, fills it with each file's MD5 (by path) on the way.</summary>
    public static void Write(DebDataTree tree, DebCompression compression, Stream destination, long mtime, int threads, Dictionary<string, string>? hashes)
    {
        using var compressed = Compressor.Open(compression, destination, threads, Length(tree));
        var tar = new GnuTarWriter(compressed, mtime);
        using var md5 = hashes is null ? null : IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        foreach (var entry in tree.Entries)
        {
            var name = DebDataTree.TarName(entry);
            switch (entry)
            {
                case DebDirectory directory:
                    tar.AddDirectory(name, directory.Mode);
                    break;
                case DebSymlink link:
                    tar.AddSymlink(name, link.Target);
                    break;
                case DebFile file:
                    var length = file.Source.Length;
                    using (var content = file.Source.Open())
                    {
                        tar.AddFile(name, file.Mode, content, length, md5 is null ? null : chunk => md5.AppendData(chunk));
                    }

                    if (md5 is not null)
                    {
                        hashes![file.Path] = Convert.ToHexStringLower(md5.GetHashAndReset());
                    }

                    break;
            }
        }

        tar.Finish();
    }

    /// <summary>The exact length of the uncompressed data.tar, known before a byte is written.</summary>
    public static long Length(DebDataTree tree) =>
        GnuTarWriter.FinishedLength(tree.Entries.Sum(entry => GnuTarWriter.EntryLength(
            DebDataTree.TarName(entry),
            entry is DebFile file ? file.Source.Length : 0,
            entry is DebSymlink link ? link.Target : "")));
}
