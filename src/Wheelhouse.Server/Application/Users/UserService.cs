using System.Text.Json.Nodes;
using Wheelhouse.Core;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Security;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Ldap;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Application.Users;

/// <summary>
/// Users (spec "Endpoints": <c>/</c> and <c>/{u}</c>): anyone may create a user; the user and root modify or delete
/// it. Each change is one unit of work; the in-memory <see cref="UsersAndIndexes"/> is reloaded while it still holds
/// the write lock, so no older snapshot can overwrite it.
/// </summary>
public sealed class UserService(PackageStore store, UsersAndIndexes known, PasswordHasher hasher, TokenService tokens, TimeProvider time,
    IDirectoryLogin? directory = null)
{
    private readonly IDirectoryLogin _directory = directory ?? new NoDirectory();

    /// <param name="Token">A new login token when the password was changed (the old ones stop working).</param>
    public sealed record Modified(UserRecord User, string? Token);

    public async Task<Outcome<UserRecord>> CreateAsync(string name, Validated<UserFields> fields, CancellationToken ct)
    {
        if (!UserName.TryParseNew(name, out _, out var nameError))
        {
            return new Refusal.Invalid(nameError);
        }
        if (!fields.IsValid(out var set, out var invalid))
        {
            return new Refusal.Invalid(invalid.Problems);
        }
        if (known.Find(name) is not null)
        {
            return new Refusal.Conflict($"user {name} exists");
        }
        // Without a password the account is a directory user's (devpi user -c NAME): it logs in with the directory's only.
        var hash = "";
        if (set.Password is { } password)
        {
            hash = hasher.Hash(password);
        }
        else if (_directory.Find(name) is { Kind: not DirectoryAnswerKind.Known } unknown)
        {
            return unknown.Kind == DirectoryAnswerKind.Unavailable
                ? throw new DirectoryUnavailableException(unknown.Reason!)
                : new Refusal.Invalid(_directory.Enabled ? $"a password is required: the user directory knows no user {name} (a directory user's account needs none)"
                    : "a password is required");
        }
        using var work = await store.BeginAsync(ct);
        if (work.Rows.User(name) is not null)
        {
            return new Refusal.Conflict($"user {name} exists");
        }
        var record = new UserRecord(name, hash, set.Email ?? "", set.Title ?? "", set.Description ?? "", time.GetUtcNow());
        work.AddUser(record);
        var serial = work.Commit();
        known.Refresh(work.Rows);
        return new Outcome<UserRecord>.Created(record, serial);
    }

    /// <param name="body">The PATCH body, or why it could not be read.</param>
    /// <param name="reported">What GET reports for the user: keys of it sent back unchanged are accepted and ignored.</param>
    public async Task<Outcome<Modified>> ModifyAsync(Principal who, string name, Validated<JsonObject> body, Func<UserRecord, JsonObject> reported,
        CancellationToken ct)
    {
        if (known.Find(name) is null)
        {
            return Missing(name);
        }
        if (Authorization.Check(who, new Permission.ModifyUser(UserName.Parse(name))) is { Allowed: false } denied)
        {
            return Refusal.Forbidden.From(denied);
        }
        if (!body.IsValid(out var sent, out var unreadable))
        {
            return new Refusal.Invalid(unreadable.Problems);
        }
        // devpi-client's user -m and passwd send back the whole record they read: reported keys only unchanged.
        var problems = new List<string>();
        var changes = ReportedKeys.Without(sent, reported(known.Find(name)!), ReportedKeys.User, $"user {name}", problems);
        if (!UserFields.Parse(changes, requirePassword: false).IsValid(out var set, out var invalid))
        {
            problems.AddRange(invalid.Problems);
        }
        if (problems.Count > 0 || set is null)
        {
            return new Refusal.Invalid(problems);
        }
        var newHash = set.Password is { } password ? hasher.Hash(password) : null;
        using var work = await store.BeginAsync(ct);
        if (work.Rows.User(name) is not { } record)
        {
            return Missing(name);
        }
        record = record with
        {
            PasswordHash = newHash ?? record.PasswordHash,
            Email = set.Email ?? record.Email,
            Title = set.Title ?? record.Title,
            Description = set.Description ?? record.Description,
        };
        work.ChangeUser(record);
        var serial = work.Commit();
        known.Refresh(work.Rows);
        return new Outcome<Modified>.Changed(new Modified(record, newHash is null ? null : tokens.Issue(name, newHash)), serial);
    }

    /// <summary>Deletes the user with its indexes, their releases, files, served names and (unless shared) blobs.</summary>
    public async Task<Outcome<string>> DeleteAsync(Principal who, string name, CancellationToken ct)
    {
        if (known.Find(name) is null)
        {
            return Missing(name);
        }
        var permission = new Permission.DeleteUser(UserName.Parse(name), known.IndexesOf(name).Any(i => !i.Volatile));
        if (Authorization.Check(who, permission) is { Allowed: false } denied)
        {
            return Refusal.Forbidden.From(denied);
        }
        if (name == "root")
        {
            return new Refusal.Forbidden("the root user cannot be deleted", NeedsAuthentication: false);
        }
        using var work = await store.BeginAsync(ct);
        work.RemoveUser(name);
        var serial = work.Commit();
        known.Refresh(work.Rows);
        return new Outcome<string>.Changed($"user {name} deleted", serial);
    }

    private static Refusal.NotFound Missing(string name) => new($"user {name} does not exist");
}
