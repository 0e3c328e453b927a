using System.Globalization;

namespace ScaleBench;

/// <summary>The command line: <c>ScaleBench SERVER [--sizes 1000,100000] [--files-per-project 10] ...</c> (see <see cref="Usage"/>).</summary>
internal sealed record Options(
    string Server, IReadOnlyList<int> Sizes, int FilesPerProject, string Duration, int Starts, int Uploads, int ColdPages, string Cache,
    string Storage, int Nodes, bool CrashStart, TimeSpan CrashTimeout)
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
          --storage sqlite         the metadata store (postgresql: not yet in this bench, see README)
          --nodes 1                server nodes behind nginx (more than 1: not yet in this bench, see README)
          --no-crash-start         skip the start after SIGKILL (it checks the whole served tree: minutes on a big set)
          --crash-timeout 1800     seconds the start after SIGKILL may take before the figure says it gave up
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
            Int("--nodes", "1"),
            !args.Contains("--no-crash-start"),
            TimeSpan.FromSeconds(Int("--crash-timeout", "1800")));
        var problems = new List<string>();
        if (options.Storage != "sqlite")
        {
            problems.Add($"--storage {options.Storage}: only sqlite so far; PostgreSQL needs a throw-away cluster and a data set generator for it in this bench (not written yet)");
        }
        if (options.Nodes != 1)
        {
            problems.Add($"--nodes {options.Nodes}: only 1 so far; several nodes need PostgreSQL here and nginx in front of them (issue 14's several-nodes work), not yet in this bench");
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
