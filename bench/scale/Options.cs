using System.Globalization;

namespace ScaleBench;

/// <summary>The command line: <c>ScaleBench SERVER [--sizes 1000,100000] [--files-per-project 10] ...</c> (see <see cref="Usage"/>).</summary>
internal sealed record Options(
    string Server, IReadOnlyList<int> Sizes, int FilesPerProject, string Duration, int Starts, int Uploads, int ColdPages, string Cache,
    string Storage, IReadOnlyList<int>? Nodes, bool CrashStart, TimeSpan CrashTimeout, bool PrepareOnly)
{
    public const string Usage = """
        usage: ScaleBench <published wheelhouse-server executable> [options]
          --sizes 1000,100000      project counts to measure, smallest first (the ratios are to the first)
          --files-per-project 10   one wheel per version; 100,000 projects x 10 = 1,000,000 files
          --duration 10s           each wrk run (after a 2 s warm-up)
          --starts 5               clean starts whose median is the start-up figure
          --uploads 1000           sequential single-file uploads
          --cold-pages 2000        first requests for distinct project pages
          --cache DIR              where generated data sets are kept (default $WH_SCALE_CACHE or /var/tmp/wh-scale)
          --storage sqlite         the metadata store: sqlite, or postgresql (a PostgreSQL 15 cluster per data set, kept
                                   with it in the cache and started by the bench on a loopback port)
          --nodes 1,2,3            with postgresql: instead of one server asked directly, each number of server nodes
                                   on the set's data directory and database, behind nginx; wrk, first requests and
                                   uploads go through nginx (no start-up or crash figures)
          --no-crash-start         skip the start after SIGKILL (it checks the whole served tree: minutes on a big set)
          --crash-timeout 1800     seconds the start after SIGKILL may take before the figure says it gave up
          --prepare                only make the data sets missing from the cache (for a later run on an idle machine)
        """;

    public static Options? Parse(string[] args, TextWriter error)
    {
        if (args.Length < 1 || !File.Exists(args[0]))
        {
            error.WriteLine(Usage);
            return null;
        }
        string Option(string name, string fallback) => args.Skip(1).SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        int Int(string name, string fallback) => int.Parse(Option(name, fallback), CultureInfo.InvariantCulture);
        var options = new Options(
            args[0],
            Option("--sizes", "1000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList(),
            Int("--files-per-project", "10"),
            Option("--duration", "10s"),
            Int("--starts", "5"),
            Int("--uploads", "1000"),
            Int("--cold-pages", "2000"),
            Option("--cache", Environment.GetEnvironmentVariable("WH_SCALE_CACHE") is { Length: > 0 } c ? c : "/var/tmp/wh-scale"),
            Option("--storage", "sqlite"),
            args.Contains("--nodes") ? Option("--nodes", "").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList() : null,
            !args.Contains("--no-crash-start"),
            TimeSpan.FromSeconds(Int("--crash-timeout", "1800")),
            args.Contains("--prepare"));
        var problems = new List<string>();
        if (options.Storage is not ("sqlite" or "postgresql"))
        {
            problems.Add($"--storage {options.Storage}: expected sqlite or postgresql");
        }
        if (options.Nodes is { } nodes && (options.Storage != "postgresql" || nodes.Count == 0 || nodes.Any(n => n is < 1 or > 16)))
        {
            problems.Add($"--nodes {string.Join(',', nodes)}: needs --storage postgresql (nodes share its database) and node counts from 1 to 16");
        }
        if (options.Sizes.Count == 0 || options.Sizes.Any(s => s < 2) || options.FilesPerProject < 1)
        {
            problems.Add("--sizes needs project counts of at least 2, --files-per-project at least 1");
        }
        foreach (var problem in problems)
        {
            error.WriteLine(problem);
        }
        return problems.Count == 0 ? options : null;
    }
}
