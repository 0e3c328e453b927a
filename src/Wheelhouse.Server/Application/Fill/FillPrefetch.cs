using Wheelhouse.Core.Distributions;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Application.Mirrors;
using Wheelhouse.Server.Mirrors;

namespace Wheelhouse.Server.Application.Fill;

/// <summary>
/// Fetches into a mirror, in the background, the files a fill's requirements pin by hash, while pip starts. pip asks
/// for one page or file at a time, and on a cold mirror each of its requests waited for the mirror's own request
/// upstream and the work of storing; fetched a few at a time ahead of it, they are stored by the time pip asks (or
/// pip joins the download in flight). Only what pip will surely download is fetched
/// (<see cref="FillPrefetchRequest.Wants"/>), through the mirror's own page and file fetch (hash-checked, one download
/// per file whoever asks). Failures are left for pip to meet and report; the run ends at the host's stop.
/// </summary>
public sealed class FillPrefetch(MirrorPageService pages, MirrorFileService files, ILogger<FillPrefetch> logger) : IDisposable
{
    /// <summary>Pages and files fetched at once by one run: enough to stay ahead of pip, few enough to leave it a core.</summary>
    public const int Parallel = 4;

    private readonly CancellationTokenSource _stop = new();
    private int _running;

    /// <summary>Runs going on (for tests and diagnostics).</summary>
    public int Running => Volatile.Read(ref _running);

    public void Start(IndexEntry mirror, FillPrefetchRequest request)
    {
        Interlocked.Increment(ref _running);
        _ = Task.Run(async () =>
        {
            try
            {
                await RunAsync(mirror, request, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // the host stops; pip (if it still runs) fetches the rest itself
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Fetching ahead of a fill into {Mirror} failed; pip fetches the files itself", mirror.IndexPath);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        });
    }

    private async Task RunAsync(IndexEntry mirror, FillPrefetchRequest request, CancellationToken ct)
    {
        var fetched = 0;
        await System.Threading.Tasks.Parallel.ForEachAsync(request.Projects, new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = ct },
            async (project, token) =>
            {
                if (await pages.GetProjectPageAsync(mirror.IndexPath, mirror.Config, project.Name, token) is not MirrorPageAnswer.Page page)
                {
                    return;
                }
                foreach (var link in page.Value.Links)
                {
                    if (link.Sha256 is not { } sha || !project.Sha256.Contains(sha) || link.IsYanked
                        || !DistributionFileName.TryParse(link.Filename, out var file, out _) || !request.Wants(file)
                        || files.NeedsFetch(mirror.User, mirror.Name, sha[..16], link.Filename) is null)
                    {
                        continue;
                    }
                    // The bytes go nowhere: the fetch returns once they are checked, and the store commits them in its own time.
                    if (await files.FetchAsync(mirror, sha[..16], link.Filename, Stream.Null, token, returnWhenSent: true) is not MirrorFileService.Fetch.Failed)
                    {
                        Interlocked.Increment(ref fetched);
                    }
                }
            });
        logger.LogInformation("Fetched {Count} files of {Projects} projects into {Mirror} ahead of a fill", fetched, request.Projects.Count, mirror.IndexPath);
    }

    /// <summary>At the host's stop (before the mirror services it uses): ends the runs, waiting a little for them.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        HostStop.WaitFor(() => Running == 0, TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
