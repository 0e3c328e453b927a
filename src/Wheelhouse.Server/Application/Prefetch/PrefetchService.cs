using System.Collections.Concurrent;
using Wheelhouse.Core.Distributions;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Packages;
using Wheelhouse.Core.Security;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Application.Mirrors;
using Wheelhouse.Server.Metrics;
using Wheelhouse.Server.Mirrors;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Application.Prefetch;

/// <summary>
/// Keeps a mirror's named projects warm (mirror keys <c>prefetch</c>, <c>prefetch_requirements</c>): each run reads
/// every project's page through the mirror (as a client would, so within <c>mirror_cache_expiry</c>) and stores the
/// files of its newest release (the newest final release; a pre-release only when there is no final one; never a
/// yanked file) that the mirror does not hold yet, through the mirror's own file fetch (hash-checked). Downloads are
/// paced to <c>prefetch_bandwidth</c>; a run stops once the mirror stores <c>prefetch_max_bytes</c> (checked before
/// each file, so the last file may pass it by its own size). One run per mirror at a time; the status of the last one
/// is stored with the index, so a restart (or another node sharing the database) shows it and waits for the next run's
/// time rather than running at once.
/// </summary>
public sealed class PrefetchService(
    PackageStore store, UsersAndIndexes known, MirrorPageService pages, MirrorFileService files, PrefetchMetrics metrics, TimeProvider time,
    ILogger<PrefetchService> logger)
{
    private readonly ConcurrentDictionary<IndexPath, SemaphoreSlim> _running = new();

    public PrefetchStatus? StatusOf(IndexPath mirror)
    {
        using var reader = store.Read();
        return PrefetchStatus.FromJson(reader.PrefetchStatus(mirror.User.Value, mirror.Index.Value));
    }

    /// <summary>When the mirror's next run is due: at once if it never ran.</summary>
    public DateTimeOffset DueAt(IndexEntry mirror) =>
        StatusOf(mirror.IndexPath) is { } last
            ? last.Finished.AddSeconds(mirror.Config.PrefetchInterval ?? IndexConfig.DefaultPrefetchInterval)
            : DateTimeOffset.MinValue;

    /// <summary>At start-up: the metrics show the stored last runs (their time) until new runs replace them.</summary>
    public void ReportStoredRuns()
    {
        foreach (var mirror in known.Indexes.Where(i => i.IsMirror))
        {
            if (StatusOf(mirror.IndexPath) is { } last)
            {
                metrics.Finished(mirror.IndexPath.ToString(), last.Finished);
            }
        }
    }

    /// <summary><c>POST /{user}/{index}/+prefetch</c>: a run now, for whoever may modify the index.</summary>
    public async Task<Outcome<PrefetchStatus>> RunNowAsync(Principal who, string user, string index, CancellationToken ct)
    {
        if (known.FindIndex(user, index) is not { } mirror)
        {
            return IndexService.Missing(user, index);
        }
        if (Authorization.Check(who, new Permission.ModifyIndex(mirror.IndexPath)) is { Allowed: false } denied)
        {
            return Refusal.Forbidden.From(denied);
        }
        if (!mirror.IsMirror || !mirror.Config.PrefetchConfigured)
        {
            return new Refusal.Invalid($"{mirror.IndexPath} has nothing to pre-fetch: set prefetch (project names) or prefetch_requirements on a mirror index");
        }
        var status = await RunAsync(mirror, ct);
        return new Outcome<PrefetchStatus>.Unchanged(status);
    }

    public async Task<PrefetchStatus> RunAsync(IndexEntry mirror, CancellationToken ct)
    {
        var gate = _running.GetOrAdd(mirror.IndexPath, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            var status = await RunOnceAsync(mirror, ct);
            await StoreAsync(mirror, status, ct);
            metrics.Finished(mirror.IndexPath.ToString(), status.Finished);
            logger.LogInformation("Pre-fetch of {Mirror}: {Projects} projects, {Fetched} files ({Bytes} bytes) fetched, {Failed} failed{Stopped}",
                mirror.IndexPath, status.Projects, status.Fetched.Count, status.FetchedBytes, status.Failed.Count, status.Stopped is null ? "" : "; " + status.Stopped);
            return status;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task StoreAsync(IndexEntry mirror, PrefetchStatus status, CancellationToken ct)
    {
        using var work = await store.BeginAsync(ct);
        if (!work.Rows.Indexes().Any(i => i.User == mirror.User && i.Name == mirror.Name))
        {
            return; // deleted while it ran: its status goes with it
        }
        work.PutPrefetchStatus(mirror.User, mirror.Name, status.ToJson().ToJsonString());
        work.Commit();
    }

    private async Task<PrefetchStatus> RunOnceAsync(IndexEntry mirror, CancellationToken ct)
    {
        var started = time.GetUtcNow();
        var config = mirror.Config;
        var failed = new List<string>();
        var fetched = new List<string>();
        var names = Names(config, failed);
        var max = config.PrefetchMaxBytes ?? IndexConfig.DefaultPrefetchMaxBytes;
        var limit = new BandwidthLimitStream(config.PrefetchBandwidth ?? IndexConfig.DefaultPrefetchBandwidth);
        long stored;
        using (var reader = store.Read())
        {
            stored = reader.IndexFiles(mirror.User, mirror.Name).Sum(f => f.Size);
        }
        long fetchedBytes = 0;
        string? stopped = null;
        foreach (var name in names)
        {
            switch (await pages.GetProjectPageAsync(mirror.IndexPath, config, name, ct))
            {
                case MirrorPageAnswer.NotFound:
                    failed.Add($"{name.Normalized}: the upstream has no such project");
                    continue;
                case MirrorPageAnswer.Unavailable u:
                    failed.Add($"{name.Normalized}: {u.Message}");
                    continue;
                case MirrorPageAnswer.Page page:
                    foreach (var link in Newest(page.Value.Links))
                    {
                        using (var reader = store.Read())
                        {
                            if (reader.File(mirror.User, mirror.Name, link.Filename) is not null)
                            {
                                continue;
                            }
                        }
                        if (stored >= max)
                        {
                            stopped = $"disk budget reached: {mirror.IndexPath} stores {stored} bytes, prefetch_max_bytes is {max}";
                            break;
                        }
                        var result = await files.FetchAsync(mirror, link.Sha256![..16], link.Filename, limit, ct);
                        if (result is MirrorFileService.Fetch.Failed f)
                        {
                            failed.Add($"{link.Filename}: {f.Refusal.Reason}");
                            metrics.Failed(mirror.IndexPath.ToString());
                            continue;
                        }
                        using var after = store.Read();
                        var size = after.File(mirror.User, mirror.Name, link.Filename)?.Size ?? 0;
                        stored += size;
                        fetchedBytes += size;
                        fetched.Add(link.Filename);
                        metrics.Fetched(mirror.IndexPath.ToString(), size);
                    }
                    break;
            }
            if (stopped is not null)
            {
                break;
            }
        }
        var finished = time.GetUtcNow();
        return new PrefetchStatus(started, finished, names.Count, fetched, fetchedBytes, failed, stopped,
            finished.AddSeconds(config.PrefetchInterval ?? IndexConfig.DefaultPrefetchInterval));
    }

    /// <summary>The files of the newest release: final releases first, never yanked, only links with a sha256 (the mirror serves no others).</summary>
    private static List<UpstreamLink> Newest(IReadOnlyList<UpstreamLink> links)
    {
        var candidates = links
            .Where(l => !l.IsYanked && l.Sha256 is not null)
            .Select(l => (Link: l, Version: DistributionFileName.TryParse(l.Filename, out var d, out _) ? d.Version : null))
            .Where(c => c.Version is not null)
            .ToList();
        var finals = candidates.Where(c => !c.Version!.IsPreRelease).ToList();
        var pool = finals.Count > 0 ? finals : candidates;
        if (pool.Count == 0)
        {
            return [];
        }
        var newest = pool.Max(c => c.Version)!;
        return pool.Where(c => c.Version!.Equals(newest)).Select(c => c.Link).OrderBy(l => l.Filename, StringComparer.Ordinal).ToList();
    }

    private static List<ProjectName> Names(IndexConfig config, List<string> failed)
    {
        var names = new List<string>(config.Prefetch);
        if (config.PrefetchRequirements is { } file)
        {
            try
            {
                foreach (var line in File.ReadLines(file))
                {
                    if (ProjectName.AtStartOf(line) is { } name)
                    {
                        names.Add(name);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failed.Add($"prefetch_requirements {file}: {e.Message}");
            }
        }
        return names.Select(n => ProjectName.TryParse(n, out var p) ? p : null).OfType<ProjectName>().DistinctBy(p => p.Normalized).ToList();
    }
}
