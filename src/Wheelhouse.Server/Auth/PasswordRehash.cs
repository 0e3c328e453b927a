using Wheelhouse.Server.Application;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Auth;

/// <summary>
/// After a successful log-in with a local user's password: a hash devpi wrote (an imported user) or one of ours with
/// fewer iterations than today's is replaced by <see cref="PasswordHasher.Hash"/> of the password just verified. The
/// row is changed only if it still holds the hash that was verified, so a password changed meanwhile is not
/// overwritten; a log-in with a token or through the directory changes nothing.
/// </summary>
public sealed class PasswordRehash(PackageStore store, PasswordHasher hasher, TokenService tokens, UsersAndIndexes users, ILogger<PasswordRehash> logger)
{
    /// <summary>The log-in as it stands afterwards: bound to the new hash when it was replaced, so its token stays valid.</summary>
    public async Task<LoginResult> AfterLoginAsync(LoginResult accepted, string name, string password, CancellationToken ct)
    {
        if (!accepted.Accepted || accepted.DirectoryGroups is not null || accepted.TokenKey is not { } verified
            || !hasher.NeedsRehash(verified) || tokens.Validate(name, verified, password))
        {
            return accepted;
        }
        var newHash = hasher.Hash(password);
        using var work = await store.BeginAsync(ct);
        if (work.Rows.User(name) is not { } current || current.PasswordHash != verified)
        {
            return accepted;
        }
        work.ChangeUser(current with { PasswordHash = newHash });
        work.Commit();
        users.Refresh(work.Rows);
        logger.LogInformation("user {User}: password hash replaced by this server's scheme at log-in", name);
        return accepted with { TokenKey = newHash };
    }
}
