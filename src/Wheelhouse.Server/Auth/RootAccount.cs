using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Server.Configuration;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Auth;

/// <summary>
/// Makes sure <c>root</c> exists. Its password comes from the configuration (<c>rootPassword</c>); otherwise one is
/// generated on first start and written to <c>&lt;data&gt;/root-password</c> (mode 0600). The password is never logged.
/// Creating root also creates the <c>root/pypi</c> mirror; deleted by an admin, it stays deleted.
/// </summary>
public static class RootAccount
{
    public const string PasswordFileName = "root-password";

    /// <summary>The upstream of <c>root/pypi</c>, created with root on the first start (as devpi does).</summary>
    public const string PyPiSimpleUrl = "https://pypi.org/simple/";

    private static IndexRecord PyPiMirror()
    {
        var path = IndexPath.Parse("root/pypi");
        var body = new JsonObject
        {
            ["type"] = "mirror",
            ["mirror_url"] = PyPiSimpleUrl,
            ["mirror_cache_expiry"] = 1800,
            ["title"] = "PyPI (cached)",
        };
        if (!IndexConfigRules.Create(path, body, _ => false).IsValid(out var config, out var invalid))
        {
            throw new InvalidOperationException($"built-in root/pypi config is invalid: {invalid.Message}");
        }
        return new IndexRecord("root", "pypi", Application.Indexes.IndexEntry.ToStored(config));
    }

    /// <summary>
    /// root's password (configured or generated) with its hash already being computed: a first start begins the
    /// deliberately slow hash while the schema is still being made. Used only if root turns out to be missing.
    /// </summary>
    public sealed record PasswordDraft(string Password, bool Generated, Task<string> Hash)
    {
        public static PasswordDraft Start(ServerOptions options, PasswordHasher hasher)
        {
            var password = options.RootPassword ?? GeneratePassword();
            return new PasswordDraft(password, options.RootPassword is null, Task.Run(() => hasher.Hash(password)));
        }
    }

    private static string GeneratePassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');

    /// <summary>Creates root if missing; with <paramref name="setConfiguredPassword"/> (init) also resets it to the configured one. Logging is the caller's.</summary>
    /// <returns>What was done to root, or null when it exists and was left alone.</returns>
    public static async Task<string?> EnsureQuietlyAsync(PackageStore store, PasswordHasher hasher, ServerOptions options, bool setConfiguredPassword, PasswordDraft? draft = null)
    {
        using var work = await store.BeginAsync().ConfigureAwait(false);
        var root = work.Rows.User("root");
        if (root is not null)
        {
            draft = null;
        }
        var passwordFile = Path.Combine(options.DataDirectory, PasswordFileName);
        if (root is not null && !(setConfiguredPassword && options.RootPassword is not null))
        {
            return null;
        }
        string message;
        var password = draft?.Password ?? options.RootPassword;
        if (draft is { Generated: true } || password is null)
        {
            password ??= GeneratePassword();
            SecretFile.Write(passwordFile, Encoding.UTF8.GetBytes(password + "\n"));
            message = $"created user root; its generated password is in {passwordFile} (readable only by this user)";
        }
        else
        {
            message = root is null ? "created user root with the configured password" : "set the root password to the configured one";
        }
        var hash = draft is not null ? await draft.Hash.ConfigureAwait(false) : hasher.Hash(password);
        if (root is null)
        {
            work.AddUser(new UserRecord("root", hash, "", "", "", DateTimeOffset.UtcNow));
            work.AddIndex(PyPiMirror());
        }
        else
        {
            work.ChangeUser(root with { PasswordHash = hash });
        }
        work.Commit();
        return message;
    }
}
