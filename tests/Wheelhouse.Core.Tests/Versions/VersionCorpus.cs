namespace Wheelhouse.Core.Tests.Versions;

/// <summary>
/// Version strings for the comparison with Python's packaging: every combination of canonical parts (to pin the
/// ordering), random spellings of those parts (to pin normalization), and random mutations (to pin what is invalid).
/// </summary>
internal static class VersionCorpus
{
    private static readonly string[] Epochs = ["", "0!", "1!", "2!"];
    private static readonly string[] Releases = ["0", "0.9", "1", "1.0", "1.0.0", "1.0.1", "1.1", "1.10", "2", "10.0.0.1"];
    private static readonly string[] Pres = ["", "a0", "a1", "a2", "b1", "rc1", "rc10"];
    private static readonly string[] Posts = ["", ".post0", ".post1", ".post2"];
    private static readonly string[] Devs = ["", ".dev0", ".dev1", ".dev10"];
    private static readonly string[] Locals = ["", "+0", "+1", "+01.a", "+a", "+abc", "+abc.5", "+abc.7", "+5", "+1abc", "+a.b.c", "+1.a.2"];

    public static List<string> Build(int seed, int randomCount)
    {
        var corpus = new List<string>();
        foreach (var e in new[] { "", "1!" })
        foreach (var r in Releases)
        foreach (var pre in Pres)
        foreach (var post in Posts)
        foreach (var dev in Devs)
        foreach (var local in new[] { "", "+abc", "+5" })
        {
            corpus.Add(e + r + pre + post + dev + local);
        }
        foreach (var r in Releases)
        foreach (var local in Locals)
        {
            corpus.Add(r + local);
            corpus.Add(r + ".post1" + local);
            corpus.Add(r + "rc1.dev2" + local);
        }
        var random = new Random(seed);
        for (int i = 0; i < randomCount; i++)
        {
            var version = RandomSpelling(random);
            corpus.Add(random.Next(5) == 0 ? Mutate(random, version) : version);
        }
        return corpus;
    }

    private static string RandomSpelling(Random r)
    {
        string Pick(string[] options) => options[r.Next(options.Length)];
        string Sep() => Pick(["", "", ".", "-", "_"]);
        string Num() => r.Next(4) switch { 0 => "", 1 => "0", 2 => r.Next(20).ToString(), _ => "0" + r.Next(100) };
        string Case(string s) => r.Next(3) == 0 ? s.ToUpperInvariant() : s;

        var s = r.Next(10) == 0 ? Case("v") : "";
        if (r.Next(5) == 0)
        {
            s += r.Next(4) + "!";
        }
        s += string.Join('.', Enumerable.Range(0, 1 + r.Next(5)).Select(_ => r.Next(6) == 0 ? "0" + r.Next(12) : r.Next(12).ToString()));
        if (r.Next(2) == 0)
        {
            s += Sep() + Case(Pick(["a", "b", "c", "rc", "alpha", "beta", "pre", "preview"])) + Sep() + Num();
        }
        switch (r.Next(5))
        {
            case 0: s += "-" + r.Next(12); break;
            case 1: s += Sep() + Case(Pick(["post", "rev", "r"])) + Sep() + Num(); break;
        }
        if (r.Next(3) == 0)
        {
            s += Sep() + Case("dev") + Sep() + Num();
        }
        if (r.Next(3) == 0)
        {
            var segments = Enumerable.Range(0, 1 + r.Next(4))
                .Select(_ => r.Next(3) switch { 0 => r.Next(100).ToString("D" + (1 + r.Next(3))), 1 => Pick(["abc", "ubuntu", "Deb", "x", "a1b2", "9z"]), _ => Pick(["b", "c", "rc", "post"]) });
            s += "+" + string.Join(Pick([".", "-", "_"]), segments);
        }
        return r.Next(30) == 0 ? Pick([" ", "\t", "\n"]) + s + Pick(["", " ", "\n"]) : s;
    }

    private static string Mutate(Random r, string s)
    {
        const string alphabet = "0123456789.-_+!abcdeilnoprstvxABCDEV ";
        var chars = s.ToList();
        switch (r.Next(3))
        {
            case 0: chars.Insert(r.Next(chars.Count + 1), alphabet[r.Next(alphabet.Length)]); break;
            case 1: if (chars.Count > 1) { chars.RemoveAt(r.Next(chars.Count)); } break;
            default: chars[r.Next(chars.Count)] = alphabet[r.Next(alphabet.Length)]; break;
        }
        return new string(chars.ToArray());
    }
}
