using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Layout;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Layout;

/// <summary><see cref="ILayoutTarget"/> over the metadata database: the whole plan is one write transaction.</summary>
public sealed class DatabaseLayoutTarget(PackageStore store, TimeProvider time) : ILayoutTarget
{
    public Task<LayoutState> ReadStateAsync(CancellationToken cancellationToken)
    {
        using var reader = store.Read();
        var users = reader.Users().ToDictionary(
            u => UserName.Parse(u.Name),
            u => new CurrentUser(u.Email, u.Title, u.Description, u.Groups, u.PasswordHash));
        var indexes = reader.Indexes().Select(IndexEntry.From).ToDictionary(i => i.IndexPath, i => i.Config);
        return Task.FromResult(new LayoutState(users, indexes));
    }

    public async Task ApplyAsync(LayoutPlan plan, IReadOnlyDictionary<UserName, string> passwordHashes, CancellationToken cancellationToken)
    {
        using var work = await store.BeginAsync(cancellationToken).ConfigureAwait(false);
        foreach (var action in plan.Actions)
        {
            switch (action)
            {
                case CreateUser c:
                    work.AddUser(new UserRecord(c.User.Value, passwordHashes[c.User], c.Email ?? "", c.Title ?? "", c.Description ?? "", time.GetUtcNow())
                    {
                        Groups = c.Groups,
                    });
                    break;
                case UpdateUser u:
                    work.ChangeUser(Updated(work.Rows.User(u.User.Value)
                        ?? throw new InvalidOperationException($"layout apply: user {u.User} vanished while applying"), u));
                    break;
                case CreateIndex c:
                    work.AddIndex(new IndexRecord(c.Index.User.Value, c.Index.Index.Value, IndexEntry.ToStored(c.Config)));
                    break;
                case UpdateIndex u:
                    work.ChangeIndex(new IndexRecord(u.Index.User.Value, u.Index.Index.Value, IndexEntry.ToStored(u.Config)));
                    break;
                default:
                    throw new InvalidOperationException($"layout apply: no storage mapping for {action.GetType().Name}");
            }
        }
        work.Commit();
    }

    private static UserRecord Updated(UserRecord user, UpdateUser update)
    {
        foreach (var field in update.ChangedFields)
        {
            user = field switch
            {
                "email" => user with { Email = update.Email ?? "" },
                "title" => user with { Title = update.Title ?? "" },
                "description" => user with { Description = update.Description ?? "" },
                "groups" => user with { Groups = update.Groups ?? [] },
                "password" => user with { PasswordHash = update.PasswordHash ?? throw new InvalidOperationException($"layout apply: user {update.User}: password change without a hash") },
                _ => throw new InvalidOperationException($"layout apply: user {update.User}: unknown field '{field}'"),
            };
        }
        return user;
    }
}
