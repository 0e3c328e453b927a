namespace Wheelhouse.Server.Mirrors;

/// <summary>The outcome of one upstream call: the value, "the upstream does not know this project" (404), or a failure.</summary>
public abstract record UpstreamResult<T>
{
    private UpstreamResult()
    {
    }

    public sealed record Success(T Value) : UpstreamResult<T>;

    /// <summary>The upstream answered 404: an answer, not a failure (the project does not exist there).</summary>
    public sealed record NotFound(string Message) : UpstreamResult<T>;

    public sealed record Failed(UpstreamFailure Failure) : UpstreamResult<T>;

    public static UpstreamResult<T> Fail(UpstreamFailureKind kind, string message) => new Failed(new UpstreamFailure(kind, message));

    /// <summary>Carries a not-found or a failure over to another result type (a success cannot be carried).</summary>
    public UpstreamResult<TOther> Propagate<TOther>() => this switch
    {
        NotFound n => new UpstreamResult<TOther>.NotFound(n.Message),
        Failed f => new UpstreamResult<TOther>.Failed(f.Failure),
        _ => throw new InvalidOperationException("a successful upstream result cannot be propagated as another type"),
    };
}
