namespace Wheelhouse.Core.Tests.Versions;

/// <summary>
/// Version strings for the comparison with Python's packaging: every combination of canonical parts (to pin the
/// ordering), random spellings of those parts (to pin normalization), and random mutations (to pin what is invalid).
/// </summary>
internal static class VersionCorpus
{
    private static readonly string[] Releases = ["0", "0.9", "1", "1.0", "1.0.0", "1.0.1", "1.1", "1.10", "2", "10.0.0.1"];
    private static readonly string[] Pres = ["", "a0", "a1", "a2", "b1", "rc1", "rc10"];
    private static readonly string[] Posts = ["", ".post0", ".post1", ".post2"];
    private static readonly string[] Devs = ["", ".dev0", ".dev1", ".dev10"];
    private static readonly string[] Locals = ["", "+0", "+1", "+01.a", "+a", "+abc", "+abc.5", "+abc.7", "+5", "+1abc", "+a.b.c", "+1.a.2"];

    // Spellings at the edges of the grammar, valid and not.
    private static readonly string[] EdgeCases =
    [
        "1.0.post", "1.0-r", "1.0rc", "1.0c1", "1.0.0.0.0", "00!1.0", "v1!2.0", "V1.0", "1.0+local-1_2.3", "1.0a.1", "1.0a-1",
        "1.0-a1", "1.0_rc_1", "1.0-post-1", "1.0.post.1", "1.0-dev", "1.0--1", "1.0-1-1", "1.0-1.dev1", "1.0-1dev1", "1.0.1-1",
        "1.0r", "1.0rev", "1.0.rev.3", "1.0preview", "1.0PREVIEW1", "1.0alpha", "1.0ALPHA.2", "1.0b", "1.0beta-3", "1.0pre.4",
        "1.0a1b2", "1.0a1.post1.post2", "1.0.dev1.dev2", "1.0+", "1.0+.", "1.0+a.", "1.0+.a", "1.0+a+b", "1.0+A-B_C.D", "1!",
        "!1.0", "1!1!1.0", "1.", ".1.0", "1..0", "1.0.", "1 .0", " 1.0", "1.0 ", "\t1.0\n", "1.0a 1",
        "0", "0.0", "0.0.0", "000", "0!0", "0.0+0", "0.0+00", "0.0+0.0", "1.0+0a", "1.0+a0", "1.0+0-0", "1.0+ubuntu1",
        "99999999999999999999999999999999", "1.0.99999999999999999999", "1.0a99999999999999999999", "1.0+99999999999999999999",
        "1.0.post99999999999999999999.dev99999999999999999999", "1.0rc1+local", "1.0rc1.post1+local", "1.0.dev1+local",
        "1.0c1.dev1", "1.0rc1.dev1", "1.0b1.dev1", "1.0a0.dev0", "1.0.dev0", "1.0.dev", "1.0dev0", "1.0_dev_0", "1.0-dev-0",
        "1.0.post0.dev0", "1.0post0dev0", "1.0-0", "1.0-0.dev0", "1.0-00", "1.0.01", "1.01", "1.1", "1.10", "1.9",
        "1.0-1+local", "latest", "dev", "a1", "1.0.a1.b", "1.0.x", "1.0.*", "==1.0", "1.0,2.0", "1_0", "1-0", "1.0.0-alpha",
    ];

    public static List<string> Build(int seed, int randomCount)
    {
        var corpus = new List<string>();
        foreach (var e in new[] { "", "1!" })
        {
            foreach (var r in Releases)
            {
                foreach (var pre in Pres)
                {
                    foreach (var post in Posts)
                    {
                        foreach (var dev in Devs)
                        {
                            foreach (var local in new[] { "", "+abc", "+5" })
                            {
                                corpus.Add(e + r + pre + post + dev + local);
                            }
                        }
                    }
                }
            }
        }

        foreach (var r in Releases)
        {
            foreach (var local in Locals)
            {
                corpus.Add(r + local);
                corpus.Add(r + ".post1" + local);
                corpus.Add(r + "rc1.dev2" + local);
            }
        }

        corpus.AddRange(EdgeCases);
        var random = new Random(seed);
        for (var i = 0; i < randomCount; i++)
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
            case 0:
                s += "-" + r.Next(12);
                break;
            case 1:
                s += Sep() + Case(Pick(["post", "rev", "r"])) + Sep() + Num();
                break;
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
            case 0:
                chars.Insert(r.Next(chars.Count + 1), alphabet[r.Next(alphabet.Length)]);
                break;
            case 1:
                if (chars.Count > 1)
                { chars.RemoveAt(r.Next(chars.Count)); }
                break;
            default:
                chars[r.Next(chars.Count)] = alphabet[r.Next(alphabet.Length)];
                break;
        }
        return new string(chars.ToArray());
    }
}
