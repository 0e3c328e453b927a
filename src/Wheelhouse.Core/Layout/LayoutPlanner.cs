using System.Text.Json.Nodes;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Security;

namespace Wheelhouse.Core.Layout;

/// <summary>
/// Compares a layout with what a server holds and plans the steps to make them match: users first, then indexes in
/// an order where every base exists before an index that names it. Validation uses the same rules as the HTTP API
/// (<see cref="IndexConfigRules"/>), every problem is reported at once, and a server that already matches gets an
/// empty plan — applying a layout twice changes nothing the second time. Nothing is ever deleted.
/// </summary>
public static class LayoutPlanner
{
    public static Validated<LayoutPlan> Plan(LayoutSpec spec, LayoutState current)
    {
        var problems = new List<string>();
        var userActions = PlanUsers(spec.Users, current, problems);
        var knownUsers = new HashSet<UserName>(current.Users.Keys) { UserName.Root };
        foreach (var user in spec.Users)
        {
            if (UserName.TryParse(user.Name, out var name, out _))
            {
                knownUsers.Add(name);
            }
        }

        var desired = new List<(IndexPath Path, IndexConfig Config, string Location)>();
        var declared = new Dictionary<IndexPath, LayoutIndexSpec>();
        foreach (var index in spec.Indexes)
        {
            if (!IndexPath.TryParse(index.Path, out var path, out var error))
            {
                problems.Add($"{index.Location}: {error}");
            }
            else if (declared.TryGetValue(path, out var first))
            {
                problems.Add($"{index.Location}: index {path} is declared twice (first at {first.Location})");
            }
            else
            {
                declared[path] = index;
            }
        }
        foreach (var index in spec.Indexes)
        {
            if (!IndexPath.TryParse(index.Path, out var path, out _) || !ReferenceEquals(declared[path], index))
            {
                continue;
            }
            if (!current.Indexes.ContainsKey(path) && NameRules.CheckNew(path.Index.Value, "index") is { } newNameProblem)
            {
                problems.Add($"{index.Location}: {newNameProblem}");
            }
            if (!knownUsers.Contains(path.User))
            {
                problems.Add($"{index.Location}: index {path} belongs to user {path.User}, who neither exists nor is in the layout");
            }
            var result = IndexConfigRules.Create(path, index.Config, p => declared.ContainsKey(p) || current.Indexes.ContainsKey(p));
            if (!result.IsValid(out var config, out var invalid))
            {
                problems.AddRange(invalid.Problems.Select(p => $"{index.Location}: index {path}: {p}"));
                continue;
            }
            if (current.Indexes.TryGetValue(path, out var existing) && existing.Type != config.Type)
            {
                problems.Add($"{index.Location}: index {path} exists as a {Name(existing.Type)} index and the layout makes it a {Name(config.Type)}; "
                    + "the type of an index can't be changed (delete the index first)");
                continue;
            }
            desired.Add((path, config, index.Location));
        }

        var ordered = OrderByBases(desired, problems);
        if (problems.Count > 0)
        {
            return new Validated<LayoutPlan>.Invalid(problems);
        }
        var actions = new List<LayoutAction>(userActions);
        foreach (var (path, config, _) in ordered)
        {
            if (!current.Indexes.TryGetValue(path, out var existing))
            {
                actions.Add(new CreateIndex(path, config));
            }
            else if (ChangedKeys(existing, config) is { Count: > 0 } changed)
            {
                actions.Add(new UpdateIndex(path, config, changed));
            }
        }
        var unmanaged = current.Indexes.Keys.Where(p => !declared.ContainsKey(p)).Order().ToList();
        return new Validated<LayoutPlan>.Valid(new LayoutPlan(actions, unmanaged));
    }

    /// <summary>The devpi keys whose stored value differs (a key present on one side only counts).</summary>
    public static IReadOnlyList<string> ChangedKeys(IndexConfig current, IndexConfig desired)
    {
        var before = IndexConfigJson.ToJson(current, forDisplay: false);
        var after = IndexConfigJson.ToJson(desired, forDisplay: false);
        return before.Select(kv => kv.Key).Union(after.Select(kv => kv.Key))
            .Where(key => !JsonNode.DeepEquals(before[key], after[key]))
            .Order(StringComparer.Ordinal).ToList();
    }

    private static List<LayoutAction> PlanUsers(IReadOnlyList<LayoutUserSpec> users, LayoutState current, List<string> problems)
    {
        var actions = new List<LayoutAction>();
        var seen = new Dictionary<UserName, string>();
        foreach (var spec in users)
        {
            if (!UserName.TryParse(spec.Name, out var name, out var error))
            {
                problems.Add($"{spec.Location}: {error}");
                continue;
            }
            if (!seen.TryAdd(name, spec.Location))
            {
                problems.Add($"{spec.Location}: user {name} is declared twice (first at {seen[name]})");
                continue;
            }
            var groups = spec.Groups?.Select(g => g.Trim().TrimStart(':')).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            foreach (var group in groups ?? [])
            {
                if (!AclEntry.TryParse(":" + group, out var entry, out _) || entry.Kind != AclEntryKind.Group)
                {
                    problems.Add($"{spec.Location}: user {name}: '{group}' is not a valid group name");
                }
            }
            if (spec.PasswordHash is not null && spec.PasswordEnv is not null)
            {
                problems.Add($"{spec.Location}: user {name}: give password_env or password_hash, not both");
                continue;
            }
            var exists = current.Users.TryGetValue(name, out var existing);
            if (!exists && !name.IsRoot && NameRules.CheckNew(name.Value, "user") is { } newNameProblem)
            {
                problems.Add($"{spec.Location}: {newNameProblem}");
                continue;
            }
            if (!exists && !name.IsRoot)
            {
                if (spec.PasswordHash is null && spec.PasswordEnv is null)
                {
                    problems.Add($"{spec.Location}: user {name} does not exist yet and needs a password: give password_env (an environment variable) or password_hash");
                    continue;
                }
                actions.Add(new CreateUser(name, new PasswordSource(spec.PasswordHash, spec.PasswordEnv), spec.Email, spec.Title, spec.Description, groups ?? []));
                continue;
            }
            // root exists on every server even when the caller's state does not list it.
            existing ??= new CurrentUser(null, null, null, []);
            var changed = new List<string>();
            if (spec.Email is not null && spec.Email != existing.Email)
            {
                changed.Add("email");
            }
            if (spec.Title is not null && spec.Title != existing.Title)
            {
                changed.Add("title");
            }
            if (spec.Description is not null && spec.Description != existing.Description)
            {
                changed.Add("description");
            }
            if (groups is not null && !groups.SequenceEqual(existing.Groups.Order(StringComparer.Ordinal)))
            {
                changed.Add("groups");
            }
            // A password_hash is compared only when the state carries the stored hash; password_env is for creation only.
            if (spec.PasswordHash is not null && existing.PasswordHash is not null && spec.PasswordHash != existing.PasswordHash)
            {
                changed.Add("password");
            }
            if (changed.Count > 0)
            {
                actions.Add(new UpdateUser(name, changed, spec.Email ?? existing.Email, spec.Title ?? existing.Title,
                    spec.Description ?? existing.Description, groups, changed.Contains("password") ? spec.PasswordHash : null));
            }
        }
        return actions;
    }

    /// <summary>Kahn's algorithm, stable in file order: an index comes after every base the layout also declares.</summary>
    private static List<(IndexPath Path, IndexConfig Config, string Location)> OrderByBases(
        List<(IndexPath Path, IndexConfig Config, string Location)> desired, List<string> problems)
    {
        var pending = desired.ToList();
        var done = new HashSet<IndexPath>();
        var inLayout = desired.Select(d => d.Path).ToHashSet();
        var ordered = new List<(IndexPath, IndexConfig, string)>();
        while (pending.Count > 0)
        {
            var next = pending.FindIndex(d => d.Config.Bases.All(b => done.Contains(b) || !inLayout.Contains(b)));
            if (next < 0)
            {
                problems.Add("bases form a cycle among: " + string.Join(", ", pending.Select(p => $"{p.Path} ({p.Location})")));
                break;
            }
            ordered.Add(pending[next]);
            done.Add(pending[next].Path);
            pending.RemoveAt(next);
        }
        return ordered;
    }

    private static string Name(IndexType type) => type == IndexType.Mirror ? "mirror" : "stage";
}
