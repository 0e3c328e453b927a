using Wheelhouse.Storage;

namespace Wheelhouse.Server.Hosting;

/// <summary>
/// On a database other nodes share (PostgreSQL), listens for every commit's announcement (LISTEN/NOTIFY) and has
/// <see cref="OtherProcessChanges"/> take in another node's commit at once, so caches are fresh before the next request
/// asks. Every <see cref="FallbackInterval"/> it checks the stored serial anyway (an announcement missed while the
/// listening connection was down, or never sent). A lost connection is listened on again, every second, for good.
/// It also runs this node's lease (<see cref="NodeLease"/>): listening first, then registering, so every commit after the
/// registration is heard; and it hears other nodes' acknowledgements, which wake writers waiting for them.
/// </summary>
public sealed class CommitListener(PackageStore store, OtherProcessChanges changes, NodeLease lease, ILogger<CommitListener> logger) : BackgroundService
{
    public static readonly TimeSpan FallbackInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store.CommitNotifications is not { } notifications)
        {
            return;
        }
        var fallback = FallbackAsync(stoppingToken);
        var leasing = lease.RunAsync(changes.CatchUpAsync, stoppingToken);
        var lost = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var listening = notifications.ListenAsync(serial =>
                {
                    lease.Announced(serial);
                    if (serial > store.Serial)
                    {
                        changes.Nudge();
                    }
                }, lease.Listening, lease.Shared ? lease.AcknowledgementArrived : null, stoppingToken);
                changes.Nudge(); // commits made while nobody listened were not announced
                if (lost)
                {
                    logger.LogInformation("Listening for other nodes' commits again");
                    lost = false;
                }
                await listening;
            }
            catch (StorageUnavailableException e)
            {
                lease.ListeningLost();
                if (!lost)
                {
                    logger.LogWarning("Lost the announcements of other nodes' commits ({Reason}); listening again every second, checking the stored serial meanwhile", e.Message);
                }
                lost = true;
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        lease.ListeningLost();
        await fallback;
        await leasing;
    }

    private async Task FallbackAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FallbackInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                changes.Nudge();
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}
