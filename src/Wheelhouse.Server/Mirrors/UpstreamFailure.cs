namespace Wheelhouse.Server.Mirrors;

/// <summary>An upstream answer that could not be used: its kind and a message naming the redacted URL.</summary>
public sealed record UpstreamFailure(UpstreamFailureKind Kind, string Message)
{
    /// <summary>Whether a cached copy may stand in (everything except content that was wrong, which is never served).</summary>
    public bool IsTransient => Kind is UpstreamFailureKind.Unreachable or UpstreamFailureKind.Timeout
        or UpstreamFailureKind.HttpError or UpstreamFailureKind.CircuitOpen or UpstreamFailureKind.Garbage or UpstreamFailureKind.TooLarge;

    public override string ToString() => Message;
}

