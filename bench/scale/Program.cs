using System.Globalization;
using ScaleBench;

// How cost grows with the data (issue 14): bench/server's figures on each data set size, and each figure's cost
// ratio to the smallest set's. Usage: see Options.Usage.
if (Options.Parse(args, Console.Error) is not { } options)
{
    return 2;
}
var results = new List<(DataSet Set, Measurement Measured)>();
foreach (var size in options.Sizes)
{
    var set = await DataSet.EnsureAsync(options.Server, options.Cache, size, options.FilesPerProject);
    Console.Error.WriteLine($"measuring {size:N0} projects (load {Measurement.LoadAverage()})");
    var measured = new Measurement(options.Server, set, options);
    await measured.RunAsync();
    results.Add((set, measured));
}

var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
Console.WriteLine($"wheelhouse-server scale benchmark: {Environment.ProcessorCount} x {cpu}, {options.Storage}, {options.Nodes} node, wrk -t2 -c32 -d{options.Duration}");
foreach (var (set, measured) in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {set.Projects:N0} projects, {set.Files:N0} files: load average {measured.Load} (1, 5, 15 min; before → after)"));
}
var small = results[0].Measured.Figures;
var header = results.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Set.Projects:N0} projects")).ToList();
Console.WriteLine($"| {"figure",-62} | {string.Join(" | ", header.Select(h => $"{h,-16}"))} | {(results.Count > 1 ? "cost ratio" : ""),-10} | {"aim",-20} | detail (largest set)");
for (var i = 0; i < small.Count; i++)
{
    var values = results.Select(r => $"{r.Measured.Figures[i].Shown,-16}");
    var last = results[^1].Measured.Figures[i];
    var ratio = results.Count > 1 ? last.CostRatioTo(small[i]).ToString("F2", CultureInfo.InvariantCulture) + "×" : "";
    Console.WriteLine($"| {small[i].Name,-62} | {string.Join(" | ", values)} | {ratio,-10} | {small[i].Aim,-20} | {last.Detail}");
}
return 0;
