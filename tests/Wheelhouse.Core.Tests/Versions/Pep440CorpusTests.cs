using Wheelhouse.Core.Versions;

namespace Wheelhouse.Core.Tests.Versions;

/// <summary>Validity, normalization, flags and ordering of thousands of versions, compared with Python's packaging.</summary>
[Integration]
public class Pep440CorpusTests
{
    [Fact]
    public void Agrees_with_python_packaging_on_a_large_corpus()
    {
        const int seed = 440;
        var corpus = VersionCorpus.Build(seed, randomCount: 8000);
        corpus.Count.Should().BeGreaterThan(10_000);
        var (packagingVersion, expected) = PythonPackagingReference.Run(corpus);

        var parsed = corpus.Select(s => Pep440Version.TryParse(s, out var v) ? v : null).ToList();
        var ranks = DenseRanks(parsed);
        var problems = new List<string>();
        for (var i = 0; i < corpus.Count; i++)
        {
            var (mine, theirs) = (parsed[i], expected[i]);
            if ((mine is null) != (theirs is null))
            {
                problems.Add($"'{Escape(corpus[i])}': packaging says {(theirs is null ? "invalid" : "valid " + theirs.Normalized)}, we say {(mine is null ? "invalid" : "valid " + mine)}");
                continue;
            }
            if (mine is null || theirs is null)
            {
                continue;
            }
            var ours = new PythonPackagingReference.Result(
                mine.Normalized, mine.IsPreRelease, mine.IsPostRelease, mine.IsDevRelease, mine.Public, mine.BaseVersion, mine.Local, ranks[i]!.Value);
            if (ours != theirs)
            {
                problems.Add($"'{Escape(corpus[i])}': packaging {theirs}, we {ours}");
            }
        }
        problems.Should().BeEmpty(
            "Pep440Version must agree with packaging {0} (corpus seed {1}, {2} strings, {3} valid); first differences:\n{4}",
            packagingVersion, seed, corpus.Count, expected.Count(e => e is not null), string.Join("\n", problems.Take(30)));
        expected.Count(e => e is null).Should().BeGreaterThan(500, "the corpus must exercise invalid strings too");
    }

    // Dense rank of each valid version in our order: equal versions share a rank, so the comparison with packaging
    // pins both the order and the equality relation.
    private static int?[] DenseRanks(List<Pep440Version?> parsed)
    {
        var valid = parsed.Select((v, i) => (v, i)).Where(t => t.v is not null).OrderBy(t => t.v).ToList();
        var ranks = new int?[parsed.Count];
        var rank = -1;
        Pep440Version? previous = null;
        foreach (var (v, i) in valid)
        {
            if (previous is null || v!.CompareTo(previous) != 0)
            {
                rank++;
                previous = v;
            }
            ranks[i] = rank;
        }
        return ranks;
    }

    private static string Escape(string s) => s.Replace("\n", "\\n").Replace("\t", "\\t");
}
