using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Indexes;

namespace Wheelhouse.Server.Http;

/// <summary>
/// The spec's 404s for a user or index named in the URL, answered in one wording everywhere. Checked before rights:
/// devpi answers 404 for what does not exist whoever asks (everyone may read, so existence is no secret).
/// </summary>
public static class Missing
{
    /// <summary>The index, or null once the 404 is answered.</summary>
    public static async Task<IndexEntry?> IndexAnsweredAsync(HttpContext context, UsersAndIndexes known, string user, string index)
    {
        if (known.FindIndex(user, index) is { } entry)
        {
            return entry;
        }
        await ApiResponse.Error(context, 404, $"index {user}/{index} does not exist");
        return null;
    }

    /// <summary>True once the 404 for a user that does not exist is answered.</summary>
    public static async Task<bool> UserAnsweredAsync(HttpContext context, UsersAndIndexes known, string user)
    {
        if (known.Find(user) is not null)
        {
            return false;
        }
        await ApiResponse.Error(context, 404, $"user {user} does not exist");
        return true;
    }
}
