using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace MirrorBench;

/// <summary>
/// A cold mirror fetch: the project's page dropped from the mirror cache (<c>POST .../refresh</c>), then the page (one
/// upstream request) and a file never fetched before (upstream download, hash check, store) requested as pip would.
/// </summary>
internal static partial class ColdFetch
{
    public sealed record Sample(double PageMs, double FileMs);

    public static async Task<List<Sample>> RunAsync(Admin downstream, string index, string project, IReadOnlyList<string> versions)
    {
        var samples = new List<Sample>();
        var page = new Uri(downstream.Http.BaseAddress!, $"{index}/+simple/{project}/");
        foreach (var version in versions)
        {
            using (var refresh = await downstream.Http.PostAsync($"{index}/+simple/{project}/refresh", null))
            {
                if ((int)refresh.StatusCode != 302)
                {
                    throw new InvalidOperationException($"refresh answered {(int)refresh.StatusCode}");
                }
            }
            var clock = Stopwatch.StartNew();
            var html = await downstream.Http.GetStringAsync(page);
            var pageMs = clock.Elapsed.TotalMilliseconds;
            var fileName = $"{project.Replace('-', '_')}-{version}-py3-none-any.whl";
            var link = Links().Matches(html).Select(m => m.Groups[1].Value).Single(h => h.Contains("/" + fileName + "#", StringComparison.Ordinal));
            clock.Restart();
            var bytes = await downstream.Http.GetByteArrayAsync(new Uri(page, link));
            var fileMs = clock.Elapsed.TotalMilliseconds;
            if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != link[(link.IndexOf("#sha256=", StringComparison.Ordinal) + 8)..])
            {
                throw new InvalidOperationException($"{fileName}: the mirror served other bytes than the page's sha256");
            }
            samples.Add(new Sample(pageMs, fileMs));
        }
        return samples;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex Links();
}
