using System.Text.Json.Nodes;
using Wheelhouse.Core;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Security;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Application.Indexes;

/// <summary>
/// Indexes (spec "Endpoints", "Indexes"): the user and root create, root and the owner change or delete. Each change is
/// one unit of work; <see cref="UsersAndIndexes"/> is reloaded while the write lock is still held. A directory user
/// who creates an index before having an account gets one with it, as in devpi (no local password: the directory's).
/// </summary>
public sealed class IndexService(PackageStore store, UsersAndIndexes known, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>An index with, when asked for, the display names of the projects it holds itself (sorted).</summary>
    public sealed record Described(IndexEntry Index, IReadOnlyList<string>? Projects);

    public Outcome<Described> Describe(string user, string index, bool withProjects)
    {
        if (known.FindIndex(user, index) is not { } entry)
        {
            return Missing(user, index);
        }
        return new Outcome<Described>.Unchanged(new Described(entry, withProjects ? ProjectsOf(entry) : null));
    }

    /// <param name="body">The index config as sent (null: an empty body), or why it could not be read.</param>
    public async Task<Outcome<Described>> CreateAsync(Principal who, string user, string index, Validated<JsonNode?> body, CancellationToken ct)
    {
        // Authenticated under a name with no account: only the directory can vouch for such a name.
        var newAccount = known.Find(user) is null;
        if (newAccount && !(who.User?.Value == user && UserName.TryParseNew(user, out _, out _)))
        {
            return new Refusal.NotFound($"user {user} does not exist");
        }
        if (Authorization.Check(who, new Permission.CreateIndex(UserName.Parse(user))) is { Allowed: false } denied)
        {
            return Refusal.Forbidden.From(denied);
        }
        if (!IndexPath.TryParse($"{user}/{index}", out var path, out var nameError) || !IndexName.TryParseNew(index, out _, out nameError))
        {
            return new Refusal.Invalid(nameError);
        }
        if (!body.IsValid(out var node, out var unreadable) || node is not (null or JsonObject))
        {
            return new Refusal.Invalid(unreadable?.Problems ?? ["index config must be a JSON object"]);
        }
        if (known.FindIndex(user, index) is not null)
        {
            return Exists(user, index);
        }
        if (!IndexConfigRules.Create(path, node as JsonObject, known.IndexExists).IsValid(out var config, out var invalid))
        {
            return new Refusal.Invalid(invalid.Problems);
        }
        using var work = await store.BeginAsync(ct);
        if (work.Rows.Indexes().Any(i => i.User == user && i.Name == index))
        {
            return Exists(user, index);
        }
        if (newAccount && work.Rows.User(user) is null)
        {
            work.AddUser(new UserRecord(user, "", "", "", "", _time.GetUtcNow()));
        }
        work.AddIndex(new IndexRecord(user, index, IndexEntry.ToStored(config)));
        var serial = work.Commit();
        known.Refresh(work.Rows);
        return new Outcome<Described>.Created(new Described(known.FindIndex(user, index)!, null), serial);
    }

    /// <param name="body">A JSON object of keys to set, or devpi's list of <c>key=value</c>, <c>key+=value</c>, <c>key-=value</c>.</param>
    public async Task<Outcome<Described>> ModifyAsync(Principal who, string user, string index, Validated<JsonNode?> body, CancellationToken ct)
    {
        if (known.FindIndex(user, index) is not { } entry)
        {
            return Missing(user, index);
        }
        if (Authorization.Check(who, new Permission.ModifyIndex(entry.IndexPath)) is { Allowed: false } denied)
        {
            return Refusal.Forbidden.From(denied);
        }
        if (!body.IsValid(out var node, out var unreadable) || node is not (JsonObject or JsonArray))
        {
            return new Refusal.Invalid(unreadable?.Problems ?? ["PATCH body must be a JSON object or a list of \"key=value\" strings"]);
        }
        var problems = new List<string>();
        if (node is JsonObject dict && dict.ContainsKey("projects"))
        {
            // devpi-client sends back the whole config it read, projects included: accepted only unchanged.
            node = ReportedKeys.Without(dict, entry.ToJson(ProjectsOf(entry)), ReportedKeys.Index, $"index {entry.IndexPath}", problems);
        }
        if (!IndexConfigRules.Patch(entry.IndexPath, entry.Config, node, known.IndexExists).IsValid(out var config, out var invalid))
        {
            problems.AddRange(invalid.Problems);
        }
        if (problems.Count > 0 || config is null)
        {
            return new Refusal.Invalid(problems);
        }
        using var work = await store.BeginAsync(ct);
        work.ChangeIndex(entry.Record with { ConfigJson = IndexEntry.ToStored(config) });
        var serial = work.Commit();
        known.Refresh(work.Rows);
        var changed = known.FindIndex(user, index)!;
        return new Outcome<Described>.Changed(new Described(changed, ProjectsOf(work.Rows, changed)), serial);
    }

    /// <summary>Deletes the index with its releases, files, served names and (unless shared) blobs.</summary>
    public async Task<Outcome<IndexEntry>> DeleteAsync(Principal who, string user, string index, CancellationToken ct)
    {
        if (known.FindIndex(user, index) is not { } entry)
        {
            return Missing(user, index);
        }
        if (Authorization.Check(who, new Permission.DeleteIndex(entry.IndexPath, entry.Config)) is { Allowed: false } denied)
        {
            return Refusal.Forbidden.From(denied);
        }
        using var work = await store.BeginAsync(ct);
        work.RemoveIndex(user, index);
        var serial = work.Commit();
        known.Refresh(work.Rows);
        return new Outcome<IndexEntry>.Changed(entry, serial);
    }

    private List<string> ProjectsOf(IndexEntry entry)
    {
        using var reader = store.Read();
        return ProjectsOf(reader, entry);
    }

    private static List<string> ProjectsOf(IMetadataReader reader, IndexEntry entry) =>
        reader.Projects(entry.User, entry.Name).Select(p => p.DisplayName).ToList();

    /// <summary>The spec's 404 for an index named in a URL, in one wording everywhere.</summary>
    public static Refusal.NotFound Missing(string user, string index) => new($"index {user}/{index} does not exist");

    private static Refusal.Conflict Exists(string user, string index) => new($"index {user}/{index} exists");
}
