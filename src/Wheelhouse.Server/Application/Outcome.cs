namespace Wheelhouse.Server.Application;

/// <summary>
/// What a service did: created or changed something (with the serial of its commit), found nothing to change, or
/// refused (<see cref="Refusal"/>). Services return these and never HTTP status codes; <see cref="Http.Answer"/> maps
/// them. A refusal converts implicitly, so a service can <c>return new Refusal.NotFound(...)</c>.
/// </summary>
public abstract record Outcome<T>
{
    private Outcome()
    {
    }

    public sealed record Created(T Value, long Serial) : Outcome<T>;

    public sealed record Changed(T Value, long Serial) : Outcome<T>;

    public sealed record Unchanged(T Value) : Outcome<T>;

    public sealed record Refused(Refusal Refusal) : Outcome<T>;

    public static implicit operator Outcome<T>(Refusal refusal) => new Refused(refusal);
}
