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
                using var stream = files[i].Source.Open();
                hashes[i] = Convert.ToHexStringLower(MD5.HashData(stream));
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        return Format(tree, files.Select((f, i) => (f.Path, hashes[i])).ToDictionary(p => p.Path, p => p.Item2, StringComparer.Ordinal));
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
