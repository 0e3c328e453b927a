namespace Wheelhouse.Server.Mirrors;

/// <summary>
/// Limits and resilience settings for talking to upstream indexes. The defaults suit PyPI over the internet; tests
/// shrink the times. Every request to one upstream host shares one circuit breaker.
/// </summary>
public sealed record MirrorHttpOptions
{
    /// <summary>One attempt, until the response headers (pages: until the whole body).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>All attempts of one request together, retries and back-off included.</summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt for transient failures (5xx, 408, 429, timeouts, connection errors).</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>First back-off delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The breaker opens when this share of the sampled attempts failed...</summary>
    public double BreakerFailureRatio { get; init; } = 0.5;

    /// <summary>...and at least this many attempts were sampled...</summary>
    public int BreakerMinimumThroughput { get; init; } = 10;

    /// <summary>...within this window.</summary>
    public TimeSpan BreakerSamplingDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open breaker refuses requests before letting one through to probe the upstream.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Largest project page or project list accepted (PyPI's biggest pages are a few MiB).</summary>
    public long MaxPageBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Largest distribution file accepted from an upstream.</summary>
    public long MaxFileBytes { get; init; } = 8L * 1024 * 1024 * 1024;

    /// <summary>A file download that delivers no byte for this long is abandoned.</summary>
    public TimeSpan ReadIdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a request waits for a refetch when an expired copy of the page exists. Past it, the expired page is
    /// served (with a warning) and the refetch carries on in the background to refresh the cache.
    /// </summary>
    public TimeSpan SlowUpstreamBudget { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long a file that failed its hash check is answered with a 502 saying so, instead of being downloaded again:
    /// the client of the failed download only saw it cut off, the next one learns why. Zero: always download again.
    /// </summary>
    public TimeSpan HashMismatchMemory { get; init; } = TimeSpan.FromMinutes(1);

    public string UserAgent { get; init; } = "wheelhouse-server (mirror)";

    /// <summary>The forward proxy for upstream requests; null connects directly (the process's *_proxy variables are not read here).</summary>
    public MirrorProxy? Proxy { get; init; }
}
