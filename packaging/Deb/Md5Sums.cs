using System.Security.Cryptography;
using System.Text;

namespace Wheelhouse.Packaging.Deb;

/// <summary>
/// control.tar's md5sums: "&lt;md5&gt;  &lt;path&gt;" for every regular file in archive order, conffiles left out as
/// dh_md5sums does (dpkg tracks their hashes separately, in the conffiles database).
/// </summary>
internal static class Md5Sums
{
    /// <summary>Hashes every file (several at once), then formats the list.</summary>
    public static string Compute(DebDataTree tree, int threads)
    {
        var files = tree.Entries.OfType<DebFile>().Where(f => !f.IsConffile).ToList();
        var hashes = new string[files.Count];
        try
        {
            Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, i =>
            {
                hashes[i] = Hash(files[i].Source);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        return Format(tree, files.Select((f, i) => (f.Path, hashes[i])).ToDictionary(p => p.Path, p => p.Item2, StringComparer.Ordinal));
    }

    private static string Hash(DebFileSource source)
    {
        // Large reads: MD5.HashData(Stream) reads 4 KiB at a time, which is measurable on a 100 MB tree.
        using var stream = source.Open();
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                md5.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return Convert.ToHexStringLower(md5.GetHashAndReset());
    }

    public static string Format(DebDataTree tree, IReadOnlyDictionary<string, string> hashes)
    {
        var text = new StringBuilder();
        foreach (var file in tree.Entries.OfType<DebFile>().Where(f => !f.IsConffile))
        {
            text.Append(hashes[file.Path]).Append("  ").Append(file.Path).Append('\n');
        }

        return text.ToString();
    }
}
