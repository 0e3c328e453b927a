using System.Globalization;
using ScaleBench;

// How cost grows with the data (issue 14): bench/server's figures on each data set size, and each figure's cost
// ratio to the first column's; with --nodes, the same through nginx in front of each number of nodes. Usage: see
// Options.Usage.
if (Options.Parse(args, Console.Error) is not { } options)
{
    return 2;
}
var columns = new List<(string Label, string Set, string Load, IReadOnlyList<Figure> Figures)>();
foreach (var size in options.Sizes)
{
    var set = await DataSet.EnsureAsync(options.Server, options.Cache, options.Storage, size, options.FilesPerProject);
    if (options.PrepareOnly)
    {
        continue;
    }
    using var backend = set.Start();
    var what = string.Create(CultureInfo.InvariantCulture, $"{set.Projects:N0} projects, {set.Files:N0} files");
    if (options.Nodes is not { } nodeCounts)
    {
        Console.Error.WriteLine($"measuring {size:N0} projects on {options.Storage} (load {Measurement.LoadAverage()})");
        var measured = new Measurement(options.Server, set, backend, options);
        await measured.RunAsync();
        columns.Add((string.Create(CultureInfo.InvariantCulture, $"{set.Projects:N0} projects"), what, measured.Load, measured.Figures));
        continue;
    }
    foreach (var count in nodeCounts)
    {
        Console.Error.WriteLine($"measuring {size:N0} projects, {count} node(s) behind nginx (load {Measurement.LoadAverage()})");
        var measured = new NodeMeasurement(options.Server, set, backend, options, count);
        await measured.RunAsync();
        var label = options.Sizes.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $"{set.Projects:N0} p, {count} node(s)") : $"{count} node(s)";
        columns.Add((label, what, measured.Load, measured.Figures));
    }
}

if (columns.Count == 0)
{
    return 0; // --prepare
}
var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
var how = options.Nodes is null ? "1 server asked directly" : "nginx (one worker) in front of the nodes";
Console.WriteLine($"wheelhouse-server scale benchmark: {Environment.ProcessorCount} x {cpu}, {options.Storage}, {how}, wrk -t2 -c32 -d{options.Duration}");
foreach (var (label, set, load, _) in columns)
{
    Console.WriteLine($"  {label}: {set}; load average {load} (1, 5, 15 min; before → after)");
}
var first = columns[0].Figures;
var ratioHeader = columns.Count > 1 ? "cost ratio" : "";
Console.WriteLine($"| {"figure",-62} | {string.Join(" | ", columns.Select(c => $"{c.Label,-16}"))} | {ratioHeader,-10} | {"aim",-20} | detail (each column, in order)");
for (var i = 0; i < first.Count; i++)
{
    var values = columns.Select(c => $"{c.Figures[i].Shown,-16}");
    var last = columns[^1].Figures[i];
    var details = columns.Select(c => c.Figures[i].Detail).Where(d => d.Length > 0).ToList();
    var ratio = columns.Count > 1 ? last.CostRatioTo(first[i]).ToString("F2", CultureInfo.InvariantCulture) + "×" : "";
    Console.WriteLine($"| {first[i].Name,-62} | {string.Join(" | ", values)} | {ratio,-10} | {first[i].Aim,-20} | {string.Join(" / ", details)}");
}
return 0;
