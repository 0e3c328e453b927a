using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Configuration;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Hosting;

/// <summary>
/// The start-up every command shares (<c>serve</c>, <c>init</c>, <c>layout apply</c>): the data directory's store
/// (metadata where <c>storage</c> says) opened (created and migrated as needed) and root present. A first start begins root's
/// deliberately slow password hash while the schema is being made.
/// </summary>
public static class DataDirectoryStartup
{
    /// <param name="Store">The opened store; the caller disposes it.</param>
    /// <param name="RootMessage">What was done to root (for the caller to log or print), or null when nothing was.</param>
    public sealed record Opened(PackageStore Store, string? RootMessage);

    /// <param name="setConfiguredRootPassword">Reset root's password to the configured one (<c>init</c>).</param>
    /// <param name="servedTreeProblem">Told when a file cannot get its served name.</param>
    public static async Task<Opened> OpenAsync(ServerOptions options, PasswordHasher hasher, bool setConfiguredRootPassword,
        StartupPhases? phases = null, Action<string>? servedTreeProblem = null)
    {
        // No store yet: a first start, which creates root; its slow password hash runs while the schema is made.
        var rootDraft = PackageStore.ExistsIn(options.DataDirectory, options.Storage) ? null : RootAccount.PasswordDraft.Start(options, hasher);
        var store = PackageStore.Open(options.DataDirectory, options.Storage, servedTreeProblem);
        try
        {
            phases?.Mark("database open and migration check", StartupPhases.StorageTrack);
            var rootMessage = await RootAccount.EnsureQuietlyAsync(store, hasher, options, setConfiguredRootPassword, rootDraft).ConfigureAwait(false);
            phases?.Mark("root account", StartupPhases.StorageTrack);
            return new Opened(store, rootMessage);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }
}
