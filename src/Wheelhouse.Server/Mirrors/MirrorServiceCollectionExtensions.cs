using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Wheelhouse.Server.Mirrors;

/// <summary>Registers the upstream client: one HttpClient pipeline with timeouts, retries and a breaker per upstream host.</summary>
public static class MirrorServiceCollectionExtensions
{
    public const string PipelineName = "upstream-simple-index";

    /// <param name="pageCacheDirectory">
    /// Where fetched project pages are kept across restarts (e.g. <c>{data}/mirror-pages</c>); null keeps them in memory only.
    /// </param>
    public static IServiceCollection AddMirrorUpstream(this IServiceCollection services, MirrorHttpOptions options, string? pageCacheDirectory = null)
    {
        services.AddSingleton(options);
        services.AddHttpClient<UpstreamSimpleClient>(client =>
            {
                // The resilience pipeline owns every time limit; HttpClient's own would cut long file downloads.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AutomaticDecompression = DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = options.AttemptTimeout,
                AllowAutoRedirect = true,
                UseCookies = false,
                // Only the configured proxy: .NET's default would read the variables again, behind the settings' back.
                UseProxy = options.Proxy is not null,
                Proxy = options.Proxy?.ToWebProxy(),
            })
            .AddResilienceHandler(PipelineName, builder => builder
                .AddTimeout(options.TotalTimeout)
                .AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(options.MaxRetries, 0),
                    Delay = options.RetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldRetryAfterHeader = true,
                })
                .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = options.BreakerFailureRatio,
                    MinimumThroughput = options.BreakerMinimumThroughput,
                    SamplingDuration = options.BreakerSamplingDuration,
                    BreakDuration = options.BreakDuration,
                })
                .AddTimeout(options.AttemptTimeout))
            // One pipeline instance (so one breaker) per scheme+host+port: a dead upstream must not trip the others.
            .SelectPipelineByAuthority();
        services.AddSingleton<MirrorFileFetcher>();
        services.TryAddSingleton(TimeProvider.System);
        if (pageCacheDirectory is null)
        {
            services.AddSingleton<IMirrorPageCache, InMemoryMirrorPageCache>();
        }
        else
        {
            services.AddSingleton<IMirrorPageCache>(sp => new FileMirrorPageCache(pageCacheDirectory, sp.GetRequiredService<ILogger<FileMirrorPageCache>>()));
        }
        services.AddSingleton<MirrorPageService>();
        services.AddSingleton<MirrorProjectListService>();
        return services;
    }
}
