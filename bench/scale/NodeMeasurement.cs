using ServerBench;
using Wheelhouse.Testing.Nginx;

namespace ScaleBench;

/// <summary>
/// The request figures of one data set through a real nginx (tests/Shared/Nginx: wheelhouse-nginx's upstream rules,
/// without TLS) in front of <paramref name="nodes"/> server processes on the set's one data directory and one
/// PostgreSQL database, as issue 14's several-nodes installation runs; with the machine's load average before and after.
/// </summary>
internal sealed class NodeMeasurement(string serverPath, DataSet set, Backend backend, Options options, int nodes)
{
    private readonly List<Figure> _figures = [];

    public IReadOnlyList<Figure> Figures => _figures;

    public string Load { get; private set; } = "";

    public async Task RunAsync()
    {
        var loadBefore = Measurement.LoadAverage();
        var servers = new List<ServerUnderTest>();
        try
        {
            for (var i = 0; i < nodes; i++)
            {
                servers.Add(await ServerUnderTest.StartAsync(serverPath, set.Data, DataSet.RootPassword, Measurement.LongStart, backend.ServerConfig));
            }
            await using (var nginx = await NginxProcess.StartAsync(servers.Select(s => new Uri(s.BaseUrl).Authority), Path.Combine(set.Data, "+f-tree")))
            using (var admin = await Admin.LogInAsync(nginx.BaseUrl, DataSet.RootPassword))
            {
                var traffic = new Traffic(set, options, _figures,
                    () => new CpuTime(servers.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.CpuTime), backend.Cpu));
                await Traffic.RemoveLeftoverUploadIndexesAsync(admin);
                await traffic.PagesAsync(nginx.BaseUrl);
                await traffic.ColdPagesAsync(admin);
                await traffic.UploadsAsync(admin);
            }
            _figures.Add(Measurement.Memory("resident memory after the run, largest node", servers.Max(s => s.Memory().Rss)));
            foreach (var server in servers)
            {
                server.Stop();
            }
        }
        finally
        {
            foreach (var server in servers)
            {
                server.Dispose();
            }
        }
        Load = $"{loadBefore} → {Measurement.LoadAverage()}";
    }
}
