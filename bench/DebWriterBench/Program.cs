using System.Diagnostics;
using System.Globalization;
using Wheelhouse.Packaging.Deb;

// Usage: dotnet run -c Release --project bench/DebWriterBench -- <published tree> [xz,zstd,gzip,none] [runs]
// Writes a .deb of the tree (installed under usr/lib/bench-tree) with DebWriter, then builds the same tree with
// `dpkg-deb --build --root-owner-group -Z<same>`, and prints seconds, ratio and sizes per compression.
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

    var treeBytes = entries.OfType<DebFile>().Sum(f => f.Source.Length);
    Console.WriteLine($"tree: {tree} ({treeBytes / 1e6:F1} MB in {entries.Count} entries), {Environment.ProcessorCount} cores, best of {runs} run(s)");
    Console.WriteLine();
    Console.WriteLine($"{"compression",-12} {"ours s",8} {"dpkg-deb s",11} {"ratio",7} {"ours MB",9} {"dpkg-deb MB",12}");
    foreach (var compression in compressions)
    {
        var ours = Path.Combine(work, $"ours-{compression.Name()}.deb");
        var theirs = Path.Combine(work, $"dpkg-{compression.Name()}.deb");
        var ourTime = double.MaxValue;
        var theirTime = double.MaxValue;
        for (var run = 0; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            var result = DebWriter.WriteToFile(package, compression, ours);
            ourTime = Math.Min(ourTime, watch.Elapsed.TotalSeconds);
            File.WriteAllText(Path.Combine(staging, "DEBIAN", "control"), result.Control.ToString());

            watch.Restart();
            Run("dpkg-deb", "--build", "--root-owner-group", $"-Z{compression.Name()}", staging, theirs);
            theirTime = Math.Min(theirTime, watch.Elapsed.TotalSeconds);
        }

        Console.WriteLine(
            $"{compression.Name(),-12} {ourTime,8:F2} {theirTime,11:F2} {ourTime / theirTime,7:F2} {new FileInfo(ours).Length / 1e6,9:F2} {new FileInfo(theirs).Length / 1e6,12:F2}");
    }

    return 0;
}
finally
{
    Directory.Delete(work, recursive: true);
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
