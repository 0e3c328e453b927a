using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Wheelhouse.Server.Mirrors;

/// <summary>Registers the upstream client: one HttpClient pipeline with timeouts, retries and a breaker per upstream host.</summary>
public static class MirrorServiceCollectionExtensions
{
    public const string PipelineName = "upstream-simple-index";

    public static IServiceCollection AddMirrorUpstream(this IServiceCollection services, MirrorHttpOptions options)
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
        return services;
    }
}
