using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Prefetch;

namespace Wheelhouse.Server.Hosting;

/// <summary>
/// Runs each mirror's pre-fetch when it is due (<c>prefetch_interval</c> after its last run; a minute after start-up, so
/// as not to compete with it, or within <see cref="Tick"/> of pre-fetch being configured), one mirror after another, in
/// the background. <c>POST /{user}/{index}/+prefetch</c> runs one at once. A failing run is logged and tried
/// again at its next time; it never stops the server.
/// </summary>
public sealed class PrefetchScheduler(UsersAndIndexes known, PrefetchService prefetch, TimeProvider time, ILogger<PrefetchScheduler> logger) : BackgroundService
{
    /// <summary>How often due runs are looked for.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan StartDelay = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        prefetch.ReportStoredRuns();
        await Task.Delay(StartDelay, time, stoppingToken);
        using var timer = new PeriodicTimer(Tick, time);
        do
        {
            foreach (var mirror in known.Indexes.Where(i => i.IsMirror && i.Config.PrefetchConfigured).OrderBy(i => i.IndexPath))
            {
                if (stoppingToken.IsCancellationRequested || prefetch.DueAt(mirror) > time.GetUtcNow())
                {
                    continue;
                }
                try
                {
                    await prefetch.RunAsync(mirror, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Pre-fetch of {Mirror} failed; it is tried again at its next run", mirror.IndexPath);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
