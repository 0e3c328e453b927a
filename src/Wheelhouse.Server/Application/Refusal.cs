using Wheelhouse.Core.Security;

namespace Wheelhouse.Server.Application;

/// <summary>
/// Why a service did not do what was asked; nothing was changed. Each kind is one HTTP status, mapped in one place
/// (<see cref="Http.Answer"/>); the reason is a sentence for the person who asked.
/// </summary>
public abstract record Refusal(string Reason)
{
    /// <summary>The user, index, project, version or file named does not exist.</summary>
    public sealed record NotFound(string Reason) : Refusal(Reason);

    /// <summary>The request contradicts what is stored (exists already, immutable, different content).</summary>
    public sealed record Conflict(string Reason) : Refusal(Reason);

    /// <summary>Not allowed; <see cref="NeedsAuthentication"/> when logging in could change that.</summary>
    public sealed record Forbidden(string Reason, bool NeedsAuthentication) : Refusal(Reason)
    {
        public static Forbidden From(AuthorizationDecision decision) =>
            new(decision.Reason ?? "not allowed", decision.NeedsAuthentication);
    }

    /// <summary>The input is wrong: every problem found, each saying what to do.</summary>
    public sealed record Invalid(IReadOnlyList<string> Problems) : Refusal(string.Join("; ", Problems))
    {
        public Invalid(string problem)
            : this([problem])
        {
        }
    }

    /// <summary>An upstream (a mirror's) could not answer.</summary>
    public sealed record Unavailable(string Reason) : Refusal(Reason);
}
