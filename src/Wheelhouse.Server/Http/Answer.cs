using Wheelhouse.Server.Application;

namespace Wheelhouse.Server.Http;

/// <summary>
/// The one mapping from the services' results to HTTP: a refusal to its status (not found 404, conflict 409, forbidden
/// 401 when logging in could help and 403 otherwise, invalid 400, upstream unavailable 502) with devpi's
/// <c>{"message"}</c>; a change stamps the serial of its commit before the endpoint writes its success answer.
/// </summary>
public static class Answer
{
    public static int StatusOf(Refusal refusal) => refusal switch
    {
        Refusal.NotFound => 404,
        Refusal.Conflict => 409,
        Refusal.Forbidden { NeedsAuthentication: true } => 401,
        Refusal.Forbidden => 403,
        Refusal.Invalid => 400,
        Refusal.Unavailable => 502,
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "unknown refusal"),
    };

    public static Task Refused(HttpContext context, Refusal refusal) => ApiResponse.Error(context, StatusOf(refusal), refusal.Reason);

    /// <summary>Answers a refusal, or stamps a change's serial and lets <paramref name="success"/> write the answer.</summary>
    public static Task With<T>(HttpContext context, Outcome<T> outcome, Func<T, Task> success)
    {
        switch (outcome)
        {
            case Outcome<T>.Refused refused:
                return Refused(context, refused.Refusal);
            case Outcome<T>.Created created:
                DevpiHeaders.StampSerial(context, created.Serial);
                return success(created.Value);
            case Outcome<T>.Changed changed:
                DevpiHeaders.StampSerial(context, changed.Serial);
                return success(changed.Value);
            case Outcome<T>.Unchanged unchanged:
                return success(unchanged.Value);
            default:
                throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "unknown outcome");
        }
    }

    /// <summary>The value of an outcome that reads (or refuses), for endpoints that go on from it; null once a refusal is answered.</summary>
    public static async Task<T?> ValueOrRefusedAsync<T>(HttpContext context, Outcome<T> outcome)
        where T : class
    {
        switch (outcome)
        {
            case Outcome<T>.Refused refused:
                await Refused(context, refused.Refusal);
                return null;
            case Outcome<T>.Unchanged unchanged:
                return unchanged.Value;
            default:
                throw new InvalidOperationException($"{outcome.GetType().Name} where a read was expected");
        }
    }
}
