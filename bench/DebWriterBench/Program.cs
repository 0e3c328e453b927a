using System.Diagnostics;
using System.Globalization;
using Wheelhouse.Packaging.Deb;

// Usage: dotnet run -c Release --project bench/DebWriterBench -- <published tree> [xz,zstd,gzip,none] [runs]
// Writes a .deb of the tree (installed under usr/lib/bench-tree) with DebWriter, then builds the same tree with
// `dpkg-deb --build --root-owner-group -Z<same>`, runs interleaved, and prints per compression the best time of each,
// both sizes and the ratios (ours / dpkg-deb), with the load average, since the machine may be shared.
if (args.Length < 1 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("usage: DebWriterBench <published tree directory> [compressions, default xz,zstd,gzip,none] [runs, default 1]");
    return 2;
}

var tree = Path.GetFullPath(args[0]);
var compressions = (args.Length > 1 ? args[1] : "xz,zstd,gzip,none").Split(',').Select(DebCompressions.Parse).ToList();
var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
var work = Directory.CreateTempSubdirectory("wh-debbench-").FullName;
try
{
    var control = ControlFile.Parse(
        """
        Package: bench-tree
        Version: 1.0.0-1
        Architecture: amd64
        Maintainer: Wheelhouse Bench <bench@example.org>
        Description: benchmark tree
         Published tree packaged by DebWriterBench.
        """);
    var entries = DebContent.FromDirectory(tree, "usr/lib/bench-tree");
    var timestamp = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    var package = new DebPackage(control, entries, new Dictionary<string, byte[]>(), timestamp);

    // dpkg-deb builds from a directory: stage the same tree once (not timed), with the control file ours wrote.
    var staging = Path.Combine(work, "staging");
    var stagedTree = Path.Combine(staging, "usr", "lib", "bench-tree");
    Directory.CreateDirectory(Path.GetDirectoryName(stagedTree)!);
    Run("cp", "-a", tree, stagedTree);
    Directory.CreateDirectory(Path.Combine(staging, "DEBIAN"));

    // The same control members on both sides: ours writes md5sums (lintian wants one), so dpkg-deb gets it too.
    var md5sums = string.Concat(DebDataTree.Create(entries).Entries.OfType<DebFile>().Select(f =>
    {
        using var content = f.Source.Open();
        return $"{Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(content))}  {f.Path}\n";
    }));
    File.WriteAllText(Path.Combine(staging, "DEBIAN", "md5sums"), md5sums);

    var treeBytes = entries.OfType<DebFile>().Sum(f => f.Source.Length);
    Console.WriteLine($"tree: {tree} ({treeBytes / 1e6:F1} MB in {entries.Count} entries), {Environment.ProcessorCount} cores, best of {runs} run(s), interleaved");
    Console.WriteLine($"load average before: {LoadAverage()}");
    Console.WriteLine();
    Console.WriteLine($"{"compression",-12} {"ours s",8} {"dpkg-deb s",11} {"time ratio",11} {"ours MB",9} {"dpkg-deb MB",12} {"size ratio",11} {"ours cpu s",11} {"dpkg cpu s",11}");
    foreach (var compression in compressions)
    {
        var ours = Path.Combine(work, $"ours-{compression.Name()}.deb");
        var theirs = Path.Combine(work, $"dpkg-{compression.Name()}.deb");
        var ourTime = double.MaxValue;
        var theirTime = double.MaxValue;
        var ourCpu = double.MaxValue;
        var theirCpu = double.MaxValue;
        void Ours()
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var result = DebWriter.WriteToFile(package, compression, ours);
            ourTime = Math.Min(ourTime, watch.Elapsed.TotalSeconds);
            ourCpu = Math.Min(ourCpu, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
            File.WriteAllText(Path.Combine(staging, "DEBIAN", "control"), result.Control.ToString());
        }

        void Theirs()
        {
            var cpu = ChildrenCpuSeconds();
            var watch = Stopwatch.StartNew();
            Run("dpkg-deb", "--build", "--root-owner-group", $"-Z{compression.Name()}", staging, theirs);
            theirTime = Math.Min(theirTime, watch.Elapsed.TotalSeconds);
            theirCpu = Math.Min(theirCpu, ChildrenCpuSeconds() - cpu);
        }

        // Alternate who goes first, so a change in the machine's load hits both sides alike.
        for (var run = 0; run < runs; run++)
        {
            if (run % 2 == 0)
            {
                Ours();
                Theirs();
            }
            else
            {
                Theirs();
                Ours();
            }
        }

        var ourSize = new FileInfo(ours).Length;
        var theirSize = new FileInfo(theirs).Length;
        Console.WriteLine(
            $"{compression.Name(),-12} {ourTime,8:F2} {theirTime,11:F2} {ourTime / theirTime,11:F3} {ourSize / 1e6,9:F3} {theirSize / 1e6,12:F3} {ourSize / (double)theirSize,11:F4} {ourCpu,11:F2} {theirCpu,11:F2}");
    }

    Console.WriteLine();
    Console.WriteLine($"load average after: {LoadAverage()}. Ratios below 1: ours is faster or smaller. cpu s: user+system");
    Console.WriteLine("seconds of every thread (dpkg-deb's: with its tar and compressor children), a check on wall times when the machine is busy.");
    return 0;
}
finally
{
    Directory.Delete(work, recursive: true);
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

// utime+stime of reaped children (dpkg-deb and, through its own waits, its tar and compressor), from /proc/self/stat.
static double ChildrenCpuSeconds()
{
    var stat = File.ReadAllText("/proc/self/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / 100.0;
}

static void Run(string program, params string[] arguments)
{
    var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    using var process = Process.Start(start)!;
    var stderr = process.StandardError.ReadToEndAsync();
    process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {stderr.Result}");
    }
}
